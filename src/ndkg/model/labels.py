"""Readable labels for the claims and statistics, which the curators leave unlabelled.

Every named entity of the release needs a label (OBO tools report one without as an error).
A claim says its subject, relation and object (or, for the evidence of a definition, the class
it defines); a statistic its measure, term, figure and population; both end with their source:
the reference marker the article prints, "source article", or the journal and year of a work
beyond the article.

>>> from rdflib import Namespace
>>> from ndkg.vocab import CLAIM
>>> n = Namespace("https://w3id.org/ndkg/NDKG_")
>>> g = Graph()
>>> for node, text in ((n.a, "stress"), (n.p, "triggers"), (n.o, "let-down"),
...                    (n["0000300"], "breast milk leakage")):
...     _ = g.add((node, RDFS.label, Literal(text)))
>>> for p, o in ((RDF.type, CLAIM), (RDF.subject, n.a), (RDF.predicate, n.p), (RDF.object, n.o),
...              (CITATION_MARKER, Literal("3"))):
...     _ = g.add((n.c, p, o))
>>> [str(o) for o in claim_labels(g).objects()]
['stress triggers let-down (ref. 3)']
>>> for p, o in ((RDF.type, STATISTIC), (n["0000015"], n["0000300"]),
...              (n["0000028"], Literal("prevalence")), (n["0000017"], Literal(50)),
...              (n["0000018"], Literal(80)), (n["0000019"], Literal("percent")),
...              (n["0000022"], Literal("lactating women")), (CITATION_MARKER, Literal("1"))):
...     _ = g.add((n["0002001"], p, o))
>>> [str(o) for o in statistic_labels(g).objects()]
['prevalence of breast milk leakage: 50–80% of lactating women (ref. 1)']
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from ndkg.model.claims import claims, definitions
from ndkg.vocab import CITATION_MARKER, HAS_CITATION, NDKG, STATISTIC

SOURCE_ARTICLE = NDKG.NDKG_0000700
CONTAINER = NDKG.NDKG_0000027
DATE = URIRef("http://purl.org/dc/terms/date")


def claim_labels(ontology: Graph) -> Graph:
    """A label for each claim: subject, relation and object labels (or the class whose
    definition it holds the evidence of), and its source."""
    texts: dict[URIRef, str] = {}
    for claim in claims(ontology):
        texts[claim.node] = (
            f"{_label(ontology, claim.subject)} {_label(ontology, claim.predicate)} "
            f"{_label(ontology, claim.object)} ({_source(ontology, claim.node)})"
        )
    for node, defined in definitions(ontology):
        texts[node] = f"definition of {_label(ontology, defined)} ({_source(ontology, node)})"
    return _unique(texts)


def statistic_labels(ontology: Graph) -> Graph:
    """A label for each statistic without one: measure, term, figure, population and source."""
    texts: dict[URIRef, str] = {}
    for node in sorted(set(ontology.subjects(RDF.type, STATISTIC)), key=str):
        if not isinstance(node, URIRef) or (node, RDFS.label, None) in ontology:
            continue
        about = ontology.value(node, NDKG.NDKG_0000015)
        subject = _label(ontology, about) if about is not None else "a term"
        measure = ontology.value(node, NDKG.NDKG_0000028) or "statistic"
        population = ontology.value(node, NDKG.NDKG_0000022)
        text = f"{measure} of {subject}: {figure(ontology, node)}"
        text += f" of {population}" if population else ""
        texts[node] = f"{text} ({_source(ontology, node)})"
    return _unique(texts)


def figure(ontology: Graph, statistic: Node) -> str:
    """The figure of a statistic in words, its unit written as people write it.

    >>> n = NDKG
    >>> g = Graph()
    >>> for p, o in ((n.NDKG_0000016, Literal("21")), (n.NDKG_0000019, Literal("count")),
    ...              (n.NDKG_0000021, Literal("49"))):
    ...     _ = g.add((n.s, p, o))
    >>> figure(g, n.s)
    '21 of 49'
    """
    def value(number: str) -> str | None:
        found = ontology.value(statistic, NDKG[f"NDKG_{number}"])
        return None if found is None else _number(found)

    unit = value("0000019") or ""
    single = value("0000016")
    amount = single if single is not None else f"{value('0000017')}–{value('0000018')}"
    if unit == "percent":
        amount += "%"
    elif unit == "count":
        amount += f" of {value('0000021')}" if value("0000021") else ""
    elif unit == "rating":
        amount = f"rated {amount} of 9"
    elif unit in ("week", "month", "year"):
        amount += f" {unit}" + ("" if amount == "1" else "s")
    low, high = value("0000053"), value("0000054")
    if low and high:
        amount += f" (95% CI {low}–{high})"
    if unit == "percent" and value("0000020") and value("0000021"):
        amount += f" ({value('0000020')}/{value('0000021')})"
    if value("0000035") == "true":
        amount = f"approximately {amount}"
    return amount


def _source(ontology: Graph, node: Node) -> str:
    """The source of a claim or statistic as a label ends with it."""
    marker = ontology.value(node, CITATION_MARKER)
    if marker:
        return f"ref. {marker}"
    cited = sorted(ontology.objects(node, HAS_CITATION), key=str)
    works = [
        f"{ontology.value(c, CONTAINER)} {str(ontology.value(c, DATE))[:4]}"
        for c in cited if c != SOURCE_ARTICLE and ontology.value(c, CONTAINER) is not None
    ]
    return "; ".join(works) if works else "source article"


def _label(ontology: Graph, term: Node) -> str:
    return str(ontology.value(term, RDFS.label) or term)


def _number(value: object) -> str:
    text = str(value)
    return text.removesuffix(".0") if "." in text else text


def _unique(texts: dict[URIRef, str]) -> Graph:
    """The labels, with the entity's number added where two would be the same."""
    labels = Graph()
    counts: dict[str, int] = {}
    for text in texts.values():
        counts[text] = counts.get(text, 0) + 1
    for node, text in texts.items():
        number = str(node).rsplit("_", 1)[-1]
        labels.add((node, RDFS.label, Literal(text if counts[text] == 1 else f"{text} [{number}]")))
    return labels

