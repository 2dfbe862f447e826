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

from ndkg.model.claims import claims, definitions
from ndkg.vocab import CITATION_MARKER, NDKG, STATISTIC


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
    """A readable label for each claim (subject, relation and object labels; or the class it
    holds the definition evidence of) and each statistic (:func:`_figure`), with its source.

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

    def source(node: URIRef) -> str:
        marker = ontology.value(node, CITATION_MARKER)
        return f"ref. {marker}" if marker else "source article"

    texts: dict[URIRef, str] = {}
    for claim in claims(ontology):
        texts[claim.node] = (
            f"{label(claim.subject)} {label(claim.predicate)} {label(claim.object)} "
            f"({source(claim.node)}"
        )
    for node, defined in definitions(ontology):
        texts[node] = f"definition of {label(defined)} ({source(node)}"
    for statistic in sorted(set(ontology.subjects(RDF.type, STATISTIC)), key=str):
        if isinstance(statistic, URIRef):
            texts[statistic] = f"{_figure(ontology, statistic)} ({source(statistic)}"
    repeated = {t for t in texts.values() if list(texts.values()).count(t) > 1}
    labels = Graph()
    for node, text in texts.items():
        suffix = f", {str(node).rsplit('_', 1)[-1]})" if text in repeated else ")"
        labels.add((node, RDFS.label, Literal(text + suffix)))
    return labels


def _figure(ontology: Graph, statistic: URIRef) -> str:
    """A statistic in words: what it is about, its measure, value, population and time point.

    >>> n = NDKG
    >>> g = Graph()
    >>> _ = g.add((n.a, RDFS.label, Literal("breast milk leakage")))
    >>> for p, o in ((n.NDKG_0000015, n.a), (n.NDKG_0000028, Literal("prevalence")),
    ...              (n.NDKG_0000017, Literal("50")), (n.NDKG_0000018, Literal("80")),
    ...              (n.NDKG_0000019, Literal("percent")),
    ...              (n.NDKG_0000022, Literal("lactating women"))):
    ...     _ = g.add((n.s, p, o))
    >>> _figure(g, n.s)
    'breast milk leakage: prevalence 50-80 percent, lactating women'
    """
    def value(number: str) -> str:
        found = ontology.value(statistic, NDKG[f"NDKG_{number}"])
        return "" if found is None else str(found)

    about = ontology.value(statistic, NDKG.NDKG_0000015)
    label = "" if about is None else str(ontology.value(about, RDFS.label) or about)
    amount = value("0000016") or f"{value('0000017')}-{value('0000018')}"
    if value("0000035") == "true":
        amount = f"approximately {amount}"
    text = f"{label}: {value('0000028')} {amount} {value('0000019')}, {value('0000022')}"
    return f"{text}, {value('0000023')}" if value("0000023") else text
