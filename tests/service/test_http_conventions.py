"""HTTP as clients expect it: HEAD wherever GET is served, and `format=` on /sparql as Fuseki
and Virtuoso accept it (for links, and for clients that cannot set Accept)."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import httpx
import pytest

PAPILLOMA_LABEL = "SELECT ?label WHERE { NDKG:0000224 rdfs:label ?label }"
STATISTICS = """
SELECT ?statistic ?low ?high WHERE {
  ?statistic a NDKG:0000108 ; NDKG:0000017 ?low ; NDKG:0000018 ?high
} ORDER BY ?statistic
"""
CAUSES = "CONSTRUCT { NDKG:0000224 RO:0003303 ?o } WHERE { NDKG:0000224 RO:0003303 ?o }"


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/sparql?" + urlencode({"query": PAPILLOMA_LABEL}), "text/csv"),
        ("/sparql", "text/turtle"),  # the service description
        ("/NDKG_0000224", "text/turtle"),
        ("/NDKG_0000224", "text/html"),
        ("/term/HP:0100829", "application/ld+json"),
        ("/healthz", "application/json"),
    ],
)
def test_head_answers_with_the_headers_of_get_and_no_body(
    http: httpx.Client, path: str, accept: str
) -> None:
    got = http.get(path, headers={"Accept": accept})
    head = http.head(path, headers={"Accept": accept})
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    if path == "/sparql":  # blank node labels differ from one description to the next
        assert int(head.headers["content-length"]) > 1000
    else:
        assert head.headers["content-length"] == str(len(got.content))


def test_head_of_an_unknown_term_is_404_and_of_a_post_only_path_405(http: httpx.Client) -> None:
    assert http.head("/NDKG_9999999", headers={"Accept": "text/turtle"}).status_code == 404
    refused = http.head("/update")
    assert refused.status_code == 405
    assert "POST" in refused.headers["allow"]


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("text/csv", "text/csv"),
    ],
)
def test_format_chooses_the_results_format_over_accept(
    http: httpx.Client, fmt: str, media_type: str
) -> None:
    answer = http.get(
        "/sparql", params={"query": PAPILLOMA_LABEL, "format": fmt},
        headers={"Accept": "application/sparql-results+xml"} if fmt != "xml" else {},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media_type
    assert "intraductal papilloma" in answer.text


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("ttl", "text/turtle"),
        ("nt", "application/n-triples"),
        ("jsonld", "application/ld+json"),
        ("json", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
        ("xml", "application/rdf+xml"),
    ],
)
def test_format_chooses_the_graph_format(http: httpx.Client, fmt: str, media_type: str) -> None:
    answer = http.get("/sparql", params={"query": CAUSES, "format": fmt})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media_type
    assert "NDKG_0000302" in answer.text


def test_format_in_a_posted_form(http: httpx.Client) -> None:
    answer = http.post("/sparql", data={"query": PAPILLOMA_LABEL, "format": "csv"})
    assert answer.status_code == 200
    assert answer.text.splitlines() == ["label", "intraductal papilloma"]


def test_a_results_format_for_a_graph_is_406_and_an_unknown_one_is_ignored(
    http: httpx.Client,
) -> None:
    assert http.get("/sparql", params={"query": CAUSES, "format": "csv"}).status_code == 406
    unknown = http.get("/sparql", params={"query": PAPILLOMA_LABEL, "format": "excel"},
                       headers={"Accept": "text/csv"})
    assert unknown.status_code == 200  # Accept decides, as on Virtuoso and Fuseki
    assert unknown.text.splitlines() == ["label", "intraductal papilloma"]
    # SPARQLWrapper's own names
    turtle = http.get("/sparql", params={"query": CAUSES, "format": "turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")


def test_pandas_reads_a_sparql_url(service: str) -> None:
    pandas = pytest.importorskip("pandas")
    url = f"{service}/sparql?" + urlencode({"query": STATISTICS, "format": "csv"})
    frame = pandas.read_csv(url)
    assert list(frame.columns) == ["statistic", "low", "high"]
    assert frame["low"].tolist()[0] == 50 and frame["high"].tolist()[0] == 80
    assert frame["high"].dtype.kind in "if"
    tsv = httpx.get(url.replace("format=csv", "format=tsv"), timeout=30).text
    assert pandas.read_csv(io.StringIO(tsv), sep="\t").shape == frame.shape
