"""Every combination of discharge features, as individuals for the reasoner to classify.

The features and their values are read from the ontology: each sub-property of
``RO:0000053`` (has characteristic) whose ``rdfs:range`` is a union of classes is a feature,
and the members of the union are its values. The build makes one presentation individual per
combination of known features, each feature either one of its values or left open ("any"):
the combinations of every feature (2 x 2 x 5 x 2 x 2 = 80 today) and those with some features
open (486 in all). HermiT infers which presentation classes each falls in; a class it infers
for a combination with open features holds whatever values they take. The service reads the
answer instead of reasoning per request.

HermiT is asked to classify classes, not to realise individuals: realising hundreds of
individuals that share feature values takes it minutes, classifying one class per combination
(:func:`reasoning_classes`, the intersection of ``nipple discharge`` and its known features)
seconds. Each combination's individual has exactly the features of its class, so it is an
instance of every class HermiT places that class under (:func:`combination_types`).

The presentation classes that decide a next step carry a verdict priority (``NDKG:0000038``).
A combination that the reasoner places in none of them is described too little to decide:
:func:`insufficient` gives it the class :data:`~ndkg.vocab.INSUFFICIENT_INFORMATION`, a
conclusion from what was *not* inferred, which only the build can draw (the closed world of
the combinations it made).

>>> presentation_iri((URIRef("http://purl.obolibrary.org/obo/HP_0012833"), None))
rdflib.term.URIRef('https://w3id.org/ndkg/presentation/HP_0012833-any')
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ndkg.vocab import (
    DISCHARGE,
    DISCHARGE_FEATURE,
    INSUFFICIENT_INFORMATION,
    NDKG,
    OBO,
    VERDICT_PRIORITY,
)

HAS_CHARACTERISTIC = OBO.RO_0000053
FEATURE = DISCHARGE_FEATURE  # every value individual is one: a parameter bound to it means "any"
PRESENTATION_BASE = NDKG["presentation/"]
ANY = "any"
"""The part of a presentation's IRI that stands for a feature left open."""


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


def presentation_iri(values: tuple[URIRef | None, ...]) -> URIRef:
    """The IRI of the presentation with these feature values (one per feature, in order;
    ``None`` for a feature left open)."""
    return URIRef(PRESENTATION_BASE + "-".join(_local(v) if v else ANY for v in values))


def combinations(ontology: Graph) -> Graph:
    """One individual per combination of known feature values, with its features, as triples.

    Every feature is either one of its values or left open, so the combinations of every
    feature are there, and those with one or more features open.
    """
    found = features(ontology)
    graph = Graph()
    for feature in found:
        for value in feature.values:
            graph.add((value_individual(value), RDF.type, OWL.NamedIndividual))
            graph.add((value_individual(value), RDF.type, value))
            graph.add((value_individual(value), RDF.type, FEATURE))
    for values in itertools.product(*((None, *f.values) for f in found)):
        node = presentation_iri(values)
        known = [str(ontology.value(v, RDFS.label) or _local(v)) for v in values if v]
        label = ", ".join(known) if known else "no feature known"
        graph.add((node, RDFS.label, Literal(f"nipple discharge: {label}")))
        graph.add((node, RDF.type, OWL.NamedIndividual))
        graph.add((node, RDF.type, DISCHARGE))
        for feature, known_value in zip(found, values, strict=True):
            if known_value is not None:
                graph.add((node, feature.property, value_individual(known_value)))
    return graph


def reasoning_classes(ontology: Graph) -> Graph:
    """One class per combination (see :func:`combinations`), equivalent to ``nipple discharge``
    and its known features, and the feature value individuals, for HermiT to classify."""
    found = features(ontology)
    graph = Graph()
    for feature in found:
        for value in feature.values:
            graph.add((value_individual(value), RDF.type, OWL.NamedIndividual))
            graph.add((value_individual(value), RDF.type, value))
    for values in itertools.product(*((None, *f.values) for f in found)):
        operands: list[Node] = [DISCHARGE]
        for feature, known_value in zip(found, values, strict=True):
            if known_value is not None:
                restriction = BNode()
                graph.add((restriction, RDF.type, OWL.Restriction))
                graph.add((restriction, OWL.onProperty, feature.property))
                graph.add((restriction, OWL.someValuesFrom, known_value))
                operands.append(restriction)
        members, definition = BNode(), BNode()
        Collection(graph, members, operands)
        graph.add((definition, RDF.type, OWL.Class))
        graph.add((definition, OWL.intersectionOf, members))
        cls = _reasoning_class(presentation_iri(values))
        graph.add((cls, RDF.type, OWL.Class))
        graph.add((cls, OWL.equivalentClass, definition))
    return graph


def combination_types(inferred: Graph, asserted: Graph, presentations: Graph) -> Graph:
    """What HermiT concluded of the combination classes, as the types of their individuals:
    ``rdf:type C`` for each named class ``C`` that the class of a combination falls under,
    and nothing else about those classes (they are left out of every graph of the build)."""
    types = Graph()
    for node in presentations.subjects(RDF.type, DISCHARGE):
        assert isinstance(node, URIRef)
        for parent in inferred.objects(_reasoning_class(node), RDFS.subClassOf):
            named = isinstance(parent, URIRef) and not _is_reasoning_class(parent)
            if named and parent != OWL.Thing and (node, RDF.type, parent) not in asserted:
                types.add((node, RDF.type, parent))
    return types


def without_reasoning_classes(inferred: Graph) -> Graph:
    """``inferred`` without the triples about the classes of :func:`reasoning_classes`."""
    kept = Graph()
    for triple in inferred:
        if not any(isinstance(term, URIRef) and _is_reasoning_class(term) for term in triple):
            kept.add(triple)
    return kept


def verdict_classes(ontology: Graph) -> dict[URIRef, int]:
    """The presentation classes that decide a next step, with their verdict priority."""
    return {
        cls: int(priority.toPython())
        for cls, priority in ontology.subject_objects(VERDICT_PRIORITY)
        if isinstance(cls, URIRef) and isinstance(priority, Literal)
    }


def insufficient(presentations: Graph, inferred: Graph, ontology: Graph) -> Graph:
    """``rdf:type`` :data:`INSUFFICIENT_INFORMATION` for each presentation of
    ``presentations`` that ``inferred`` places in no class with a verdict priority."""
    deciding = set(verdict_classes(ontology)) - {INSUFFICIENT_INFORMATION}
    graph = Graph()
    for node in presentations.subjects(RDF.type, DISCHARGE):
        if deciding.isdisjoint(inferred.objects(node, RDF.type)):
            graph.add((node, RDF.type, INSUFFICIENT_INFORMATION))
    return graph


def _reasoning_class(node: URIRef) -> URIRef:
    return URIRef(f"{node}{_REASONING_SUFFIX}")


def _is_reasoning_class(iri: URIRef) -> bool:
    return iri.startswith(PRESENTATION_BASE) and iri.endswith(_REASONING_SUFFIX)


_REASONING_SUFFIX = "#class"


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("/", 1)[-1]
