"""Every combination of discharge features, as individuals for the reasoner to classify.

The features and their values are read from the ontology: each sub-property of
``RO:0000053`` (has characteristic) whose ``rdfs:range`` is a union of classes is a feature,
and the members of the union are its values. The build makes one presentation individual per
combination, HermiT infers which presentation classes (physiologic, pathologic ...) each falls
in, and the service reads the answer instead of reasoning per request.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from ndkg.vocab import DISCHARGE, DISCHARGE_FEATURE, NDKG, OBO

HAS_CHARACTERISTIC = OBO.RO_0000053
FEATURE = DISCHARGE_FEATURE  # every value individual is one: a parameter bound to it means "any"
PRESENTATION_BASE = NDKG["presentation/"]


@dataclass(frozen=True)
class Feature:
    """A feature of a discharge (a property) and the values it can take (classes)."""

    property: URIRef
    values: tuple[URIRef, ...]


def features(ontology: Graph) -> list[Feature]:
    """The discharge features declared in ``ontology``, ordered by property IRI."""
    found = []
    for prop in sorted(set(ontology.subjects(RDFS.subPropertyOf, HAS_CHARACTERISTIC)), key=str):
        if not isinstance(prop, URIRef):
            continue
        for range_node in ontology.objects(prop, RDFS.range):
            members = ontology.value(range_node, OWL.unionOf)
            if members is not None:
                values = tuple(v for v in Collection(ontology, members) if isinstance(v, URIRef))
                found.append(Feature(prop, values))
    return found


def value_individual(value: URIRef) -> URIRef:
    """The individual standing for one feature value (an instance of the value's class)."""
    return URIRef(f"{PRESENTATION_BASE}value/{_local(value)}")


def presentation_iri(values: tuple[URIRef, ...]) -> URIRef:
    """The IRI of the presentation with these feature values (one per feature, in order)."""
    return URIRef(PRESENTATION_BASE + "-".join(_local(v) for v in values))


def combinations(ontology: Graph) -> Graph:
    """One individual per combination of feature values, with its features, as triples."""
    found = features(ontology)
    graph = Graph()
    for feature in found:
        for value in feature.values:
            graph.add((value_individual(value), RDF.type, OWL.NamedIndividual))
            graph.add((value_individual(value), RDF.type, value))
            graph.add((value_individual(value), RDF.type, FEATURE))
    for values in itertools.product(*(f.values for f in found)):
        node = presentation_iri(values)
        label = ", ".join(str(ontology.value(v, RDFS.label) or _local(v)) for v in values)
        graph.add((node, RDFS.label, Literal(f"nipple discharge: {label}")))
        graph.add((node, RDF.type, OWL.NamedIndividual))
        graph.add((node, RDF.type, DISCHARGE))
        for feature, value in zip(found, values, strict=True):
            graph.add((node, feature.property, value_individual(value)))
    return graph


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("/", 1)[-1]
