"""Common SPARQL clients work against the endpoint unchanged."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rdflib import RDFS, Graph, Literal, URIRef, Variable
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import CSV, GET, JSON, POST, POSTDIRECTLY, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from ndkg.vocab import NDKG

LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class ?label WHERE { ?class rdfs:label ?label } ORDER BY ?label
"""
EXPECTED = [
    (NDKG.NDKG_0000010, "galactorrhoea"),
    (NDKG.NDKG_0000012, "hyperprolactinaemia"),
    (NDKG.NDKG_0000011, "intraductal papilloma"),
]


@pytest.mark.parametrize(
    ("method", "request_method"),
    [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)],
    ids=["GET", "POST form", "POST direct"],
)
@pytest.mark.parametrize("return_format", [JSON, XML])
def test_sparqlwrapper_select(
    endpoint: str, method: str, request_method: str, return_format: str
) -> None:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(LABELS)
    sparql.setMethod(method)
    sparql.setRequestMethod(request_method)
    sparql.setReturnFormat(return_format)
    assert rows(sparql.queryAndConvert(), return_format) == EXPECTED


def rows(result: Any, return_format: str) -> list[tuple[URIRef, str]]:
    """The (class, label) rows of what SPARQLWrapper converted: a dict (JSON) or a DOM (XML)."""
    if return_format == JSON:
        return [
            (URIRef(b["class"]["value"]), b["label"]["value"])
            for b in result["results"]["bindings"]
        ]
    parsed = Result.parse(io.BytesIO(result.toxml("utf-8")), format="xml")
    return [(row[Variable("class")], str(row[Variable("label")])) for row in parsed.bindings]


def test_sparqlwrapper_csv(endpoint: str) -> None:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(LABELS)
    sparql.setReturnFormat(CSV)
    assert sparql.queryAndConvert().decode().splitlines() == [
        "class,label",
        *(f"{iri},{label}" for iri, label in EXPECTED),
    ]


def test_sparqlwrapper_ask_and_construct(endpoint: str) -> None:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery("ASK { NDKG:0000011 RO:0003303 NDKG:0000013 }")
    sparql.setReturnFormat(JSON)
    assert sparql.queryAndConvert()["boolean"] is True
    sparql.setQuery("CONSTRUCT WHERE { NDKG:0000011 rdfs:label ?label }")
    sparql.setReturnFormat(TURTLE)
    graph = Graph().parse(data=sparql.queryAndConvert(), format="turtle")
    assert set(graph) == {
        (NDKG.NDKG_0000011, RDFS.label, Literal("intraductal papilloma", lang="en"))
    }


def test_sparqlwrapper_reports_a_malformed_query(endpoint: str) -> None:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed, match="Malformed query: error at 1:25"):
        sparql.query()


def test_rdflib_sparqlstore_select(endpoint: str) -> None:
    store = SPARQLStore(query_endpoint=endpoint)
    try:
        rows = [(row["class"], str(row["label"])) for row in Graph(store).query(LABELS)]
    finally:
        store.close()
    assert rows == EXPECTED


def test_rdflib_sparqlstore_reads_triples(endpoint: str) -> None:
    store = SPARQLStore(query_endpoint=endpoint, returnFormat="json")
    try:
        labels = set(Graph(store).objects(NDKG.NDKG_0000012, RDFS.label))
    finally:
        store.close()
    assert labels == {Literal("hyperprolactinaemia", lang="en")}
