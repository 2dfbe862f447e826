"""Search terms by what people type: labels, lay labels, synonyms, CURIEs and external IDs.

Texts are compared after :func:`ndkg.answers.lexicon.normalise` (case, accents, punctuation), so
"blood-stained" finds "blood stained", and an external identifier finds the ndkg term mapped to
it. Exact matches come first, then texts that start with the query, then texts with a word
that does, then any text containing it; ndkg's own terms before external ones, claims and
presentations. A query that matches no text that way is compared by edit distance
(rapidfuzz's normalised Indel similarity, at least :data:`FUZZY_CUTOFF`) with every text and
every word of a text, so a typo still finds its term ("galactorea" finds galactorrhea).

The combinations of discharge features the build classified (``.../presentation/...``) are
generated, not curated: :meth:`SearchIndex.results` puts them apart, grouped under the
presentation class they fall in (:class:`Results`).

An obsolete term (``owl:deprecated``) is never offered by its words: only its identifier,
written in full, finds it, marked obsolete with the terms that replace it.

>>> from ndkg.answers.lexicon import Lexicon
>>> words = Lexicon()
>>> words.add("https://w3id.org/ndkg/NDKG_0000200", "milk ejection reflex", "label")
>>> words.add("https://w3id.org/ndkg/NDKG_0000200", "let-down", "exact synonym")
>>> index = SearchIndex.from_lexicon(words)
>>> [(hit.curie, hit.matched, hit.kind) for hit in index.search("Let down")]
[('NDKG:0000200', 'let-down', 'exact synonym')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ndkg.answers.lexicon import Lexicon, compress, normalise
from ndkg.explorer.names import local_path
from ndkg.vocab import BASE

KIND_ORDER = (
    "label", "exact synonym", "lay label", "identifier", "external ID", "related synonym",
    "narrow synonym", "broad synonym",
)
"""Which kind of text wins when a term matches through several."""

TYPE_ORDER = (
    "ndkg term", "citation", "external term", "claim", "statistic", "presentation", "obsolete",
)
"""Which sort of term comes first among equally good matches."""

COMBINATION = "presentation"
"""The type of the generated combinations of discharge features."""
OBSOLETE = "obsolete"
"""The type of obsolete terms."""

FUZZY_CUTOFF = 80.0
"""How similar (0-100) a text must be to a query that matches nothing exactly to be offered."""
FUZZY = 5
"""The quality of a match found by edit distance, after every other kind."""


@dataclass(frozen=True)
class Replacement:
    """A term that replaces an obsolete one: its CURIE, label and page."""

    curie: str
    label: str
    url: str

    def as_json(self) -> dict[str, str]:
        """The replacement as JSON."""
        return {"curie": self.curie, "label": self.label, "url": self.url}


@dataclass(frozen=True)
class Hit:
    """A term found by a search, with the text that matched and what kind of text it is."""

    curie: str
    iri: str
    label: str
    matched: str
    kind: str
    type: str
    url: str
    lay_label: str | None = None
    definition: str | None = None
    fuzzy: bool = False
    replaced_by: tuple[Replacement, ...] = ()

    @property
    def obsolete(self) -> bool:
        """Whether the term is obsolete."""
        return self.type == OBSOLETE

    def as_json(self) -> dict[str, object]:
        """The hit as JSON; an obsolete term with ``replaced_by``."""
        return {
            "curie": self.curie, "iri": self.iri, "label": self.label, "matched": self.matched,
            "kind": self.kind, "type": self.type, "url": self.url, "lay_label": self.lay_label,
            "definition": self.definition, "fuzzy": self.fuzzy, "obsolete": self.obsolete,
            "replaced_by": [r.as_json() for r in self.replaced_by],
        }


@dataclass(frozen=True)
class Results:
    """What a search finds, for a page: curated terms best first (``total`` of them), and the
    generated combinations apart, grouped by the presentation class each falls in."""

    query: str
    terms: list[Hit]
    total: int
    combinations: dict[str, list[Hit]]

    @property
    def combination_count(self) -> int:
        """How many combinations matched."""
        return sum(len(hits) for hits in self.combinations.values())

    @property
    def fuzzy(self) -> bool:
        """Whether the terms were found by edit distance only (the query names none exactly)."""
        return bool(self.terms) and all(hit.fuzzy for hit in self.terms)


@dataclass(frozen=True)
class _Entry:
    normalised: str
    text: str
    kind: str
    iri: str


@dataclass
class SearchIndex:
    """Every searchable text of a graph."""

    lexicon: Lexicon
    types: Mapping[str, str] = field(default_factory=dict)
    entries: list[_Entry] = field(default_factory=list)
    definitions: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)
    obsolete: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    described: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_lexicon(
        cls,
        lexicon: Lexicon,
        types: Mapping[str, str] | None = None,
        mappings: Iterable[tuple[str, str, str]] = (),
        definitions: Mapping[str, str] | None = None,
        groups: Mapping[str, str] | None = None,
        obsolete: Mapping[str, tuple[str, ...]] | None = None,
        described: Mapping[str, str] | None = None,
    ) -> SearchIndex:
        """Index the words of ``lexicon``, each term's CURIE, and external IDs.

        :param types: the sort of each term that is not a plain ndkg or external term
            (``claim``, ``statistic``, ``citation``, ``presentation``).
        :param mappings: ``(ndkg term, mapping predicate CURIE, external term)`` triples; the
            external term's CURIE then finds the ndkg term.
        :param definitions: each term's definition, shown with its hits.
        :param groups: the class each generated combination is listed under.
        :param obsolete: the obsolete terms, each with the terms that replace it; only their
            identifier finds them.
        :param described: words that name a term better than its label (a statistic's
            sentence), shown as its label and searched too.
        """
        index = cls(lexicon, dict(types or {}), definitions=dict(definitions or {}),
                    groups=dict(groups or {}), obsolete=dict(obsolete or {}),
                    described=dict(described or {}))
        for iri, text in index.described.items():
            index._add(text, "label", iri)
        for iri, texts in lexicon.texts_by_term.items():
            if iri not in index.obsolete:
                for text, kind in texts:
                    index._add(text, kind, iri)
            curie = compress(iri)
            if curie != iri:
                index._add(curie, "identifier", iri)
        for term, predicate, external in mappings:
            index._add(compress(external), f"external ID ({predicate})", term)
        return index

    def _add(self, text: str, kind: str, iri: str) -> None:
        normalised = normalise(text)
        if normalised:
            self.entries.append(_Entry(normalised, text, kind, iri))

    def type_of(self, iri: str) -> str:
        """The sort of term ``iri`` is, one of :data:`TYPE_ORDER`."""
        if iri in self.obsolete:
            return OBSOLETE
        if iri in self.types:
            return self.types[iri]
        return "ndkg term" if iri.startswith(BASE) else "external term"

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """The terms best matching ``query``, at most ``limit`` of them, best first."""
        return self.matches(query)[:limit]

    def matches(self, query: str) -> list[Hit]:
        """Every term matching ``query``, best first; by edit distance when none matches as
        written."""
        wanted = normalise(query)
        if not wanted:
            return []
        words = wanted.split()
        best: dict[str, tuple[tuple[int, int, int, int], _Entry]] = {}
        iri = query.strip()
        if iri.startswith(("http://", "https://")) and iri in self.lexicon.texts_by_term:
            self._keep(best, _Entry(wanted, iri, "identifier", iri), 0)
        for entry in self.entries:
            quality = _quality(entry.normalised, wanted, words)
            if quality is not None and (quality == 0 or entry.iri not in self.obsolete):
                self._keep(best, entry, quality)
        if not best:
            for entry in self._near(wanted):
                if entry.iri not in self.obsolete:
                    self._keep(best, entry, FUZZY)
        ranked = sorted(best.values(), key=lambda found: (found[0], found[1].iri))
        return [self._hit(entry, key[0] == FUZZY) for key, entry in ranked]

    def results(self, query: str, limit: int = 50) -> Results:
        """What a search page lists: the first ``limit`` curated terms and the combinations
        grouped by class."""
        found = self.matches(query)
        terms = [hit for hit in found if hit.type != COMBINATION]
        grouped: dict[str, list[Hit]] = defaultdict(list)
        for hit in found:
            if hit.type == COMBINATION:
                grouped[self.groups.get(hit.iri, "")].append(hit)
        return Results(query, terms[:limit], len(terms), dict(grouped))

    def _keep(
        self, best: dict[str, tuple[tuple[int, int, int, int], _Entry]], entry: _Entry,
        quality: int,
    ) -> None:
        kind = entry.kind.split(" (")[0]
        key = (
            quality,
            TYPE_ORDER.index(self.type_of(entry.iri)),
            KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER),
            len(entry.text),
        )
        if entry.iri not in best or key < best[entry.iri][0]:
            best[entry.iri] = (key, entry)

    def _near(self, wanted: str) -> list[_Entry]:
        """Entries whose text, or a word of it, is within edit distance of ``wanted``."""
        choices = [entry.normalised for entry in self.entries]
        near = {index for _, _, index in process.extract(
            wanted, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None)}
        if " " not in wanted:
            words = [(index, word) for index, text in enumerate(choices) for word in text.split()]
            near |= {words[i][0] for _, _, i in process.extract(
                wanted, [w for _, w in words], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                limit=None)}
        return [self.entries[index] for index in sorted(near)]

    def _hit(self, entry: _Entry, fuzzy: bool = False) -> Hit:
        label = self.described.get(entry.iri) or self.lexicon.label(entry.iri)
        lay = self.lexicon.lay_label(entry.iri)
        curie = compress(entry.iri)
        return Hit(
            curie=curie,
            iri=entry.iri,
            label=curie if label == entry.iri else label,
            matched=entry.text,
            kind=entry.kind,
            type=self.type_of(entry.iri),
            url=local_path(entry.iri),
            lay_label=lay if lay not in (label, self.lexicon.label(entry.iri)) else None,
            definition=self.definitions.get(entry.iri),
            fuzzy=fuzzy,
            replaced_by=tuple(
                Replacement(compress(r), self.lexicon.label(r), local_path(r))
                for r in self.obsolete.get(entry.iri, ())
            ),
        )


def _quality(text: str, wanted: str, words: list[str]) -> int | None:
    """0 exact, 1 prefix, 2 a word starts with it, 3 contains it, 4 has all its words."""
    if text == wanted:
        return 0
    if text.startswith(wanted):
        return 1
    if f" {wanted}" in f" {text}":
        return 2
    if wanted in text:
        return 3
    if len(words) > 1 and all(word in text for word in words):
        return 4
    return None
