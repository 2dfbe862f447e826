"""Search terms by what people type: labels, lay labels, synonyms, CURIEs and external IDs.

Texts are compared after :func:`ndkg.lexicon.normalise` (case, accents, punctuation), so
"blood-stained" finds "blood stained", and an external identifier finds the ndkg term mapped to
it. Exact matches come first, then texts that start with the query, then texts with a word
that does, then any text containing it; ndkg's own terms before external ones, claims and
presentations.

>>> from ndkg.lexicon import Lexicon
>>> words = Lexicon()
>>> words.add("https://w3id.org/ndkg/NDKG_0000200", "milk ejection reflex", "label")
>>> words.add("https://w3id.org/ndkg/NDKG_0000200", "let-down", "exact synonym")
>>> index = SearchIndex.from_lexicon(words)
>>> [(hit.curie, hit.matched, hit.kind) for hit in index.search("Let down")]
[('NDKG:0000200', 'let-down', 'exact synonym')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ndkg.explorer.names import local_path
from ndkg.lexicon import Lexicon, compress, normalise
from ndkg.vocab import BASE

KIND_ORDER = (
    "label", "exact synonym", "lay label", "identifier", "external ID", "related synonym",
    "narrow synonym", "broad synonym",
)
"""Which kind of text wins when a term matches through several."""

TYPE_ORDER = ("ndkg term", "citation", "external term", "claim", "statistic", "presentation")
"""Which sort of term comes first among equally good matches."""


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

    def as_json(self) -> dict[str, str]:
        """The hit as JSON."""
        return {
            "curie": self.curie, "iri": self.iri, "label": self.label, "matched": self.matched,
            "kind": self.kind, "type": self.type, "url": self.url,
        }


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

    @classmethod
    def from_lexicon(
        cls,
        lexicon: Lexicon,
        types: Mapping[str, str] | None = None,
        mappings: Iterable[tuple[str, str, str]] = (),
    ) -> SearchIndex:
        """Index the words of ``lexicon``, each term's CURIE, and external IDs.

        :param types: the sort of each term that is not a plain ndkg or external term
            (``claim``, ``statistic``, ``citation``, ``presentation``).
        :param mappings: ``(ndkg term, mapping predicate CURIE, external term)`` triples; the
            external term's CURIE then finds the ndkg term.
        """
        index = cls(lexicon, dict(types or {}))
        for iri, texts in lexicon.texts_by_term.items():
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
        if iri in self.types:
            return self.types[iri]
        return "ndkg term" if iri.startswith(BASE) else "external term"

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """The terms best matching ``query``, at most ``limit`` of them, best first."""
        wanted = normalise(query)
        if not wanted:
            return []
        words = wanted.split()
        best: dict[str, tuple[tuple[int, int, int, int], _Entry]] = {}
        for entry in self.entries:
            quality = _quality(entry.normalised, wanted, words)
            if quality is None:
                continue
            kind = entry.kind.split(" (")[0]
            key = (
                quality,
                TYPE_ORDER.index(self.type_of(entry.iri)),
                KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER),
                len(entry.text),
            )
            if entry.iri not in best or key < best[entry.iri][0]:
                best[entry.iri] = (key, entry)
        ranked = sorted(best.values(), key=lambda found: (found[0], found[1].iri))
        return [self._hit(entry) for _, entry in ranked[:limit]]

    def _hit(self, entry: _Entry) -> Hit:
        label = self.lexicon.label(entry.iri)
        curie = compress(entry.iri)
        return Hit(
            curie=curie,
            iri=entry.iri,
            label=curie if label == entry.iri else label,
            matched=entry.text,
            kind=entry.kind,
            type=self.type_of(entry.iri),
            url=local_path(entry.iri),
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
