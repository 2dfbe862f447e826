"""Every term's URL answers with HTML for browsers and with RDF for Linked Data clients."""

from __future__ import annotations

import httpx
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from ndkg.vocab import NDKG, OBO

PAPILLOMA = NDKG.NDKG_0000224
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_rdf_clients_get_the_description_of_the_term(
    http: httpx.Client, accept: str, media_type: str, rdflib_format: str
) -> None:
    response = http.get("/NDKG_0000224", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "Accept" in response.headers["vary"]
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert Literal("intraductal papilloma") in set(graph.objects(PAPILLOMA, RDFS.label))
    assert (PAPILLOMA, OBO.RO_0003303, NDKG.NDKG_0000302) in graph


def test_the_description_carries_the_claims_and_mapping_axioms_about_the_term(
    http: httpx.Client,
) -> None:
    graph = Graph().parse(data=http.get("/NDKG_0000224?format=ttl").content, format="turtle")
    claim = NDKG.NDKG_0001034
    assert (claim, RDF.subject, PAPILLOMA) in graph
    assert (claim, OBO.RO_0002558, OBO.ECO_0000303) in graph
    axioms = set(graph.subjects(URIRef("http://www.w3.org/2002/07/owl#annotatedSource"), PAPILLOMA))
    assert len(axioms) == 6


@pytest.mark.parametrize("accept", [BROWSER_ACCEPT, "*/*", None])
def test_browsers_and_unfussy_clients_get_the_page(http: httpx.Client, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    response = http.get("/NDKG_0000224", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1 id=\"term-title\">intraductal papilloma</h1>" in response.text
    assert '<link rel="alternate" type="text/turtle"' in response.text


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/term/HP:0100829", "Galactorrhea"),
        ("/term?iri=http%3A%2F%2Fpurl.obolibrary.org%2Fobo%2FHP_0100829", "Galactorrhea"),
        ("/NDKG_0001034", "intraductal papilloma causes condition pathologic nipple "
                          "discharge (ref. 1)"),
        ("/NDKG_0000703", "Dysphoric Milk Ejection Reflex: Prevalence, persistence, and "
                          "implications (2025)"),
        ("/presentation/HP_0012833-NDKG_0000400-PATO_0000324-NDKG_0000402-NDKG_0000405",
         "nipple discharge: Unilateral, single duct, yellow, spontaneous onset, unrelated to "
         "lactation"),
    ],
)
def test_claims_citations_presentations_and_external_terms_are_linked_data_too(
    http: httpx.Client, path: str, label: str
) -> None:
    response = http.get(path, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="json-ld")
    assert Literal(label) in set(graph.objects(None, RDFS.label))
    assert http.get(path, headers={"Accept": BROWSER_ACCEPT}).status_code == 200


def test_the_format_parameter_overrides_the_accept_header(http: httpx.Client) -> None:
    response = http.get("/NDKG_0000224?format=nt", headers={"Accept": BROWSER_ACCEPT})
    assert response.headers["content-type"].startswith("application/n-triples")


def test_a_format_nobody_offers_is_406(http: httpx.Client) -> None:
    response = http.get("/NDKG_0000224", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text


@pytest.mark.parametrize(
    "path", ["/NDKG_9999999", "/NDKG_12", "/term/HP:9999999", "/term/nope:1", "/term?iri=nonsense"]
)
@pytest.mark.parametrize(
    ("accept", "media_type"), [(BROWSER_ACCEPT, "text/html"), ("text/turtle", "text/plain")]
)
def test_unknown_terms_are_404_in_html_and_rdf(
    http: httpx.Client, path: str, accept: str, media_type: str
) -> None:
    response = http.get(path, headers={"Accept": accept})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(media_type)
