"""The words of the graph: labels, synonyms and lay labels of every term, read from the store.

Used to resolve what people type ("blood-stained", "one breast", "HP:0100829") to terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import curies
import pyoxigraph as ox

from ndkg.storage.store import Store
from ndkg.vocab import PREFIXES

CONVERTER = curies.Converter.from_prefix_map(
    {k: v for k, v in PREFIXES.items() if k not in {"ndkg", "obo"}}
)

_WORD_PROPERTIES = """
  VALUES (?property ?kind) {
    (rdfs:label "label") (NDKG:0000001 "lay label")
    (oboInOwl:hasExactSynonym "exact synonym") (oboInOwl:hasRelatedSynonym "related synonym")
    (oboInOwl:hasNarrowSynonym "narrow synonym") (oboInOwl:hasBroadSynonym "broad synonym")
  }"""


def words_query(terms: Iterable[str] | None = None) -> str:
    """The query for the labels, lay labels and synonyms of every term, or of ``terms`` (IRIs
    read from the graph, each checked as an IRI by pyoxigraph before it is written in).

    >>> "VALUES ?term { <https://w3id.org/ndkg/NDKG_0000224> }" in words_query(
    ...     ["https://w3id.org/ndkg/NDKG_0000224"])
    True
    """
    among = ""
    if terms is not None:
        among = "\n  VALUES ?term { " + " ".join(str(ox.NamedNode(t)) for t in terms) + " }"
    return f"""
SELECT DISTINCT ?term ?text ?kind WHERE {{{among}{_WORD_PROPERTIES}
  ?term ?property ?text .
  FILTER(isIRI(?term) && isLiteral(?text))
}}
"""


def normalise(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces.

    >>> normalise("  Blood-stained  Discharge! ")
    'blood stained discharge'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


@dataclass
class Lexicon:
    """An index from normalised words to the terms they name."""

    terms_by_text: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    texts_by_term: dict[str, list[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @classmethod
    def from_store(cls, store: Store, terms: Iterable[str] | None = None) -> Lexicon:
        """Read every label, lay label and synonym of the graph, or only those of ``terms``."""
        lexicon = cls()
        for row in store.select(words_query(terms), use_prefixes=True):
            lexicon.add(row["term"], row["text"], row["kind"])
        return lexicon

    def add(self, term: str, text: str, kind: str) -> None:
        """Index ``text`` as a name of ``term``."""
        self.terms_by_text[normalise(text)].add(term)
        self.texts_by_term[term].append((text, kind))

    def lookup(self, text: str) -> set[str]:
        """Terms named exactly ``text`` (after normalisation), or the IRI a CURIE expands to."""
        iri = expand(text)
        if iri is not None:
            return {iri}
        return set(self.terms_by_text.get(normalise(text), set()))

    def label(self, term: str) -> str:
        """The label of ``term`` (its IRI when it has none)."""
        return next((t for t, kind in self.texts_by_term.get(term, []) if kind == "label"), term)

    def lay_label(self, term: str) -> str:
        """The lay label of ``term``, else its label."""
        lay = next((t for t, kind in self.texts_by_term.get(term, []) if kind == "lay label"), None)
        return lay or self.label(term)


def expand(text: str) -> str | None:
    """The IRI that ``text`` denotes when it is an IRI or a known CURIE, else ``None``.

    >>> expand("HP:0100829")
    'http://purl.obolibrary.org/obo/HP_0100829'
    >>> expand("NDKG:0000224")
    'https://w3id.org/ndkg/NDKG_0000224'
    """
    text = text.strip()
    if re.match(r"^https?://\S+$", text):
        return text
    if re.match(r"^[A-Za-z][A-Za-z0-9]*:[A-Za-z0-9_.-]+$", text):
        return CONVERTER.expand(text)
    return None


def compress(iri: str) -> str:
    """The CURIE of ``iri`` where ndkg knows its prefix, else the IRI.

    >>> compress("http://purl.obolibrary.org/obo/HP_0100829")
    'HP:0100829'
    """
    return CONVERTER.compress(iri) or iri


def field_match(text: str, names: dict[str, list[str]]) -> set[str]:
    """The values of a field that ``text`` names: those with a name equal to it (after
    :func:`normalise`), else, if only one value has it, the value one of whose names, or a
    word of them, starts with it. Inside a field, "single" can only mean "single duct".

    :param names: each allowed value of the field and its names (label, synonyms, lay label).

    >>> values = {"d1": ["single duct"], "d2": ["multiple ducts", "several ducts"]}
    >>> field_match("Single", values), field_match("multiple", values), field_match("duct", values)
    ({'d1'}, {'d2'}, set())
    """
    wanted = normalise(text)
    if not wanted:
        return set()
    exact = {value for value, texts in names.items() if wanted in map(normalise, texts)}
    if exact:
        return exact
    found = set()
    for value, texts in names.items():
        for name in map(normalise, texts):
            if name.startswith(wanted) or any(w.startswith(wanted) for w in name.split()):
                found.add(value)
    return found if len(found) == 1 else set()
