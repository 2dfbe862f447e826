"""Claims: the article's statements as subject-predicate-object nodes with evidence.

Each claim (an instance of ``NDKG:0000107``) between terms becomes an OWL axiom
``subject rdfs:subClassOf (predicate some object)`` so that the reasoner sees it, and the
materialiser later turns that axiom into a direct edge that plain SPARQL sees. A claim whose
predicate is ``owl:equivalentClass`` holds the evidence for a class's definition: its object
is the class expression the class is equivalent to, an axiom the ontology states already.
An obsolete claim (``owl:deprecated``) is no longer a claim: it keeps its IRI, label and the
claim that replaces it (``IAO:0100001``), and states nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ndkg.vocab import CLAIM


@dataclass(frozen=True)
class Claim:
    """One claim: its node and the triple it states."""

    node: URIRef
    subject: URIRef
    predicate: URIRef
    object: URIRef


def claims(graph: Graph) -> Iterator[Claim]:
    """The claims in ``graph`` that state a full triple of IRIs (not the definitions)."""
    for node in sorted(set(graph.subjects(RDF.type, CLAIM)), key=str):
        parts = (graph.value(node, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        subject, predicate, obj = parts
        if all(isinstance(x, URIRef) for x in (node, subject, predicate, obj)):
            yield Claim(node, subject, predicate, obj)  # type: ignore[arg-type]


def claim_axioms(graph: Graph) -> Graph:
    """One ``subject ⊑ predicate some object`` axiom for each claim between classes; a claim
    marked ``owl:deprecated true`` gives none."""
    axioms = Graph()
    for claim in claims(graph):
        if (claim.subject, RDF.type, OWL.Class) not in graph:
            continue
        if any(str(v).strip().lower() in ("true", "1")
               for v in graph.objects(claim.node, OWL.deprecated)):
            continue
        restriction = BNode()
        axioms.add((claim.subject, RDFS.subClassOf, restriction))
        axioms.add((restriction, RDF.type, OWL.Restriction))
        axioms.add((restriction, OWL.onProperty, claim.predicate))
        axioms.add((restriction, OWL.someValuesFrom, claim.object))
    return axioms


def definitions(graph: Graph) -> Iterator[tuple[URIRef, URIRef]]:
    """(claim, class) of each claim holding the evidence for the definition of a class."""
    for node in sorted(set(graph.subjects(RDF.predicate, OWL.equivalentClass)), key=str):
        subject = graph.value(node, RDF.subject)
        if (node, RDF.type, CLAIM) in graph and isinstance(node, URIRef) and isinstance(
            subject, URIRef
        ):
            yield node, subject
