"""One store's explorer: what every page needs, read once and kept (the store is read-only).

>>> from ndkg import open_store  # doctest: +SKIP
>>> explorer = Explorer(open_store("build"))  # doctest: +SKIP
>>> explorer.search("let-down")[0].label  # doctest: +SKIP
'milk ejection reflex'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ndkg.answers.classify import Classifier
from ndkg.answers.lexicon import Lexicon, compress
from ndkg.explorer import categories, downloads, entity, pictures, sources, statistics
from ndkg.explorer.estimates import Estimates
from ndkg.explorer.names import Names
from ndkg.explorer.rdf import solutions, values
from ndkg.explorer.rules import Rule, defining_rule
from ndkg.explorer.search import Hit, Results, SearchIndex
from ndkg.explorer.spread import SpreadChart, chart_id, spread_chart
from ndkg.model.sources import QUERIES_DIR
from ndkg.questions import Questions
from ndkg.storage.store import Store, build_of
from ndkg.vocab import BASE, CLAIM, STATISTIC, Graphs

TYPES_QUERY = f"""
SELECT DISTINCT ?term ?type WHERE {{
  VALUES (?class ?type) {{
    (<{CLAIM}> "claim") (<{STATISTIC}> "statistic") (NDKG:0000109 "citation")
  }}
  ?term a ?class .
}}
"""
MAPPINGS_QUERY = f"""
SELECT ?term ?predicate ?external WHERE {{
  GRAPH <{Graphs.MAPPINGS}> {{ ?term ?predicate ?external }}
  FILTER(?predicate IN (skos:exactMatch, skos:closeMatch, skos:broadMatch, skos:narrowMatch,
                        skos:relatedMatch))
}}
"""
SUB_PROPERTIES_QUERY = """
SELECT DISTINCT ?property ?sub WHERE {
  ?sub rdfs:subPropertyOf+ ?property . FILTER(isIRI(?sub) && isIRI(?property) && ?sub != ?property)
}
"""
DEFINITIONS_QUERY = """
SELECT ?term (SAMPLE(?text) AS ?definition) WHERE { ?term obo:IAO_0000115 ?text } GROUP BY ?term
"""
OBSOLETE_QUERY = """
SELECT ?term ?replacement WHERE {
  ?term owl:deprecated true .
  OPTIONAL { ?term obo:IAO_0100001 ?replacement }
}
"""
"""Obsolete terms and the terms that replace them."""
GROUPS_QUERY = f"""
SELECT ?combination ?class ?priority WHERE {{
  {{ GRAPH <{Graphs.INFERRED}> {{ ?combination a ?class }} }}
  UNION {{ GRAPH <{Graphs.CLASSIFICATION}> {{ ?combination a ?class }} }}
  ?class NDKG:0000038 ?priority .
}}
"""
"""The verdict classes each classified combination falls in, with their priority."""
PRESENTATIONS = BASE + "presentation/"


@dataclass
class Explorer:
    """The explorer of one read-only store."""

    store: Store
    _reasons: dict[tuple[str, bool], tuple[Rule | None, tuple[entity.Evidence, ...]]] = field(
        default_factory=dict, repr=False
    )

    @property
    def build(self) -> Path:
        """The build folder the store belongs to."""
        return build_of(self.store)

    @cached_property
    def lexicon(self) -> Lexicon:
        """Labels, lay labels and synonyms of every term."""
        return Lexicon.from_store(self.store)

    @cached_property
    def figures(self) -> dict[str, statistics.Figure]:
        """Every statistic of the graph, by IRI."""
        return statistics.read_figures(self.store)

    @cached_property
    def estimates(self) -> Estimates:
        """Every estimate of the graph with its source, and the curators' conflict records."""
        return Estimates.read(self.store)

    @cached_property
    def names(self) -> Names:
        """Labels and links of terms, in clinical words; statistics named by their sentence."""
        return Names(self.lexicon, described=statistics.sentences(self.figures, self.lexicon))

    @cached_property
    def lay_names(self) -> Names:
        """Labels and links of terms, in everyday words where the graph has them."""
        described = statistics.sentences(self.figures, self.lexicon, lay=True)
        return Names(self.lexicon, lay=True, described=described)

    def namer(self, lay: bool = False) -> Names:
        """The names in everyday words when ``lay``, else in clinical words."""
        return self.lay_names if lay else self.names

    @cached_property
    def sub_properties(self) -> dict[str, set[str]]:
        """Each property's sub-properties, transitively."""
        found: dict[str, set[str]] = defaultdict(set)
        for row in solutions(self.store, SUB_PROPERTIES_QUERY):
            found[row["property"].value].add(row["sub"].value)
        return dict(found)

    @cached_property
    def index(self) -> SearchIndex:
        """The search index of every term."""
        types = {r["term"].value: r["type"].value for r in solutions(self.store, TYPES_QUERY)}
        types.update({iri: "presentation" for iri in self.lexicon.texts_by_term
                      if iri.startswith(PRESENTATIONS)})
        mappings = [
            (r["term"].value, compress(r["predicate"].value), r["external"].value)
            for r in solutions(self.store, MAPPINGS_QUERY)
        ]
        definitions = {r["term"].value: r["definition"].value
                       for r in solutions(self.store, DEFINITIONS_QUERY) if "definition" in r}
        return SearchIndex.from_lexicon(self.lexicon, types, mappings, definitions,
                                        self._groups(), self.obsolete, self.names.described)

    @cached_property
    def obsolete(self) -> dict[str, tuple[str, ...]]:
        """Each obsolete term of the graph, with the terms that replace it."""
        found: dict[str, list[str]] = defaultdict(list)
        for row in solutions(self.store, OBSOLETE_QUERY):
            replaced = found[row["term"].value]
            if "replacement" in row:
                replaced.append(row["replacement"].value)
        return {term: tuple(sorted(replacements)) for term, replacements in found.items()}

    def _groups(self) -> dict[str, str]:
        """For each classified combination, its verdict: the class of lowest verdict priority
        it falls in."""
        best: dict[str, tuple[int, str]] = {}
        for row in solutions(self.store, GROUPS_QUERY):
            combination = row["combination"].value
            ranked = (int(row["priority"].value), row["class"].value)
            best[combination] = min(best.get(combination, ranked), ranked)
        return {combination: cls for combination, (_, cls) in best.items()}

    @cached_property
    def chain(self) -> pictures.Picture:
        """The causal chain from triggers to leakage."""
        return pictures.causal_chain(self.store, self.names)

    @cached_property
    def lay_chain(self) -> pictures.Picture:
        """The causal chain, in everyday words."""
        return pictures.causal_chain(self.store, self.lay_names)

    def chain_for(self, lay: bool = False) -> pictures.Picture:
        """The causal chain, in everyday words when ``lay``."""
        return self.lay_chain if lay else self.chain

    @cached_property
    def classifier(self) -> Classifier:
        """What classifies presentations with the build's classification."""
        return Classifier(self.store, self.lexicon)

    @cached_property
    def questions(self) -> Questions:
        """The named questions of the build."""
        return Questions(self.store, self.build / QUERIES_DIR)

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """The terms best matching ``query``."""
        return self.index.search(query, limit)

    def search_page(self, query: str, limit: int = 50) -> Results:
        """What the search page lists for ``query``: curated terms first, then the generated
        combinations grouped under their class."""
        return self.index.results(query, limit)

    def knows(self, iri: str) -> bool:
        """Whether the graph mentions ``iri`` (as a subject or an object).

        :raises ValueError: if ``iri`` is not a valid IRI.
        """
        binding = values("term", [iri])
        result = self.store.query(
            f"ASK {{ {binding} {{ ?term ?p ?o }} UNION {{ ?s ?p ?term }} }}"
        )
        return bool(result)

    def describe(self, iri: str, lay: bool = False) -> entity.Entity | None:
        """Everything about ``iri`` (``None`` if the graph does not mention it), terms named in
        everyday words when ``lay``.

        :raises ValueError: if ``iri`` is not a valid IRI.
        """
        return entity.describe(self.store, self.namer(lay), iri, self.sub_properties)

    def citations(self, iris: set[str], lay: bool = False) -> dict[str, entity.Citation]:
        """The cited works among ``iris``, by IRI, named in everyday words when ``lay``."""
        return entity.cited_works(self.store, self.namer(lay), iris)

    def why(self, iri: str, lay: bool = False) -> tuple[Rule | None, tuple[entity.Evidence, ...]]:
        """The defining rule of class ``iri`` and the evidence of the claims behind it, read
        once per audience (the classify page shows them for every verdict).

        :raises ValueError: if ``iri`` is not a valid IRI.
        """
        key = (iri, lay)
        if key not in self._reasons:
            names = self.namer(lay)
            self._reasons[key] = (
                defining_rule(self.store, names, iri),
                tuple(entity.definition_evidence(self.store, names, iri)),
            )
        return self._reasons[key]

    def sources_say(self, iri: str, lay: bool = False) -> sources.SourcesSay | None:
        """What the sources say of ``iri``: counts per source, agreement and disagreement
        (``None`` when no claim or statistic says anything of it).

        :raises ValueError: if ``iri`` is not a valid IRI.
        """
        return sources.sources_say(self.store, self.namer(lay), self.estimates, iri)

    def conflict(self, iri: str, lay: bool = False) -> sources.Disagreement | None:
        """The conflict record ``iri`` with its statements' sources and the chart of its
        estimates (``None`` if ``iri`` is no conflict record)."""
        if iri not in self.estimates.conflicts:
            return None
        return sources.conflict_disagreement(self.namer(lay), self.estimates, iri)

    def estimates_chart(
        self, statistics: list[str], about: str | None, lay: bool = False
    ) -> SpreadChart | None:
        """The chart of the estimates ``statistics`` (an answer's), with the notes of the
        conflicts that name them (``None`` when fewer than two have a number)."""
        data, names = self.estimates, self.namer(lay)
        title = f"Every estimate about {names.label(about)}" if about else "Every estimate"
        return spread_chart(chart_id(about or "answer"), title, data.of(statistics), data,
                            names, data.conflicts_naming(statistics))

    def neighbourhood(self, iri: str, lay: bool = False) -> pictures.Picture:
        """``iri`` and its direct relations."""
        return pictures.neighbourhood(self.store, self.namer(lay), iri, self.sub_properties)

    def members(self, category: categories.Category, lay: bool = False) -> list[categories.Member]:
        """The classes in ``category``."""
        return categories.members(self.store, self.namer(lay), category)

    def release_files(self) -> list[downloads.ReleaseFile]:
        """The downloadable files of the build."""
        return downloads.release_files(self.build)
