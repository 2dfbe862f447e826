"""Integrity of writes and the right status for hostile or unusual requests, on a live service
over the real graph: graph names are taken as they resolve, copies of the build are refused,
relative IRIs resolve against the configured URL, wrong tokens are limited per client, and
bodies, RDF 1.2, deep JSON, non-finite numbers, lone surrogates and long ``SERVICE`` texts get
a 4xx, never a 5xx or a dead worker."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import httpx
import pytest
from fastapi import FastAPI

from ndkg.build import BuildResult
from ndkg.service import ServiceSettings, create_app
from ndkg.storage.contributions import CONTRIBUTED

from .support import AUTH, SPARQL_QUERY, TOKEN, copy_build

Serve = Callable[[FastAPI], AbstractContextManager[str]]
UPDATE = {**AUTH, "Content-Type": "application/sparql-update"}
ASSERTED = "https://w3id.org/ndkg/graph/asserted"
PUBLIC = "https://ndkg.example.org"


@pytest.fixture(scope="module")
def service(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, serve: Serve
) -> Iterator[str]:
    settings = ServiceSettings(
        home=copy_build(built, tmp_path_factory.mktemp("integrity")),
        write_token=TOKEN, max_body_bytes=64 * 1024, query_workers=1, public_url=PUBLIC,
        token_attempts=3,
    )
    with serve(create_app(settings)) as url:
        yield url


@pytest.fixture
def client(service: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service, timeout=60) as http:
        yield http


def still_answers(client: httpx.Client) -> None:
    response = client.post("/sparql", content="ASK { ?s ?p ?o }", headers=SPARQL_QUERY)
    assert (response.status_code, response.json()["boolean"]) == (200, True)


# --- What may be written ---------------------------------------------------------------------


@pytest.mark.parametrize("name", [f"{CONTRIBUTED}/../asserted", f"{CONTRIBUTED}/%2E%2E/asserted",
                                  f"{CONTRIBUTED}/./a"])
def test_a_graph_name_with_dot_segments_is_not_contributed(
    client: httpx.Client, name: str
) -> None:
    put = client.put("/store", params={"graph": name}, headers={**AUTH, "Content-Type":
                     "text/turtle"}, content=b"<urn:a> <urn:b> 'c' .")
    assert put.status_code == 403
    assert put.text == (
        f"<{name}> is read-only: writes may change only <{CONTRIBUTED}> and graphs named "
        "under it.\n"
    )
    update = client.post("/update", headers=UPDATE,
                         content=f"INSERT DATA {{ GRAPH <{name}> {{ <urn:a> <urn:b> 'c' }} }}")
    assert update.status_code == 403
    assert "Graphs of the build are read-only" in update.text


def test_copies_of_the_build_are_refused(client: httpx.Client) -> None:
    response = client.post("/update", headers=UPDATE, content=f"COPY <{ASSERTED}> TO DEFAULT")
    assert response.status_code == 409
    assert response.text.startswith("The write would copy ")
    assert "triple(s) of the build into contributed graphs" in response.text
    one = client.post("/update", headers=UPDATE, content="INSERT DATA { NDKG:0000224 a owl:Class }")
    assert one.status_code == 409
    assert "The write would copy 1 triple(s) of the build" in one.text
    count = client.get("/store", params={"default": ""})
    assert count.status_code == 404  # nothing was written


def test_relative_iris_resolve_against_the_configured_url_not_the_host(
    client: httpx.Client,
) -> None:
    response = client.post(
        "/update", headers={**UPDATE, "Host": "attacker.example"},
        content="INSERT DATA { GRAPH <clinic-note> { <note-1> rdfs:comment 'relative' } }",
    )
    assert response.status_code == 403  # <clinic-note> is no contributed graph
    response = client.post(
        "/update", headers={**UPDATE, "Host": "attacker.example"},
        content="INSERT DATA { <note-1> rdfs:comment 'relative' }",
    )
    assert response.status_code == 204, response.text
    found = client.get("/sparql", params={
        "query": "SELECT ?s WHERE { ?s rdfs:comment 'relative' }"}).json()
    assert [row["s"]["value"] for row in found["results"]["bindings"]] == [f"{PUBLIC}/note-1"]
    assert client.post("/update", headers=UPDATE, content="DROP DEFAULT").status_code == 204


def test_rdf_1_2_triple_terms_are_refused_and_the_worker_lives(client: httpx.Client) -> None:
    turtle = b"<urn:a> <urn:b> <<( <urn:c> <urn:d> <urn:e> )>> ."
    put = client.put("/store", params={"default": ""}, content=turtle,
                     headers={**AUTH, "Content-Type": "text/turtle"})
    update = client.post("/update", headers=UPDATE,
                         content="INSERT DATA { <urn:a> <urn:b> <<( <urn:c> <urn:d> <urn:e> )>> }")
    for response in (put, update):
        assert response.status_code == 400
        assert response.text.startswith("RDF 1.2 triple terms cannot be written")
    still_answers(client)


def test_a_triple_term_asked_for_as_json_ld_is_406(client: httpx.Client) -> None:
    response = client.post(
        "/sparql", content="CONSTRUCT { <urn:a> <urn:b> <<( <urn:c> <urn:d> <urn:e> )>> } {}",
        headers={**SPARQL_QUERY, "Accept": "application/ld+json"},
    )
    assert response.status_code == 406
    assert response.text == (
        "This result holds RDF 1.2 triple terms, which JSON-LD cannot write: ask for Turtle "
        "or N-Triples.\n"
    )


# --- Hostile bodies --------------------------------------------------------------------------


def test_json_ld_nested_deep_is_400_before_the_parser(client: httpx.Client) -> None:
    body = '{"@id": "urn:a", "urn:p": ' + "[" * 10_000 + "]" * 10_000 + "}"
    response = client.put("/store", params={"default": ""}, content=body,
                          headers={**AUTH, "Content-Type": "application/ld+json"})
    assert response.status_code == 400
    assert response.text == (
        "The JSON nests objects and arrays 10001 levels deep; the limit is 100 "
        "(NDKG_MAX_DATA_DEPTH).\n"
    )
    still_answers(client)


def test_rdf_xml_whose_entities_expand_beyond_the_limit_is_413(client: httpx.Client) -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    body = (
        f'<?xml version="1.0"?><!DOCTYPE r [{entities}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="urn:a"><p xmlns="urn:">&a9;</p></rdf:Description></rdf:RDF>'
    )
    assert len(body) < 1000
    response = client.put("/store", params={"default": ""}, content=body,
                          headers={**AUTH, "Content-Type": "application/rdf+xml"})
    assert response.status_code == 413
    assert response.text == (
        "The RDF/XML expands its entities beyond the limit of 65536 bytes "
        "(NDKG_MAX_BODY_BYTES).\n"
    )
    still_answers(client)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"laterality": NaN}', "The JSON body holds NaN, which is not a number JSON allows."),
        (b'{"laterality": 1e400}', "The JSON body holds the number 1e400, which is too large."),
        (b'{"laterality": "\\ud800"}',
         "The JSON body holds a string that is not valid Unicode (a lone surrogate)."),
    ],
)
def test_json_bodies_with_values_json_cannot_hold_are_400(
    client: httpx.Client, body: bytes, message: str
) -> None:
    response = client.post("/classify", content=body,
                           headers={"Content-Type": "application/json"})
    assert (response.status_code, response.text) == (400, message + "\n")


def test_the_body_limit_counts_each_byte_once(client: httpx.Client) -> None:
    query = "ASK {}" + " " * (40 * 1024)  # 40 KiB under a limit of 64 KiB
    response = client.post("/sparql", content=query, headers=SPARQL_QUERY)
    assert response.status_code == 200


def test_a_long_query_mentioning_service_is_400_at_once(client: httpx.Client) -> None:
    query = "SELECT * { ?s ?p ?o FILTER(" + " || ".join(
        f"?o = {i}" for i in range(2000)) + ") SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    began = time.monotonic()
    response = client.post("/sparql", content=query, headers=SPARQL_QUERY)
    assert time.monotonic() - began < 3
    assert response.status_code == 400
    assert response.text.startswith(
        "A text that mentions SERVICE or LOAD (or holds a \\u escape) may have at most 10000 "
        "characters")


@pytest.mark.parametrize(
    ("path", "methods"),
    [("/sparql", {"GET", "POST", "OPTIONS"}), ("/update", {"POST", "OPTIONS"}),
     ("/store", {"GET", "PUT", "POST", "DELETE", "OPTIONS"})],
)
def test_options_names_every_method(client: httpx.Client, path: str, methods: set[str]) -> None:
    response = client.options(path)
    assert response.status_code == 204
    assert methods <= set(response.headers["allow"].split(", "))


# --- Tokens ----------------------------------------------------------------------------------


def test_wrong_tokens_are_limited_per_client(service: str) -> None:
    wrong = {"Authorization": "Bearer wrong-token-0123456789abcdef",
             "Content-Type": "application/sparql-update"}
    other = httpx.Client(base_url=service, timeout=30,
                         transport=httpx.HTTPTransport(local_address="127.0.0.2"))
    with httpx.Client(base_url=service, timeout=30) as client, other:
        statuses = [client.post("/update", headers=wrong, content="CLEAR DEFAULT").status_code
                    for _ in range(4)]
        right = client.post("/update", headers=UPDATE, content="CLEAR DEFAULT")
        elsewhere = other.post("/update", headers=UPDATE, content="CLEAR DEFAULT")
    assert statuses == [403, 403, 403, 429]
    assert right.status_code == 429
    assert 1 <= int(right.headers["retry-after"]) <= 60
    assert right.text.startswith("Too many wrong write tokens from this client (3 within 60 s")
    assert elsewhere.status_code == 204


# --- No server paths in errors ---------------------------------------------------------------


def test_a_503_names_no_path_of_the_server(tmp_path_factory: pytest.TempPathFactory,
                                           serve: Serve) -> None:
    home = tmp_path_factory.mktemp("empty")
    with serve(create_app(ServiceSettings(home=home))) as url:
        ready = httpx.get(f"{url}/readyz")
        query = httpx.get(f"{url}/sparql", params={"query": "ASK {}"})
    assert ready.status_code == query.status_code == 503
    assert str(home.parent) not in ready.text + query.text
    assert json.loads(ready.text)["detail"].startswith("no build in empty")
