"""The OWL release: the ontology as OWL tools (the OWL API under ROBOT and Protégé, pronto, OAK)
read it, whole.

What changes from the graph the store holds:

- **Claims as axiom annotations.** The OWL API drops ``rdf:subject``, ``rdf:predicate`` and
  ``rdf:object`` (they are RDF reification, not OWL). Each claim's evidence is written instead
  as an ``owl:Axiom`` annotating the axiom the claim supports, the way GO and HPO carry
  evidence: ``subject ⊑ predicate some object`` for a relation claim, ``subject ≡ expression``
  for a claim whose predicate is ``owl:equivalentClass`` and whose object is that expression's
  blank node. The annotations are the claim's annotation-property values (citation, marker,
  supporting text, review status and date, qualifier ...), ``oboInOwl:hasDbXref`` with the
  PMID and DOI of a verified citation the claim reports, and ``rdfs:seeAlso`` the claim. The
  claim stays an individual with its label and its evidence code (``RO:0002558`` is an object
  property, which OWL 2 DL does not let annotate an axiom). A claim marked
  ``owl:deprecated true`` supports no axiom and keeps its own annotations.
- **Mappings** from the SSSOM table, as ``skos:*Match`` annotations and, for exact matches, the
  ``oboInOwl:hasDbXref`` CURIEs OLS, OAK and Protégé show as cross-references.
- **A reduced hierarchy.** A named ``A ⊑ B`` that another path ``A ⊑ C ⊑ B`` implies is left
  out (as ``robot reduce`` does), unless it carries annotations.
- **Labels** for claims and statistics, so every named entity has one, and ``oboInOwl:id``
  (``NDKG:0000224``) on every ndkg entity, as OBO releases have.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ndkg.answers.lexicon import compress
from ndkg.export.hierarchy import ancestors
from ndkg.vocab import (
    CITATION_STATUS,
    CITED_WORK_REPORTS,
    CLAIM,
    DOI,
    HAS_CITATION,
    NDKG,
    OBOINOWL,
    PUBMED_ID,
    VERIFIED,
)

NDKG_TERM = str(NDKG) + "NDKG_"
MAPPING_PREDICATES = (
    SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch,
)
OWL2_DATATYPES = {
    *(XSD[name] for name in (
        "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString",
        "token", "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary",
        "base64Binary", "anyURI", "dateTime", "dateTimeStamp")),
    RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal, OWL.real, OWL.rational,
}
"""The OWL 2 datatype map: every other datatype needs a declaration."""
_REIFICATION = (RDF.subject, RDF.predicate, RDF.object)
_NOT_ON_AXIOMS = {RDFS.label, OWL.deprecated}


def is_deprecated(graph: Graph, node: Node) -> bool:
    """Whether ``node`` is marked ``owl:deprecated true`` (as a boolean or its text)."""
    return any(str(value).strip().lower() in ("true", "1")
               for value in graph.objects(node, OWL.deprecated))


def owl_release(ontology: Graph, labels: Graph, mappings: Graph) -> Graph:
    """The OWL release of ``ontology`` (asserted axioms, claims' axioms and inferences).

    :param labels: labels of entities the curators leave unlabelled (claims, statistics).
    :param mappings: the SSSOM mappings as triples (``skos:*Match`` links).
    """
    release = Graph()
    claim_nodes = {c for c in ontology.subjects(RDF.type, CLAIM) if isinstance(c, URIRef)}
    for triple in ontology:
        if triple[0] in claim_nodes and triple[1] in _REIFICATION:
            continue
        release.add(triple)
    for node, label in labels.subject_objects(RDFS.label):
        if (node, RDFS.label, None) not in release:
            release.add((node, RDFS.label, label))
    _annotate_claims(ontology, release, sorted(claim_nodes, key=str))
    _add_mappings(release, mappings)
    _add_ids(release)
    _declare(release)
    for redundant in redundant_subclass_axioms(release):
        release.remove(redundant)
    return release


def _annotate_claims(ontology: Graph, release: Graph, claim_nodes: Iterable[URIRef]) -> None:
    annotation_properties = set(ontology.subjects(RDF.type, OWL.AnnotationProperty))
    restrictions = _restrictions(release)
    for cls_property_filler, same in restrictions.items():  # one axiom for claims that agree
        for duplicate in same[1:]:
            release.remove((cls_property_filler[0], RDFS.subClassOf, duplicate))
            release.remove((duplicate, None, None))
    for claim in claim_nodes:
        if is_deprecated(ontology, claim):
            continue
        subject, predicate, obj = (ontology.value(claim, p) for p in _REIFICATION)
        if subject is None or predicate is None or obj is None:
            continue
        target: Node | None
        if predicate == OWL.equivalentClass:
            stated = (subject, OWL.equivalentClass, obj) in release
            prop, target = OWL.equivalentClass, obj if stated else None
        else:
            found = restrictions.get((subject, predicate, obj), [])
            prop, target = RDFS.subClassOf, found[0] if found else None
        if target is None:
            continue
        axiom = BNode()
        release.add((axiom, RDF.type, OWL.Axiom))
        release.add((axiom, OWL.annotatedSource, subject))
        release.add((axiom, OWL.annotatedProperty, prop))
        # The OWL API writes an anonymous target again, as a copy: the axiom is found by its
        # structure, and every blank node is used once (pronto reads nested nodes only).
        release.add((axiom, OWL.annotatedTarget, _copy(release, target)))
        for p, value in ontology.predicate_objects(claim):
            if p in annotation_properties and p not in _NOT_ON_AXIOMS:
                release.add((axiom, p, value))
        for xref in reported_publications(ontology, claim):
            release.add((axiom, OBOINOWL.hasDbXref, Literal(xref)))
        release.add((axiom, RDFS.seeAlso, claim))
    release.add((OBOINOWL.hasDbXref, RDF.type, OWL.AnnotationProperty))
    release.add((OBOINOWL.hasDbXref, RDFS.label, Literal("database cross reference")))


def _restrictions(graph: Graph) -> Mapping[tuple[Node, Node, Node], list[Node]]:
    """``C ⊑ P some O`` restrictions by ``(C, P, O)``, in a stable order."""
    found: dict[tuple[Node, Node, Node], list[Node]] = defaultdict(list)
    for cls, restriction in sorted(graph.subject_objects(RDFS.subClassOf), key=str):
        if not isinstance(restriction, BNode):
            continue
        prop = graph.value(restriction, OWL.onProperty)
        filler = graph.value(restriction, OWL.someValuesFrom)
        if prop is not None and filler is not None:
            found[(cls, prop, filler)].append(restriction)
    return found


def _copy(graph: Graph, node: Node) -> Node:
    """A copy of the blank node structure at ``node`` (a class expression, a list) in
    ``graph``; a named resource or a literal is itself."""
    if not isinstance(node, BNode):
        return node
    copy = BNode()
    for predicate, obj in list(graph.predicate_objects(node)):
        graph.add((copy, predicate, _copy(graph, obj)))
    return copy


def reported_publications(graph: Graph, claim: Node) -> list[str]:
    """``PMID:`` and ``doi:`` CURIEs of the verified citations of ``claim``, unless the claim
    says its cited work does not report it (``NDKG:0000032 false``)."""
    reports = graph.objects(claim, CITED_WORK_REPORTS)
    if any(str(v).strip().lower() in ("false", "0") for v in reports):
        return []
    curies: list[str] = []
    for citation in sorted(graph.objects(claim, HAS_CITATION), key=str):
        if (citation, CITATION_STATUS, VERIFIED) in graph:
            curies += [f"PMID:{pmid}" for pmid in graph.objects(citation, PUBMED_ID)]
            curies += [f"doi:{doi}" for doi in graph.objects(citation, DOI)]
    return curies


def _add_mappings(release: Graph, mappings: Graph) -> None:
    for predicate in MAPPING_PREDICATES:
        for subject, obj in mappings.subject_objects(predicate):
            if (subject, None, None) not in release or not isinstance(obj, URIRef):
                continue
            release.add((subject, predicate, obj))
            release.add((predicate, RDF.type, OWL.AnnotationProperty))
            if predicate == SKOS.exactMatch:
                curie = _curie(release, obj)
                if curie:
                    release.add((subject, OBOINOWL.hasDbXref, Literal(curie)))


def _add_ids(release: Graph) -> None:
    """``oboInOwl:id`` with the CURIE of each ndkg entity, as OBO releases carry it (pronto
    and OAK name terms by it)."""
    for entity in set(release.subjects(RDF.type, None)):
        if isinstance(entity, URIRef) and str(entity).startswith(NDKG_TERM):
            release.add((entity, OBOINOWL.id, Literal(compress(str(entity)))))
    release.add((OBOINOWL.id, RDF.type, OWL.AnnotationProperty))
    release.add((OBOINOWL.id, RDFS.label, Literal("id")))


def _declare(release: Graph) -> None:
    """Declare what OWL 2 would otherwise find undeclared: a class used as the value of an
    individual's object property (an evidence code, punned as an individual) and the
    datatypes outside the OWL 2 datatype map (``xsd:date``, ``xsd:gYear``)."""
    object_properties = set(release.subjects(RDF.type, OWL.ObjectProperty))
    individuals = set(release.subjects(RDF.type, OWL.NamedIndividual))
    for subject, predicate, obj in list(release):
        if (predicate in object_properties and subject in individuals
                and isinstance(obj, URIRef) and obj not in individuals):
            release.add((obj, RDF.type, OWL.NamedIndividual))
            individuals.add(obj)
        elif (isinstance(obj, Literal) and obj.datatype is not None
              and obj.datatype not in OWL2_DATATYPES):
            release.add((obj.datatype, RDF.type, RDFS.Datatype))


def _curie(graph: Graph, iri: URIRef) -> str | None:
    curie = compress(str(iri))
    return curie if curie != str(iri) else None


def redundant_subclass_axioms(graph: Graph) -> list[tuple[Node, Node, Node]]:
    """Named ``A ⊑ B`` axioms implied by a path through another class, without annotations."""
    parents: dict[Node, set[Node]] = defaultdict(set)
    for child, parent in graph.subject_objects(RDFS.subClassOf):
        if isinstance(child, URIRef) and isinstance(parent, URIRef) and child != parent:
            parents[child].add(parent)
    above = {node: ancestors(node, parents) for node in list(parents)}
    annotated = {
        (graph.value(a, OWL.annotatedSource), graph.value(a, OWL.annotatedTarget))
        for a in graph.subjects(OWL.annotatedProperty, RDFS.subClassOf)
    }
    redundant: list[tuple[Node, Node, Node]] = []
    for child, direct in parents.items():
        reach = above[child]
        for parent in direct:
            if (child, parent) in annotated or child in above.get(parent, ()):
                continue  # annotated, or equivalent classes
            through = reach - {parent, child}
            if any(parent in above.get(c, ()) and child not in above.get(c, ())
                   for c in through):
                redundant.append((child, RDFS.subClassOf, parent))
    return redundant
