"""Everything the graph says about one term, gathered for its page.

:func:`describe` reads a term's labels, definition and its source, synonyms, parents and
children (asserted or inferred), its relations in and out (the direct edges of the
materialised graph) with the claims behind each, the statistics about it, its mappings to
other ontologies, and whatever else is asserted about it. Claims, statistics and citations get
their evidence spelled out: the curators' note on a claim that is their reading of the source
(``ECO:0000305``) or whose cited work does not report it (``NDKG:0000032 false``), and the
conflicts the curators recorded between statements (``NDKG:0000129``). A defined class carries
the claims behind its definition; an obsolete term (``owl:deprecated``) says what replaces it
(``IAO:0100001``) and why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlencode

import pyoxigraph as ox
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ndkg.answers.classify import FEATURES
from ndkg.explorer import figures
from ndkg.explorer.names import Names, TermRef, is_own, specification
from ndkg.explorer.rdf import Properties, Term, first, iris_of, properties, solutions, values
from ndkg.explorer.rules import Rule, defining_rule
from ndkg.storage.store import Store
from ndkg.vocab import (
    CITED_WORK_REPORTS,
    CLAIM,
    DEFINITION,
    DEFINITION_SOURCE,
    HAS_CITATION,
    HAS_EVIDENCE,
    LAY_LABEL,
    NDKG,
    OBOINOWL,
    REVIEW_DATE,
    REVIEW_STATUS,
    SSSOM,
    STATISTIC,
    SUPPORTING_TEXT,
    TERM_REPLACED_BY,
    VERDICT_PRIORITY,
    Graphs,
)

CITATION = str(NDKG.NDKG_0000109)
CONFLICT = str(NDKG.NDKG_0000129)
PRESENTATIONS = str(NDKG["presentation/"])
CONFLICTING_STATEMENT = str(NDKG.NDKG_0000034)
CURATOR_INFERENCE = "http://purl.obolibrary.org/obo/ECO_0000305"
"""The evidence code of a claim that is the curators' reading of the source."""
OUTCOME = str(NDKG.NDKG_0000036)
APPROXIMATE = str(NDKG.NDKG_0000035)
CITATION_MARKER = str(NDKG.NDKG_0000005)
STATISTIC_ABOUT = str(NDKG.NDKG_0000015)
QUALIFIER = str(NDKG.NDKG_0000029)
PMID = str(NDKG.NDKG_0000024)
DOI = str(NDKG.NDKG_0000025)
CITATION_STATUS = str(NDKG.NDKG_0000026)
CONTAINER = str(NDKG.NDKG_0000027)
DCTERMS_TITLE = "http://purl.org/dc/terms/title"
DCTERMS_DATE = "http://purl.org/dc/terms/date"
STATISTIC_FIELDS = {
    "measure": str(NDKG.NDKG_0000028),
    "value": str(NDKG.NDKG_0000016),
    "minimum": str(NDKG.NDKG_0000017),
    "maximum": str(NDKG.NDKG_0000018),
    "unit": str(NDKG.NDKG_0000019),
    "numerator": str(NDKG.NDKG_0000020),
    "denominator": str(NDKG.NDKG_0000021),
    "population": str(NDKG.NDKG_0000022),
    "time_point": str(NDKG.NDKG_0000023),
}
SYNONYMS = {
    str(OBOINOWL.hasExactSynonym): "exact",
    str(OBOINOWL.hasRelatedSynonym): "related",
    str(OBOINOWL.hasNarrowSynonym): "narrow",
    str(OBOINOWL.hasBroadSynonym): "broad",
}
MATCHES = tuple(
    str(p) for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch,
                     SKOS.relatedMatch)
)
_SHOWN = {
    str(RDFS.label), str(LAY_LABEL), str(DEFINITION), str(DEFINITION_SOURCE), str(RDF.type),
    str(RDFS.subClassOf), str(RDFS.comment), *SYNONYMS, *MATCHES,
}
"""Predicates a page shows in sections of their own, not among the other properties."""
_NOT_REFERENCES = {
    str(RDF.subject), str(RDF.object), str(RDFS.subClassOf), str(RDF.type), STATISTIC_ABOUT,
    str(OWL.annotatedSource), str(OWL.annotatedTarget), *MATCHES,
}
"""Incoming predicates shown elsewhere (relations, children, instances, statistics, mappings)."""
MAX_LISTED = 40
"""How many terms a page lists under one heading before it says how many more there are."""


class Kind(StrEnum):
    """What sort of term a page is about."""

    CLASS = "class"
    CLAIM = "claim"
    STATISTIC = "statistic"
    CONFLICT = "conflict"
    PRESENTATION = "presentation"
    CITATION = "citation"
    PROPERTY = "property"
    INDIVIDUAL = "individual"
    EXTERNAL = "external term"
    RESOURCE = "resource"


@dataclass(frozen=True)
class Citation:
    """A cited work, with its PubMed and DOI links when verified and its status otherwise."""

    ref: TermRef
    title: str | None = None
    container: str | None = None
    date: str | None = None
    marker: str | None = None
    status: TermRef | None = None
    pmid: str | None = None
    doi: str | None = None

    @property
    def short(self) -> str:
        """The work as a short citation, its journal and year ("J Am Coll Radiol 2022"), or its
        label when the graph gives neither."""
        if self.container and self.date:
            return f"{self.container} {self.date}"
        return self.ref.label

    @property
    def pubmed_url(self) -> str | None:
        """The work's PubMed page, if its PMID is verified."""
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else None

    @property
    def doi_url(self) -> str | None:
        """The work's DOI link, if its DOI is verified."""
        return f"https://doi.org/{self.doi}" if self.doi else None


@dataclass(frozen=True)
class Evidence:
    """What supports a claim or a statistic: citation, evidence code, quote, review status,
    whether the cited work reports it (``None`` when the curators say nothing of it), and the
    curators' note."""

    source: TermRef
    citation: Citation | None = None
    marker: str | None = None
    eco: TermRef | None = None
    quote: str | None = None
    qualifier: str | None = None
    status: TermRef | None = None
    date: str | None = None
    reported: bool | None = None
    note: str | None = None

    @property
    def curators_reading(self) -> bool:
        """Whether the statement is the curators' reading of the source (``ECO:0000305``)."""
        return self.eco is not None and self.eco.iri == CURATOR_INFERENCE

    @property
    def unreported(self) -> bool:
        """Whether the curators record that the cited work does not report the statement."""
        return self.reported is False


@dataclass(frozen=True)
class Edge:
    """A direct edge ``subject predicate object`` and the claims behind it.

    ``implied_by`` names a more specific relation between the same two terms that this edge
    follows from (its predicate is a super-property of that one).
    """

    subject: TermRef
    predicate: TermRef
    object: TermRef
    evidence: tuple[Evidence, ...] = ()
    implied_by: TermRef | None = None


@dataclass(frozen=True)
class RelationGroup:
    """The edges of one relation, in or out of a term."""

    predicate: TermRef
    edges: tuple[Edge, ...]


@dataclass(frozen=True)
class Link:
    """A parent, child, type or instance, marked when only the reasoner says so."""

    ref: TermRef
    inferred: bool = False


@dataclass(frozen=True)
class Statistic:
    """A figure about a term, with its values, population, time point and evidence, whether
    it is approximate, and the outcome of a risk."""

    ref: TermRef
    about: TermRef | None
    fields: Mapping[str, str]
    evidence: Evidence
    outcome: TermRef | None = None
    approximate: bool = False

    @property
    def figure(self) -> str:
        """The value as people write it: ``14.2% (209/1469)``, ``50–80%``, ``6–12 weeks``."""
        f = self.fields
        written = figures.figure(
            f.get("value"), f.get("minimum"), f.get("maximum"), f.get("unit", ""),
            f.get("numerator"), f.get("denominator"),
        )
        return f"about {written}" if self.approximate else written

    @property
    def sentence(self) -> str:
        """The statistic as a sentence: ``Prevalence of breast milk leakage: 50–80% of
        lactating women, at some point during their breastfeeding journey.``"""
        f = self.fields
        return figures.sentence(
            f.get("measure", "figure"), self.about.label if self.about else "",
            f.get("population", ""), f.get("time_point", ""),
            approximate=self.approximate, outcome=self.outcome.label if self.outcome else "",
            value=f.get("value"), minimum=f.get("minimum"), maximum=f.get("maximum"),
            unit=f.get("unit", ""), numerator=f.get("numerator"),
            denominator=f.get("denominator"),
        )


@dataclass(frozen=True)
class Statement:
    """A claim or a statistic named in words (a statistic by its sentence), with its evidence."""

    ref: TermRef
    evidence: Evidence


@dataclass(frozen=True)
class Conflict:
    """The curators' record that statements disagree: their note, and each statement with its
    source."""

    ref: TermRef
    note: str | None
    statements: tuple[Statement, ...]
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Feature:
    """A feature of a generated presentation: its name on the classify form, the property it
    stands for, and the value given (``None``: left open)."""

    name: str
    property: TermRef
    value: TermRef | None


@dataclass(frozen=True)
class Presentation:
    """A combination of discharge features the build classified: its features, its verdict
    (the class of lowest verdict priority it falls in) and the classify page for it."""

    features: tuple[Feature, ...]
    verdict: TermRef | None
    classify_url: str


@dataclass(frozen=True)
class TermMapping:
    """A link between an ndkg term and a term of another ontology (SSSOM)."""

    subject: TermRef
    predicate: TermRef
    object: TermRef
    object_label: str | None = None
    justification: TermRef | None = None

    @property
    def url(self) -> str:
        """The resolvable address of the external term (its OBO PURL)."""
        return self.object.iri


@dataclass(frozen=True)
class Value:
    """A value of a property: a term, or literal text with its datatype or language."""

    text: str
    ref: TermRef | None = None
    note: str | None = None


@dataclass(frozen=True)
class PropertyGroup:
    """The values of one property, at most :data:`MAX_LISTED` of them, and how many in all."""

    predicate: TermRef
    values: tuple[Value, ...]
    total: int


@dataclass
class Entity:
    """Everything a term's page shows."""

    ref: TermRef
    kind: Kind
    lay_label: str | None = None
    definition: str | None = None
    definition_sources: list[Citation] = field(default_factory=list)
    synonyms: list[tuple[str, str]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    types: list[Link] = field(default_factory=list)
    parents: list[Link] = field(default_factory=list)
    children: list[Link] = field(default_factory=list)
    instances: list[Link] = field(default_factory=list)
    outgoing: list[RelationGroup] = field(default_factory=list)
    incoming: list[RelationGroup] = field(default_factory=list)
    statistics: list[Statistic] = field(default_factory=list)
    mappings: list[TermMapping] = field(default_factory=list)
    mapped_from: list[TermMapping] = field(default_factory=list)
    claim: Edge | None = None
    statistic: Statistic | None = None
    citation: Citation | None = None
    other: list[PropertyGroup] = field(default_factory=list)
    referenced_by: list[PropertyGroup] = field(default_factory=list)
    specification: str | None = None
    uses: int = 0
    rule: Rule | None = None
    rule_evidence: list[Evidence] = field(default_factory=list)
    defines: Rule | None = None
    obsolete: bool = False
    replaced_by: list[TermRef] = field(default_factory=list)
    conflict: Conflict | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    presentation: Presentation | None = None

    @property
    def external(self) -> bool:
        """Whether the term comes from another ontology."""
        return self.kind is Kind.EXTERNAL


@dataclass(frozen=True)
class _Quad:
    subject: Term
    predicate: str
    object: Term
    graph: str


def describe(
    store: Store, names: Names, iri: str, sub_properties: Mapping[str, set[str]]
) -> Entity | None:
    """Everything about ``iri``, or ``None`` when the graph does not mention it.

    :param sub_properties: each property's sub-properties (transitively), to tell which edges
        follow from more specific ones.
    :raises ValueError: if ``iri`` is not a valid IRI.
    """
    out = _quads(store, f"{values('s', [iri])} GRAPH ?g {{ ?s ?p ?o }}")
    into = _quads(store, f"{values('o', [iri])} GRAPH ?g {{ ?s ?p ?o }}")
    uses = _uses(store, iri)
    if not out and not into and not uses:
        return None
    own = _by_predicate(out)
    types = {q.object.value for q in out if q.predicate == str(RDF.type)}
    kind = Kind.PROPERTY if uses and not out else _kind(iri, types, own)
    entity = Entity(names.ref(iri), kind, specification=specification(iri), uses=uses)
    entity.rule = defining_rule(store, names, iri)
    entity.lay_label = _first_text(own, str(LAY_LABEL))
    entity.definition = _first_text(own, str(DEFINITION))
    entity.synonyms = sorted(
        {(q.object.value, SYNONYMS[q.predicate]) for q in out if q.predicate in SYNONYMS}
    )
    entity.comments = sorted({q.object.value for q in own.get(str(RDFS.comment), [])})
    entity.obsolete = any(q.object.value in ("true", "1") for q in own.get(str(OWL.deprecated), []))
    entity.replaced_by = [names.ref(q.object.value) for q in own.get(str(TERM_REPLACED_BY), [])
                          if isinstance(q.object, ox.NamedNode)]

    claims = {q.subject.value for q in into if q.predicate in (str(RDF.subject), str(RDF.object))}
    stats = {q.subject.value for q in into if q.predicate == STATISTIC_ABOUT}
    conflicts = {q.subject.value for q in into if q.predicate == CONFLICTING_STATEMENT}
    stated = {q.object.value for q in own.get(CONFLICTING_STATEMENT, [])
              if isinstance(q.object, ox.NamedNode)}
    if entity.kind in (Kind.CLAIM, Kind.STATISTIC, Kind.CONFLICT):
        {Kind.CLAIM: claims, Kind.STATISTIC: stats, Kind.CONFLICT: conflicts}[entity.kind].add(iri)
    conflict_props = properties(store, conflicts)
    stated |= {o.value for p in conflict_props.values()
               for o in p.get(CONFLICTING_STATEMENT, []) if isinstance(o, ox.NamedNode)}
    props = properties(store, claims | stats | conflicts | stated)
    cited = {c for p in props.values() for c in iris_of(p, str(HAS_CITATION))}
    sources = {q.object.value for q in own.get(str(DEFINITION_SOURCE), [])
               if isinstance(q.object, ox.NamedNode)}
    if entity.kind is Kind.CITATION:
        sources.add(iri)
    citations = cited_works(store, names, cited | sources)
    evidence = {c: _evidence(names, c, props[c], citations) for c in props}

    entity.definition_sources = [citations[s] for s in sorted(sources) if s in citations]
    entity.types = _links(names, out, str(RDF.type), "object", skip_builtin=True)
    entity.parents = _links(names, out, str(RDFS.subClassOf), "object")
    entity.children = _links(names, into, str(RDFS.subClassOf), "subject")
    entity.instances = _links(names, into, str(RDF.type), "subject")
    entity.outgoing = _relations(names, out, "object", props, evidence, sub_properties)
    entity.incoming = _relations(names, into, "subject", props, evidence, sub_properties)
    entity.statistics = [_statistic(names, s, props[s], evidence[s]) for s in sorted(stats)
                         if s != iri]
    entity.rule_evidence = [
        evidence[c] for c in sorted(claims)
        if first(props[c], str(RDF.subject)) == iri
        and first(props[c], str(RDF.predicate)) == str(OWL.equivalentClass)
    ]
    records = [_conflict(names, c, props, evidence) for c in sorted(conflicts)]
    entity.conflicts = [c for c in records if c.ref.iri != iri]
    entity.conflict = next((c for c in records if c.ref.iri == iri), None)
    entity.mappings = _mappings(store, names, iri, out, "object")
    entity.mapped_from = _mappings(store, names, iri, into, "subject")
    if entity.kind is Kind.CLAIM:
        entity.claim = _claim_edge(store, names, props[iri], evidence[iri])
        if entity.claim is not None and entity.claim.predicate.iri == str(OWL.equivalentClass):
            entity.defines = defining_rule(store, names, entity.claim.subject.iri)
    if entity.kind is Kind.STATISTIC:
        entity.statistic = _statistic(names, iri, props[iri], evidence[iri])
    if entity.kind is Kind.CITATION:
        entity.citation = citations.get(iri)
    if entity.kind is Kind.PRESENTATION:
        entity.presentation = _presentation(store, names, iri)
    entity.other = _groups(
        names,
        (q for q in out if q.predicate not in _SHOWN and q.graph != str(Graphs.MATERIALISED)),
        "object",
    )
    entity.referenced_by = _groups(
        names,
        (q for q in into if q.predicate not in _NOT_REFERENCES
         and q.graph != str(Graphs.MATERIALISED) and isinstance(q.subject, ox.NamedNode)),
        "subject",
    )
    return entity


DEFINITION_CLAIMS = """
SELECT ?claim WHERE { %s ?claim rdf:subject ?class ; rdf:predicate owl:equivalentClass }
"""


def definition_evidence(store: Store, names: Names, iri: str) -> list[Evidence]:
    """The evidence of the claims behind the definition of class ``iri`` (claims whose
    predicate is ``owl:equivalentClass``), without describing the whole class.

    :raises ValueError: if ``iri`` is not a valid IRI.
    """
    claims = {row["claim"].value for row in solutions(store, DEFINITION_CLAIMS % values(
        "class", [iri]))}
    props = properties(store, claims)
    cited = {c for p in props.values() for c in iris_of(p, str(HAS_CITATION))}
    citations = cited_works(store, names, cited)
    return [_evidence(names, c, props[c], citations) for c in sorted(props)]


def _uses(store: Store, iri: str) -> int:
    """How many statements of the graph have ``iri`` as their predicate."""
    rows = solutions(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {values('p', [iri])} "
                            "GRAPH ?g { ?s ?p ?o } }")
    return int(rows[0]["n"].value) if rows and "n" in rows[0] else 0


def _quads(store: Store, pattern: str) -> list[_Quad]:
    rows = solutions(store, f"SELECT DISTINCT ?s ?p ?o ?g WHERE {{ {pattern} }}")
    return [_Quad(r["s"], r["p"].value, r["o"], r["g"].value) for r in rows]


def _by_predicate(quads: Iterable[_Quad]) -> dict[str, list[_Quad]]:
    grouped: dict[str, list[_Quad]] = defaultdict(list)
    for quad in quads:
        grouped[quad.predicate].append(quad)
    return grouped


def _first_text(grouped: Mapping[str, list[_Quad]], predicate: str) -> str | None:
    quads = grouped.get(predicate)
    return quads[0].object.value if quads else None


def _kind(iri: str, types: set[str], own: Mapping[str, list[_Quad]]) -> Kind:
    if str(CLAIM) in types:
        return Kind.CLAIM
    if str(STATISTIC) in types:
        return Kind.STATISTIC
    if CONFLICT in types:
        return Kind.CONFLICT
    if iri.startswith(PRESENTATIONS) and not iri.startswith(PRESENTATIONS + "value/"):
        return Kind.PRESENTATION
    if CITATION in types:
        return Kind.CITATION
    if not is_own(iri):
        return Kind.EXTERNAL if own else Kind.RESOURCE
    if str(OWL.Class) in types:
        return Kind.CLASS
    if types & {str(OWL.ObjectProperty), str(OWL.AnnotationProperty), str(OWL.DatatypeProperty)}:
        return Kind.PROPERTY
    return Kind.INDIVIDUAL


def _links(
    names: Names, quads: Iterable[_Quad], predicate: str, end: str, *, skip_builtin: bool = False
) -> list[Link]:
    graphs: dict[str, set[str]] = defaultdict(set)
    for quad in quads:
        term = getattr(quad, end)
        if quad.predicate == predicate and isinstance(term, ox.NamedNode):
            graphs[term.value].add(quad.graph)
    builtin = (str(OWL), str(RDFS), str(RDF))
    links = [
        Link(names.ref(iri), inferred=in_graphs <= {str(Graphs.INFERRED)})
        for iri, in_graphs in graphs.items()
        if not (skip_builtin and iri.startswith(builtin))
    ]
    return sorted(links, key=lambda link: (link.inferred, link.ref.label.lower()))


def cited_works(store: Store, names: Names, iris: set[str]) -> dict[str, Citation]:
    """The cited works among ``iris``, by IRI, with their PubMed and DOI identifiers."""
    found = {}
    for iri, props in properties(store, iris).items():
        if CITATION not in iris_of(props, str(RDF.type)):
            continue
        status = first(props, CITATION_STATUS)
        found[iri] = Citation(
            ref=names.ref(iri),
            title=first(props, DCTERMS_TITLE),
            container=first(props, CONTAINER),
            date=first(props, DCTERMS_DATE),
            marker=first(props, CITATION_MARKER),
            status=names.ref(status) if status else None,
            pmid=first(props, PMID),
            doi=first(props, DOI),
        )
    return found


def _evidence(
    names: Names, iri: str, props: dict[str, list[Term]], citations: Mapping[str, Citation]
) -> Evidence:
    citation = first(props, str(HAS_CITATION))
    eco = first(props, str(HAS_EVIDENCE))
    status = first(props, str(REVIEW_STATUS))
    reported = first(props, str(CITED_WORK_REPORTS))
    return Evidence(
        source=names.ref(iri),
        citation=citations.get(citation) if citation else None,
        marker=first(props, CITATION_MARKER),
        eco=names.ref(eco) if eco else None,
        quote=first(props, str(SUPPORTING_TEXT)),
        qualifier=first(props, QUALIFIER),
        status=names.ref(status) if status else None,
        date=first(props, str(REVIEW_DATE)),
        reported=None if reported is None else reported in ("true", "1"),
        note=first(props, str(RDFS.comment)),
    )


def _relations(
    names: Names,
    quads: Iterable[_Quad],
    end: str,
    claims: Properties,
    evidence: Mapping[str, Evidence],
    sub_properties: Mapping[str, set[str]],
) -> list[RelationGroup]:
    edges = {
        (q.subject.value, q.predicate, q.object.value)
        for q in quads
        if q.graph == str(Graphs.MATERIALISED) and q.predicate != str(RDFS.label)
        and isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)
    }
    behind: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    for claim, props in sorted(claims.items()):
        s, p, o = (first(props, str(part)) for part in (RDF.subject, RDF.predicate, RDF.object))
        if s is not None and p is not None and o is not None and (s, p, o) in edges:
            behind[(s, p, o)].append(evidence[claim])
    by_predicate: dict[str, list[Edge]] = defaultdict(list)
    for s, p, o in edges:
        narrower = sorted(q for q in sub_properties.get(p, ()) if (s, q, o) in edges)
        by_predicate[p].append(Edge(
            names.ref(s), names.ref(p), names.ref(o), tuple(behind[(s, p, o)]),
            names.ref(narrower[0]) if narrower else None,
        ))
    groups = [
        RelationGroup(names.ref(p), tuple(sorted(
            group, key=lambda e: getattr(e, end).label.lower()
        )))
        for p, group in by_predicate.items()
    ]
    return sorted(groups, key=lambda g: (all(e.implied_by for e in g.edges), g.predicate.label))


def _statistic(
    names: Names, iri: str, props: dict[str, list[Term]], evidence: Evidence
) -> Statistic:
    about = first(props, STATISTIC_ABOUT)
    outcome = first(props, OUTCOME)
    fields = {name: text for name, predicate in STATISTIC_FIELDS.items()
              if (text := first(props, predicate)) is not None}
    return Statistic(
        names.ref(iri), names.ref(about) if about else None, fields, evidence,
        names.ref(outcome) if outcome else None, first(props, APPROXIMATE) in ("true", "1"),
    )


PRESENTATION_QUERY = f"""
SELECT ?property ?value ?class ?priority WHERE {{
  %s
  {{ GRAPH <{Graphs.CLASSIFICATION}> {{ ?combination ?property ?individual . ?individual a ?value }}
     FILTER(?property IN (%s))
     ?property rdfs:range/owl:unionOf/rdf:rest*/rdf:first ?value }}
  UNION {{ ?combination a ?class . ?class <{VERDICT_PRIORITY}> ?priority }}
}}
"""
"""The feature values of a generated presentation, and the verdict classes it falls in."""


def _presentation(store: Store, names: Names, iri: str) -> Presentation:
    """The features and verdict of the generated presentation ``iri``."""
    properties_ = ", ".join(f"<{p}>" for p in FEATURES.values())
    rows = solutions(store, PRESENTATION_QUERY % (values("combination", [iri]), properties_))
    given = {r["property"].value: r["value"].value for r in rows if "property" in r}
    ranked = sorted((int(r["priority"].value), r["class"].value) for r in rows if "class" in r)
    features = tuple(
        Feature(name, names.ref(prop), names.ref(given[prop]) if prop in given else None)
        for name, prop in FEATURES.items()
    )
    query = urlencode([(f.name, f.value.curie) for f in features if f.value is not None])
    return Presentation(
        features, names.ref(ranked[0][1]) if ranked else None,
        f"/explore/classify?{query}#verdict",
    )


def _conflict(
    names: Names, iri: str, props: Properties, evidence: Mapping[str, Evidence]
) -> Conflict:
    """The conflict record ``iri``: its note and each statement it names, with its evidence."""
    own = props.get(iri, {})
    statements = sorted(iris_of(own, CONFLICTING_STATEMENT))
    return Conflict(
        names.ref(iri), first(own, str(RDFS.comment)),
        tuple(Statement(names.ref(s), evidence[s]) for s in statements if s in evidence),
        evidence.get(iri),
    )


def _claim_edge(
    store: Store, names: Names, props: dict[str, list[Term]], evidence: Evidence
) -> Edge | None:
    """What a claim states. The evidence of a definition (predicate ``owl:equivalentClass``)
    has the class expression as its object: it is shown as the defining rule of its subject,
    linked to that rule on the subject's page."""
    parts = [first(props, str(p)) for p in (RDF.subject, RDF.predicate, RDF.object)]
    if None in parts:
        return None
    subject, predicate, obj = (part for part in parts if part is not None)
    s, p = names.ref(subject), names.ref(predicate)
    if predicate == str(OWL.equivalentClass):
        rule = defining_rule(store, names, subject)
        words = rule.words() if rule else names.label(subject)
        return Edge(s, p, TermRef(subject, s.curie, words, f"{s.href}#h-rule"), (evidence,))
    return Edge(s, p, names.ref(obj), (evidence,))


def _mappings(
    store: Store, names: Names, iri: str, quads: Iterable[_Quad], end: str
) -> list[TermMapping]:
    pairs = [
        (q.subject.value, q.predicate, q.object.value) for q in quads
        if q.predicate in MATCHES and q.graph == str(Graphs.MAPPINGS)
    ]
    if not pairs:
        return []
    side = "source" if end == "object" else "target"
    query = f"""
        SELECT ?s ?p ?o ?label ?justification WHERE {{
          {values('term', [iri])}
          GRAPH <{Graphs.MAPPINGS}> {{
            ?axiom owl:annotated{side.title()} ?term ; owl:annotatedSource ?s ;
                   owl:annotatedProperty ?p ; owl:annotatedTarget ?o .
            OPTIONAL {{ ?axiom <{SSSOM.object_label}> ?label }}
            OPTIONAL {{ ?axiom <{SSSOM.mapping_justification}> ?justification }}
          }}
        }}"""
    details = {
        (r["s"].value, r["p"].value, r["o"].value): r for r in solutions(store, query)
    }
    mappings = []
    for s, p, o in pairs:
        row = details.get((s, p, o), {})
        label = row.get("label")
        justification = row.get("justification")
        mappings.append(TermMapping(
            names.ref(s), names.ref(p), names.ref(o),
            label.value if label else None,
            names.ref(justification.value) if justification else None,
        ))
    return sorted(mappings, key=lambda m: (MATCHES.index(m.predicate.iri), m.object.curie))


def _groups(names: Names, quads: Iterable[_Quad], end: str) -> list[PropertyGroup]:
    grouped: dict[str, dict[str, Value]] = defaultdict(dict)
    for quad in quads:
        term = getattr(quad, end)
        if isinstance(term, ox.NamedNode):
            ref = names.ref(term.value)
            grouped[quad.predicate][term.value] = Value(ref.label, ref)
        elif isinstance(term, ox.Literal):
            grouped[quad.predicate][str(term)] = Value(term.value, note=_literal_note(term))
    groups = []
    for predicate, found in grouped.items():
        listed = sorted(found.values(), key=lambda v: v.text.lower())
        groups.append(PropertyGroup(names.ref(predicate), tuple(listed[:MAX_LISTED]), len(listed)))
    return sorted(groups, key=lambda g: g.predicate.label.lower())


def _literal_note(literal: ox.Literal) -> str | None:
    if literal.language:
        return literal.language
    datatype = literal.datatype.value
    if datatype.endswith(("#string", "#langString")):
        return None
    return datatype.rsplit("#", 1)[-1]
