"""Readable labels for the statistics of the article, which the curators leave unlabelled.

A statistic (``NDKG:0000108``) holds typed values; its label says them in words, so that every
named entity of the release has one (OBO tools report an entity without a label as an error):

>>> from rdflib import Namespace
>>> n = Namespace("https://w3id.org/ndkg/NDKG_")
>>> g = Graph()
>>> _ = g.add((n["0000300"], RDFS.label, Literal("breast milk leakage")))
>>> for p, o in ((RDF.type, STATISTIC), (n["0000015"], n["0000300"]),
...              (n["0000028"], Literal("prevalence")), (n["0000017"], Literal(50)),
...              (n["0000018"], Literal(80)), (n["0000019"], Literal("percent")),
...              (n["0000022"], Literal("lactating women")), (CITATION_MARKER, Literal("1"))):
...     _ = g.add((n["0002001"], p, o))
>>> [str(o) for o in statistic_labels(g).objects()]
['prevalence of breast milk leakage: 50–80 percent of lactating women (ref. 1)']
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ndkg.vocab import CITATION_MARKER, NDKG, STATISTIC

ABOUT = NDKG.NDKG_0000015
VALUE = NDKG.NDKG_0000016
MINIMUM = NDKG.NDKG_0000017
MAXIMUM = NDKG.NDKG_0000018
UNIT = NDKG.NDKG_0000019
POPULATION = NDKG.NDKG_0000022
MEASURE = NDKG.NDKG_0000028


def _number(value: object) -> str:
    text = str(value)
    return text.removesuffix(".0") if "." in text else text


def statistic_labels(ontology: Graph) -> Graph:
    """A label for each statistic without one: measure, term, values, unit, population and
    source; the statistic's number is added where two labels would be the same."""
    texts: dict[URIRef, str] = {}
    for node in sorted(set(ontology.subjects(RDF.type, STATISTIC)), key=str):
        if not isinstance(node, URIRef) or (node, RDFS.label, None) in ontology:
            continue
        about = ontology.value(node, ABOUT)
        subject = str(ontology.value(about, RDFS.label) or about) if about else "a term"
        measure = ontology.value(node, MEASURE) or "statistic"
        value, low, high = (ontology.value(node, p) for p in (VALUE, MINIMUM, MAXIMUM))
        amount = _number(value) if value is not None else f"{_number(low)}–{_number(high)}"
        unit = ontology.value(node, UNIT)
        population = ontology.value(node, POPULATION)
        marker = ontology.value(node, CITATION_MARKER)
        text = f"{measure} of {subject}: {amount}" + (f" {unit}" if unit else "")
        text += f" of {population}" if population else ""
        texts[node] = text + (f" (ref. {marker})" if marker else " (source article)")
    labels = Graph()
    repeated = {t for t in texts.values() if list(texts.values()).count(t) > 1}
    for node, text in texts.items():
        suffix = f" [{str(node).rsplit('_', 1)[-1]}]" if text in repeated else ""
        labels.add((node, RDFS.label, Literal(text + suffix)))
    return labels
