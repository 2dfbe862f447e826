"""Materialise OWL existential restrictions as direct edges (the relation-graph convention).

For every named class ``C`` with ``C ⊑ S`` (asserted or inferred, ``S`` may be ``C`` itself) and
``S ⊑ P some O`` (or ``S ≡ ... and P some O``) with ``O`` named, the edge ``C P O`` is added, and
``C Q O`` for every asserted super-property ``Q`` of ``P``. Objects are not generalised, so an
edge says exactly what the restriction says of its filler.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS


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
