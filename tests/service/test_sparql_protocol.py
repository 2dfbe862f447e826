"""The SPARQL endpoint as its users meet it: requests, formats, datasets, refusals, headers."""

from __future__ import annotations

import doctest
import importlib
import io
import json
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef, Variable
from rdflib.compare import isomorphic
from rdflib.query import Result

from ndkg.errors import (
    BuildError,
    NdkgError,
    OutboundRequestError,
    ParameterError,
    QueryError,
    StoreError,
    UnknownQuestionError,
)
from ndkg.querying.guard import check_outbound
from ndkg.service import ServiceSettings, create_app
from ndkg.service.errors import status_for
from ndkg.service.negotiation import choose
from ndkg.service.sparql import outline
from ndkg.vocab import Graphs

Serve = Callable[..., AbstractContextManager[str]]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
NDKG = Namespace("https://w3id.org/ndkg/")

LABELS = "SELECT ?label WHERE { ?class rdfs:label ?label } ORDER BY ?label"
EXPECTED_LABELS = ["galactorrhoea", "hyperprolactinaemia", "intraductal papilloma"]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def labels(response: httpx.Response, fmt: str = "json") -> list[str]:
    """The ``?label`` values of a SELECT response."""
    result = Result.parse(io.BytesIO(response.content), format=fmt)
    return sorted(str(row[Variable("label")]) for row in result.bindings)


def count(client: httpx.Client, query: str = COUNT, **params: object) -> int:
    """The ``?n`` of a one-row SELECT."""
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# --- Queries and formats ----------------------------------------------------------------------


def test_select_answers_sparql_json_by_default(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": LABELS})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert "Accept" in response.headers["vary"]
    assert labels(response) == EXPECTED_LABELS


@pytest.mark.parametrize(
    ("accept", "content_type", "fmt"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv; charset=utf-8", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", "tsv"),
        ("application/json", "application/json", "json"),
        ("application/xml", "application/xml", "xml"),
        ("text/xml", "text/xml; charset=utf-8", "xml"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1",
         "application/sparql-results+xml", "xml"),
        ("text/*", "text/csv; charset=utf-8", "csv"),
        ("*/*", "application/sparql-results+json", "json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
         "application/xml", "xml"),
    ],
)  # fmt: skip
def test_select_results_are_negotiated(
    client: httpx.Client, accept: str, content_type: str, fmt: str
) -> None:
    response = client.get("/sparql", params={"query": LABELS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert labels(response, fmt) == EXPECTED_LABELS


@pytest.mark.parametrize(
    ("accept", "content_type", "fmt"),
    [
        (None, "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
    ],
)
def test_ask_answers_a_boolean(
    client: httpx.Client, accept: str | None, content_type: str, fmt: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    query = "ASK { NDKG:0000011 RO:0003303 NDKG:0000013 }"
    response = client.get("/sparql", params={"query": query}, headers=headers)
    assert response.headers["content-type"] == content_type
    assert Result.parse(io.BytesIO(response.content), format=fmt).askAnswer is True


def test_ask_is_not_offered_as_csv(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert response.text == (
        "Not acceptable: this result can be sent as application/sparql-results+json, "
        "application/sparql-results+xml, application/json, application/xml, text/xml.\n"
    )


CONSTRUCT = "CONSTRUCT { ?class rdfs:label ?label } WHERE { ?class rdfs:label ?label }"


@pytest.mark.parametrize(
    ("accept", "content_type", "fmt"),
    [
        (None, "text/turtle; charset=utf-8", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/n-quads", "application/n-quads", "nquads"),
        ("application/trig", "application/trig", "trig"),
        ("application/json", "application/json", "json-ld"),
        ("text/plain, application/rdf+xml;q=0.5", "application/rdf+xml", "xml"),
    ],
)
def test_construct_answers_rdf(
    client: httpx.Client, accept: str | None, content_type: str, fmt: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    graph = Graph()
    for triple in Dataset().parse(data=response.content, format=fmt).triples((None, None, None)):
        graph.add(triple)
    expected = Graph()
    for number, label in [
        ("0000010", "galactorrhoea"),
        ("0000011", "intraductal papilloma"),
        ("0000012", "hyperprolactinaemia"),
    ]:
        expected.add((NDKG[f"NDKG_{number}"], RDFS.label, Literal(label, lang="en")))
    assert isomorphic(graph, expected)


def test_describe_answers_turtle(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "DESCRIBE NDKG:0000011"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=response.text, format="turtle")
    assert (NDKG.NDKG_0000011, None, NDKG.NDKG_0000013) in graph


def test_construct_is_not_offered_as_sparql_results(client: httpx.Client) -> None:
    response = client.get(
        "/sparql",
        params={"query": CONSTRUCT},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 406
    assert response.text.startswith("Not acceptable: this result can be sent as text/turtle")


def test_unacceptable_accept_is_406(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": LABELS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_post_form_and_post_direct_answer_like_get(client: httpx.Client) -> None:
    form = client.post("/sparql", data={"query": LABELS})
    direct = client.post(
        "/sparql",
        content=LABELS.encode(),
        headers={"Content-Type": "application/sparql-query; charset=UTF-8"},
    )
    assert form.status_code == direct.status_code == 200
    assert labels(form) == labels(direct) == EXPECTED_LABELS


@pytest.mark.parametrize("method", ["GET", "POST form", "POST direct"])
def test_queries_are_utf8(client: httpx.Client, method: str) -> None:
    query = 'SELECT ("galactorrhée – 乳汁" AS ?label) {}'
    if method == "GET":
        response = client.get("/sparql", params={"query": query})
    elif method == "POST form":
        response = client.post("/sparql", data={"query": query})
    else:
        response = client.post(
            "/sparql",
            content=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
    assert labels(response) == ["galactorrhée – 乳汁"]


def test_ndkg_prefixes_are_predeclared(client: httpx.Client) -> None:
    query = "SELECT ?label WHERE { NDKG:0000010 rdfs:label ?label }"
    assert labels(client.get("/sparql", params={"query": query})) == ["galactorrhoea"]


def test_relative_iris_resolve_against_the_endpoint(client: httpx.Client, base_url: str) -> None:
    response = client.get("/sparql", params={"query": "SELECT (<cause> AS ?iri) {}"})
    assert response.json()["results"]["bindings"][0]["iri"]["value"] == f"{base_url}/cause"


# --- Datasets ---------------------------------------------------------------------------------


def test_default_graph_is_the_union_of_the_named_graphs(client: httpx.Client) -> None:
    query = "ASK { NDKG:0000010 rdfs:label ?label ; rdfs:subClassOf ?parent }"
    response = client.get("/sparql", params={"query": query})
    assert response.json()["boolean"] is True  # label asserted, parent inferred


def test_default_graph_uri_gives_the_default_graph(client: httpx.Client) -> None:
    assert count(client, **{"default-graph-uri": Graphs.ASSERTED}) == 7
    assert count(client, **{"default-graph-uri": [Graphs.ASSERTED, Graphs.INFERRED]}) == 8


def test_named_graph_uri_alone_leaves_the_default_graph_empty(client: httpx.Client) -> None:
    assert count(client, **{"named-graph-uri": Graphs.INFERRED}) == 0
    in_graphs = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(client, in_graphs, **{"named-graph-uri": Graphs.INFERRED}) == 1


def test_the_querys_own_dataset_applies_without_protocol_graphs(client: httpx.Client) -> None:
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM <{Graphs.INFERRED}> {{ ?s ?p ?o }}") == 1
    only_named = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{Graphs.INFERRED}> {{ ?s ?p ?o }}"
    assert count(client, only_named) == 0


def test_protocol_graphs_override_the_querys_dataset(client: httpx.Client) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{Graphs.INFERRED}> {{ ?s ?p ?o }}"
    assert count(client, query, **{"default-graph-uri": Graphs.ASSERTED}) == 7


def test_dataset_in_a_form_body(client: httpx.Client) -> None:
    response = client.post(
        "/sparql", data={"query": COUNT, "default-graph-uri": [str(Graphs.METADATA)]}
    )
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "2"


def test_invalid_graph_iri_is_400(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": COUNT, "default-graph-uri": "not an IRI"})
    assert response.status_code == 400
    assert response.text.startswith("Invalid graph IRI:")


# --- Refusals ---------------------------------------------------------------------------------


def test_malformed_query_is_400_naming_the_problem_and_position(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith("Malformed query: error at 1:25: expected one of")


def test_error_body_is_json_when_the_client_prefers_json(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"query": "ASK {"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Malformed query: error at 1:6:")


UPDATE_REFUSED = "SPARQL Update is not accepted: this endpoint answers queries only.\n"


@pytest.mark.parametrize(
    "request_args",
    [
        {"method": "GET", "params": {"update": "CLEAR ALL"}},
        {"method": "GET", "params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"method": "POST", "data": {"update": "DROP ALL"}},
        {"method": "POST", "data": {"query": "ASK {}", "update": "DROP ALL"}},
        {"method": "POST", "content": b"CLEAR ALL",
         "headers": {"Content-Type": "application/sparql-update"}},
    ],
    ids=["GET update=", "update in query=", "POST update=", "query and update", "sparql-update"],
)  # fmt: skip
def test_updates_are_refused_with_400(client: httpx.Client, request_args: dict) -> None:
    response = client.request(url="/sparql", **request_args)
    assert response.status_code == 400
    assert response.text == UPDATE_REFUSED
    assert count(client, **{"default-graph-uri": Graphs.ASSERTED}) == 7  # nothing changed


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "ASK { ?s ?p true.SERVICE <http://127.0.0.1:9/sparql> {} }",
    ],
)
def test_service_is_refused(client: httpx.Client, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert response.text == (
        "SERVICE <http://127.0.0.1:9/sparql> is not allowed: this service contacts only the "
        "endpoints on its allow-list (NDKG_SERVICE_ALLOWLIST), which is empty.\n"
    )


@pytest.mark.parametrize(
    ("request_args", "body"),
    [
        ({"method": "GET", "params": {"query": ["ASK {}", "ASK {}"]}}, "the request has 2"),
        ({"method": "POST", "data": {"default-graph-uri": "urn:g"}}, "the request has 0"),
        (
            {
                "method": "POST",
                "params": {"query": "ASK {}"},
                "content": b"ASK {}",
                "headers": {"Content-Type": "application/sparql-query"},
            },
            "the request has 2",
        ),
    ],
    ids=["two in URL", "none in form", "URL and body"],
)
def test_exactly_one_query(client: httpx.Client, request_args: dict, body: str) -> None:
    response = client.request(url="/sparql", **request_args)
    assert response.status_code == 400
    assert response.text == f"Give exactly one query; {body}.\n"


@pytest.mark.parametrize(
    ("content_type", "content", "body"),
    [
        ("text/plain", b"ASK {}", "Unsupported content type text/plain: send "
         "application/x-www-form-urlencoded or application/sparql-query."),
        (None, b"query=ASK%20%7B%7D", "Missing Content-Type: send "
         "application/x-www-form-urlencoded or application/sparql-query."),
        ("application/sparql-query; charset=UTF-16", "ASK {}".encode("utf-16"),
         "Unsupported charset UTF-16: send UTF-8."),
        ("application/x-www-form-urlencoded; charset=latin1", b"query=ASK%20%7B%7D",
         "Unsupported charset latin1: send UTF-8."),
    ],
)  # fmt: skip
def test_wrong_content_type_is_415(
    client: httpx.Client, content_type: str | None, content: bytes, body: str
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/sparql", content=content, headers=headers)
    assert response.status_code == 415
    assert response.text == body + "\n"


def test_invalid_utf8_is_400(client: httpx.Client) -> None:
    response = client.post(
        "/sparql", content=b"ASK { \xff }", headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400
    assert response.text == "The query is not valid UTF-8.\n"


def test_other_methods_are_405(client: httpx.Client) -> None:
    response = client.put("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


# --- Service description ------------------------------------------------------------------------


def description(client: httpx.Client, accept: str | None = None) -> Graph:
    """GET the endpoint without a query, parsed."""
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", headers=headers)
    assert response.status_code == 200
    fmt = {
        "text/turtle": "turtle",
        "application/ld+json": "json-ld",
        "application/rdf+xml": "xml",
        "application/n-triples": "nt",
    }[response.headers["content-type"].split(";")[0]]
    return Graph().parse(data=response.content, format=fmt)


def test_service_description_names_the_endpoint_and_its_features(
    client: httpx.Client, endpoint: str
) -> None:
    graph = description(client)
    service = graph.value(predicate=SD.endpoint, object=URIRef(endpoint))
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert set(graph.objects(service, SD.resultFormat)) == {
        FORMATS[name]
        for name in [
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
            "N-Quads",
            "TriG",
        ]
    }


def test_service_description_carries_void_statistics(
    client: httpx.Client, build_home: Path
) -> None:
    graph = description(client)
    dataset = next(graph.objects(None, SD.defaultDataset))
    default_graph = graph.value(dataset, SD.defaultGraph)
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT * { ?s ?p ?o } }"
    assert graph.value(default_graph, VOID.triples).toPython() == count(client, distinct)
    classes = "SELECT (COUNT(DISTINCT ?class) AS ?n) WHERE { ?s a ?class }"
    assert graph.value(default_graph, VOID.classes).toPython() == count(client, classes)
    info = json.loads((build_home / "current" / "build.json").read_text())
    named = {
        str(graph.value(node, SD.name)): graph.value(graph.value(node, SD.graph), VOID.triples)
        for node in graph.objects(dataset, SD.namedGraph)
    }
    assert {name: n.toPython() for name, n in named.items()} == info["triples"]
    assert named[str(Graphs.ASSERTED)].toPython() == 7


@pytest.mark.parametrize(
    "accept", ["application/ld+json", "application/rdf+xml", "application/n-triples"]
)
def test_service_description_is_negotiated(client: httpx.Client, accept: str) -> None:
    assert isomorphic(description(client, accept), description(client))


def test_service_description_is_not_offered_as_sparql_results(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 406


# --- Health, version, CORS, concurrency ---------------------------------------------------------


def test_health_and_readiness(client: httpx.Client, version: str) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {
        "status": "ready",
        "version": version,
        "workers": {"size": 3, "running": 3, "idle": 3, "long": 0},
    }


@pytest.mark.parametrize(
    "request_args",
    [
        {"method": "GET", "url": "/healthz"},
        {"method": "GET", "url": "/readyz"},
        {"method": "GET", "url": "/sparql"},
        {"method": "GET", "url": "/sparql", "params": {"query": "ASK {}"}},
        {"method": "GET", "url": "/sparql", "params": {"query": "ASK {"}},
        {"method": "GET", "url": "/sparql", "params": {"query": "ASK {}"},
         "headers": {"Accept": "image/png"}},
        {"method": "POST", "url": "/sparql", "content": b"ASK {}"},
        {"method": "GET", "url": "/no/such/page"},
        {"method": "OPTIONS", "url": "/sparql", "headers": {
            "Origin": "https://example.org", "Access-Control-Request-Method": "POST"}},
    ],
    ids=["healthz", "readyz", "description", "ask", "400", "406", "415", "404", "preflight"],
)  # fmt: skip
def test_every_response_carries_the_graph_version(
    client: httpx.Client, version: str, request_args: dict
) -> None:
    assert client.request(**request_args).headers["x-ndkg-version"] == version


def test_cors_allows_any_origin_without_credentials(client: httpx.Client) -> None:
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in preflight.headers
    response = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-expose-headers"] == "X-NDKG-Version, X-NDKG-Truncated"


def test_cors_origins_are_configurable(build_home: Path, serve: Serve) -> None:
    settings = ServiceSettings(home=build_home, cors_origins=["https://ndkg.example"])
    with serve(create_app(settings)) as url:
        allowed = httpx.get(f"{url}/healthz", headers={"Origin": "https://ndkg.example"})
        other = httpx.get(f"{url}/healthz", headers={"Origin": "https://other.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://ndkg.example"
    assert "access-control-allow-origin" not in other.headers


def test_without_a_build_the_service_lives_but_is_not_ready(tmp_path: Path, serve: Serve) -> None:
    with serve(create_app(ServiceSettings(home=tmp_path))) as url:
        health = httpx.get(f"{url}/healthz")
        ready = httpx.get(f"{url}/readyz")
        query = httpx.get(f"{url}/sparql", params={"query": "ASK {}"})
    assert health.status_code == 200
    assert ready.status_code == 503
    # 5xx bodies never show the server's paths: the folder is named, not where it is
    name = tmp_path.name
    assert ready.json() == {
        "status": "unavailable",
        "detail": f"no build in {name}: run `ndkg build --out {name}` first",
    }
    assert query.status_code == 503
    assert query.text == f"no build in {name}: run `ndkg build --out {name}` first\n"
    assert query.headers["x-ndkg-version"] == "unknown"


def test_a_long_query_does_not_hold_up_other_requests(client: httpx.Client) -> None:
    slow = """SELECT (COUNT(*) AS ?n)
        WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . VALUES ?x { 1 2 3 4 5 } }"""
    finished: dict[str, float] = {}

    def run_slow() -> None:
        with httpx.Client(base_url=str(client.base_url), timeout=60) as other:
            assert other.get("/sparql", params={"query": slow}).status_code == 200
        finished["slow"] = time.monotonic()

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.2)
    assert client.get("/healthz").status_code == 200
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    finished["fast"] = time.monotonic()
    thread.join()
    assert finished["fast"] < finished["slow"]


# --- Parts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "offers", "chosen"),
    [
        (None, ["text/turtle", "application/rdf+xml"], "text/turtle"),
        ("", ["text/turtle", "application/rdf+xml"], "text/turtle"),
        ("application/rdf+xml", ["text/turtle", "application/rdf+xml"], "application/rdf+xml"),
        ("text/turtle;q=0, */*", ["text/turtle", "application/rdf+xml"], "application/rdf+xml"),
        ("*/*;q=0.1, text/csv", ["application/json", "text/csv"], "text/csv"),
        ("TEXT/CSV", ["application/json", "text/csv"], "text/csv"),
        ("text/csv;charset=utf-8", ["text/csv; charset=UTF-8"], "text/csv; charset=UTF-8"),
        ("text/csv;charset=latin1", ["text/csv; charset=utf-8"], None),
        ("text/csv;q=2, application/json;q=0.5", ["text/csv", "application/json"],
         "application/json"),
        ('text/csv;foo="a,b";q=0.5, application/json;q=0.4', ["application/json", "text/csv"],
         "application/json"),
        ("nonsense, ;;;", ["text/turtle"], "text/turtle"),
        ("image/png", ["text/turtle"], None),
    ],
)  # fmt: skip
def test_choose(accept: str | None, offers: list[str], chosen: str | None) -> None:
    assert choose(accept, offers) == chosen


@pytest.mark.parametrize(
    ("query", "first", "has_dataset_clause"),
    [
        ("SELECT * FROM <urn:g> { ?s ?p ?o }", "SELECT", True),
        ("select * from named <urn:g> { graph ?g { ?s ?p ?o } }", "SELECT", True),
        ("SELECT ?from { ?s ex:from 'FROM <x>' } # FROM <urn:g>", "SELECT", False),
        ("SELECT * { { SELECT * { ?s ?p ?o } } }", "SELECT", False),
        ("BASE <urn:b> PREFIX from: <urn:f:> ASK { from:a ?p '''FROM''' }", "ASK", False),
        ("CONSTRUCT { ?s ?p ?o } FROM <urn:g> WHERE { ?s ?p ?o }", "CONSTRUCT", True),
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH", False),
    ],
)
def test_outline(query: str, first: str, has_dataset_clause: bool) -> None:
    shape = outline(query)
    assert (shape.first_keyword, shape.has_dataset_clause) == (first, has_dataset_clause)


ENDPOINT = "<http://127.0.0.1:9/sparql>"


@pytest.mark.parametrize(
    ("query", "calls"),
    [
        (f"SELECT * {{ SERVICE {ENDPOINT} {{ ?s ?p ?o }} }}", True),
        (f"select * {{ optional {{ service silent {ENDPOINT} {{ ?s ?p ?o }} }} }}", True),
        (f"ASK {{ FILTER EXISTS {{ {{ SELECT * {{ SERVICE {ENDPOINT} {{}} }} }} }} }}", True),
        (f"SELECT * {{ ?s ?p true.SERVICE {ENDPOINT} {{}} }}", True),
        (f"SELECT * {{ ?s ?p 1SERVICE {ENDPOINT} {{}} }}", True),
        (f"SELECT * {{ ?s ?p <urn:o>SERVICE{ENDPOINT}{{}} }}", True),
        ("SELECT * { ?s ?p <urn:x#> FILTER(?s<?p)SERVICE?v#>\n{} }", True),
        ("SELECT ?service { ?service ?p 'customer service ' } # service", False),
        ("SELECT * { ?s a <http://www.w3.org/ns/sparql-service-description#Service> }", False),
        ("SELECT * { ?s ?p ?o }", False),
    ],
)
def test_calls_service(query: str, calls: bool) -> None:
    refused = False
    try:
        check_outbound(query, allowlist=())
    except OutboundRequestError:
        refused = True
    assert refused is calls


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (QueryError("x"), 400),
        (ParameterError("p", "x"), 400),
        (UnknownQuestionError("x"), 404),
        (StoreError("x"), 503),
        (BuildError("x"), 500),
        (NdkgError("x"), 500),
    ],
)
def test_error_statuses(error: NdkgError, status: int) -> None:
    assert status_for(error) == status


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NDKG_HOME", "/srv/ndkg")
    monkeypatch.setenv("NDKG_PORT", "9000")
    monkeypatch.setenv("NDKG_CORS_ORIGINS", "https://a.example, https://b.example")
    settings = ServiceSettings()
    assert settings.home == Path("/srv/ndkg")
    assert settings.port == 9000
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.host == "127.0.0.1"


@pytest.mark.parametrize(
    "values", [{"port": 0}, {"cors_origins": ["ftp://a.example"]}, {"cors_origins": ["a.example"]}]
)
def test_settings_refuse_nonsense(values: dict) -> None:
    with pytest.raises(ValidationError):
        ServiceSettings(**values)


@pytest.mark.parametrize(
    "module",
    [
        "ndkg.service",
        "ndkg.service.app",
        "ndkg.service.errors",
        "ndkg.service.negotiation",
        "ndkg.service.settings",
        "ndkg.service.sparql",
    ],
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
