"""Everything the graph says about one term, gathered for its page.

:func:`describe` reads a term's labels, definition and its source, synonyms, parents and
children (asserted or inferred), its relations in and out (the direct edges of the
materialised graph) with the claims behind each, the statistics about it, its mappings to
other ontologies, and whatever else is asserted about it. Claims, statistics and citations get
their evidence spelled out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import pyoxigraph as ox
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ndkg.explorer import figures
from ndkg.explorer.names import Names, TermRef, is_own, specification
from ndkg.explorer.rdf import Properties, Term, first, iris_of, properties, solutions, values
from ndkg.explorer.rules import Rule, defining_rule
from ndkg.store import Store
from ndkg.vocab import (
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
    Graphs,
)

CITATION = str(NDKG.NDKG_0000109)
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
    def pubmed_url(self) -> str | None:
        """The work's PubMed page, if its PMID is verified."""
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else None

    @property
    def doi_url(self) -> str | None:
        """The work's DOI link, if its DOI is verified."""
        return f"https://doi.org/{self.doi}" if self.doi else None


@dataclass(frozen=True)
class Evidence:
    """What supports a claim or a statistic: citation, evidence code, quote, review status."""

    source: TermRef
    citation: Citation | None = None
    marker: str | None = None
    eco: TermRef | None = None
    quote: str | None = None
    qualifier: str | None = None
    status: TermRef | None = None
    date: str | None = None


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
    """A figure about a term, with its values, population, time point and evidence."""

    ref: TermRef
    about: TermRef | None
    fields: Mapping[str, str]
    evidence: Evidence

    @property
    def figure(self) -> str:
        """The value as people write it: ``14.2% (209/1469)``, ``50–80%``, ``6–12 weeks``."""
        f = self.fields
        return figures.figure(
            f.get("value"), f.get("minimum"), f.get("maximum"), f.get("unit", ""),
            f.get("numerator"), f.get("denominator"),
        )

    @property
    def sentence(self) -> str:
        """The statistic as a sentence: ``Prevalence of breast milk leakage: 50–80% of
        lactating women, at some point during their breastfeeding journey.``"""
        f = self.fields
        return figures.sentence(
            f.get("measure", "figure"), self.about.label if self.about else "",
            f.get("population", ""), f.get("time_point", ""),
            value=f.get("value"), minimum=f.get("minimum"), maximum=f.get("maximum"),
            unit=f.get("unit", ""), numerator=f.get("numerator"),
            denominator=f.get("denominator"),
        )


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

    claims = {q.subject.value for q in into if q.predicate in (str(RDF.subject), str(RDF.object))}
    stats = {q.subject.value for q in into if q.predicate == STATISTIC_ABOUT}
    if entity.kind in (Kind.CLAIM, Kind.STATISTIC):
        (claims if entity.kind is Kind.CLAIM else stats).add(iri)
    props = properties(store, claims | stats)
    cited = {c for p in props.values() for c in iris_of(p, str(HAS_CITATION))}
    sources = {q.object.value for q in own.get(str(DEFINITION_SOURCE), [])
               if isinstance(q.object, ox.NamedNode)}
    if entity.kind is Kind.CITATION:
        sources.add(iri)
    citations = _citations(store, names, cited | sources)
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
    entity.mappings = _mappings(store, names, iri, out, "object")
    entity.mapped_from = _mappings(store, names, iri, into, "subject")
    if entity.kind is Kind.CLAIM:
        entity.claim = _claim_edge(store, names, props[iri], evidence[iri])
    if entity.kind is Kind.STATISTIC:
        entity.statistic = _statistic(names, iri, props[iri], evidence[iri])
    if entity.kind is Kind.CITATION:
        entity.citation = citations.get(iri)
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


def _citations(store: Store, names: Names, iris: set[str]) -> dict[str, Citation]:
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
    return Evidence(
        source=names.ref(iri),
        citation=citations.get(citation) if citation else None,
        marker=first(props, CITATION_MARKER),
        eco=names.ref(eco) if eco else None,
        quote=first(props, str(SUPPORTING_TEXT)),
        qualifier=first(props, QUALIFIER),
        status=names.ref(status) if status else None,
        date=first(props, str(REVIEW_DATE)),
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
    fields = {name: text for name, predicate in STATISTIC_FIELDS.items()
              if (text := first(props, predicate)) is not None}
    return Statistic(names.ref(iri), names.ref(about) if about else None, fields, evidence)


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
