"""Materialise OWL existential restrictions as direct edges (the relation-graph convention).

For every named class ``C`` with ``C ⊑ S`` (asserted or inferred, ``S`` may be ``C`` itself) and
``S ⊑ P some O`` (or ``S ≡ ... and P some O``) with ``O`` named, the edge ``C P O`` is added, and
``C Q O`` for every asserted super-property ``Q`` of ``P``. Objects are not generalised, so an
edge says exactly what the restriction says of its filler.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from ndkg.model.claims import claims
from ndkg.vocab import CITATION_MARKER


def _restrictions(graph: Graph, cls: URIRef) -> Iterator[tuple[URIRef, URIRef]]:
    """(property, filler) of each named-filler existential restriction on ``cls``."""
    candidates = list(graph.objects(cls, RDFS.subClassOf))
    for equivalent in graph.objects(cls, OWL.equivalentClass):
        operands = graph.value(equivalent, OWL.intersectionOf)
        if operands is not None:
            candidates.extend(Collection(graph, operands))
    for node in candidates:
        prop = graph.value(node, OWL.onProperty)
        filler = graph.value(node, OWL.someValuesFrom)
        if isinstance(prop, URIRef) and isinstance(filler, URIRef):
            yield prop, filler


def _super_properties(graph: Graph, prop: URIRef) -> set[URIRef]:
    found = {prop}
    frontier = [prop]
    while frontier:
        for parent in graph.objects(frontier.pop(), RDFS.subPropertyOf):
            if isinstance(parent, URIRef) and parent not in found:
                found.add(parent)
                frontier.append(parent)
    return found


def materialise(ontology: Graph, inferred: Graph) -> Graph:
    """Direct edges for the existential restrictions of ``ontology``, given its inferences."""
    both = ontology + inferred
    edges = Graph()
    for cls in set(both.subjects(RDF.type, OWL.Class)) | set(inferred.subjects(RDFS.subClassOf)):
        if not isinstance(cls, URIRef):
            continue
        supers = {cls} | {s for s in both.objects(cls, RDFS.subClassOf) if isinstance(s, URIRef)}
        for sup in supers:
            for prop, filler in _restrictions(ontology, sup):
                for p in _super_properties(ontology, prop):
                    edges.add((cls, p, filler))
    return edges


def claim_labels(ontology: Graph) -> Graph:
    """A readable label for each claim: subject, relation and object labels, and its source.

    >>> from rdflib import Namespace
    >>> n = Namespace("https://w3id.org/ndkg/NDKG_")
    >>> g = Graph()
    >>> for node, text in ((n.a, "stress"), (n.p, "triggers"), (n.o, "let-down")):
    ...     _ = g.add((node, RDFS.label, Literal(text)))
    >>> for p, o in ((RDF.type, CLAIM), (RDF.subject, n.a), (RDF.predicate, n.p), (RDF.object, n.o),
    ...              (CITATION_MARKER, Literal("3"))):
    ...     _ = g.add((n.c, p, o))
    >>> [str(o) for o in claim_labels(g).objects()]
    ['stress triggers let-down (ref. 3)']
    """
    def label(iri: URIRef) -> str:
        return str(ontology.value(iri, RDFS.label, default=iri))

    texts: dict[URIRef, str] = {}
    for claim in claims(ontology):
        marker = ontology.value(claim.node, CITATION_MARKER)
        source = f"ref. {marker}" if marker else "source article"
        texts[claim.node] = (
            f"{label(claim.subject)} {label(claim.predicate)} {label(claim.object)} ({source}"
        )
    repeated = {t for t in texts.values() if list(texts.values()).count(t) > 1}
    labels = Graph()
    for node, text in texts.items():
        suffix = f", {str(node).rsplit('_', 1)[-1]})" if text in repeated else ")"
        labels.add((node, RDFS.label, Literal(text + suffix)))
    return labels
