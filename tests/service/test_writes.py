"""Writes: a token to write, SPARQL Update and the Graph Store Protocol on the contributed
graphs, every write checked with the SHACL shapes and applied whole or not at all, and uploads
that are parsed safely."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import ValidationError

from ndkg.build import BuildResult
from ndkg.service import ServiceSettings, create_app
from ndkg.storage.contributions import CONTRIBUTED

from .support import AUTH, TOKEN, copy_build

Serve = Callable[[FastAPI], AbstractContextManager[str]]
UPDATE = {**AUTH, "Content-Type": "application/sparql-update"}
N_TRIPLES = {"Accept": "application/n-triples"}
CLINIC = f"{CONTRIBUTED}/clinic-a"
PAPILLOMA = "https://w3id.org/ndkg/NDKG_0000224"
SYNONYMS = f"SELECT ?g ?s WHERE {{ GRAPH ?g {{ <{PAPILLOMA}> oboInOwl:hasExactSynonym ?s }} }}"


@pytest.fixture(scope="module")
def service(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, serve: Serve
) -> Iterator[str]:
    settings = ServiceSettings(
        home=copy_build(built, tmp_path_factory.mktemp("writes")),
        write_token=TOKEN,
        max_body_bytes=64 * 1024,
        query_workers=1,
    )
    with serve(create_app(settings)) as url:
        yield url


@pytest.fixture
def client(service: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service, timeout=60) as http:
        yield http


def rows(client: httpx.Client, query: str) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()}
            for row in response.json()["results"]["bindings"]]


def contributed(client: httpx.Client) -> set[tuple[str, str, str, str]]:
    """Every contributed quad, as text."""
    query = f"""SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
        FILTER(STRSTARTS(STR(?g), "{CONTRIBUTED}")) }}"""
    return {(r["g"], r["s"], r["p"], r["o"]) for r in rows(client, query)}


# --- Who may write ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
        ({"Authorization": "Bearer wrong-token-0123456789abcdef"}, 403),
        ({"Authorization": f"Bearer {TOKEN}x"}, 403),
    ],
)
def test_writes_need_the_token(client: httpx.Client, headers: dict, status: int) -> None:
    before = contributed(client)
    update = client.post(
        "/update", content="INSERT DATA { <urn:a> <urn:b> 'c' }",
        headers={**headers, "Content-Type": "application/sparql-update"},
    )
    put = client.put(
        "/store", params={"default": ""}, content=b"<urn:a> <urn:b> 'c' .",
        headers={**headers, "Content-Type": "text/turtle"},
    )
    delete = client.delete("/store", params={"default": ""}, headers=headers)
    assert update.status_code == put.status_code == delete.status_code == status
    if status == 401:
        assert update.headers["www-authenticate"] == 'Bearer realm="ndkg"'
    assert contributed(client) == before


@pytest.mark.parametrize("token", ["", "short-secret", " " * 20])
def test_settings_refuse_an_empty_or_short_token(token: str) -> None:
    with pytest.raises(ValidationError) as error:
        ServiceSettings(write_token=token)
    assert "short-secret" not in str(error.value)


def test_the_token_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "token"
    secret.write_text(TOKEN + "\n")
    settings = ServiceSettings(write_token_file=secret)
    assert settings.write_token is not None
    assert settings.write_token.get_secret_value() == TOKEN
    assert TOKEN not in repr(settings)
    with pytest.raises(ValidationError):
        ServiceSettings(write_token=TOKEN, write_token_file=secret)


def test_the_token_is_checked_before_the_body_is_read(client: httpx.Client) -> None:
    response = client.put("/store", params={"default": ""}, content=b"#" * 100_000,
                          headers={"Content-Type": "text/turtle"})
    assert response.status_code == 401


def test_reads_are_public(client: httpx.Client) -> None:
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"]
    assert client.get("/store", params={"graph": "https://w3id.org/ndkg/graph/asserted"}).is_success


def test_without_a_token_configured_writes_are_off(built: BuildResult, tmp_path: Path,
                                                   serve: Serve) -> None:
    settings = ServiceSettings(home=copy_build(built, tmp_path), query_workers=1)
    with serve(create_app(settings)) as url:
        response = httpx.post(f"{url}/update", content="INSERT DATA { <urn:a> <urn:b> 'c' }",
                              headers=UPDATE)
    assert response.status_code == 403
    assert "Writes are off" in response.text


# --- SPARQL Update ------------------------------------------------------------------------------


def test_a_valid_update_is_applied_and_served(client: httpx.Client) -> None:
    response = client.post(
        "/update", headers=UPDATE,
        content="INSERT DATA { NDKG:0000224 oboInOwl:hasExactSynonym 'duct papilloma (lay)' }",
    )
    assert response.status_code == 204
    assert {"g": CONTRIBUTED, "s": "duct papilloma (lay)"} in rows(client, SYNONYMS)


def test_an_update_form_is_accepted(client: httpx.Client) -> None:
    response = client.post("/update", headers=AUTH, data={
        "update": f"INSERT DATA {{ GRAPH <{CLINIC}> {{ <{PAPILLOMA}> rdfs:comment 'seen' }} }}"
    })
    assert response.status_code == 204
    assert (CLINIC, PAPILLOMA, "http://www.w3.org/2000/01/rdf-schema#comment", "seen") in (
        contributed(client)
    )


def test_an_update_that_breaks_a_shape_is_422_with_the_report_and_changes_nothing(
    client: httpx.Client,
) -> None:
    before = contributed(client)
    response = client.post("/update", headers=UPDATE, content="""
        INSERT DATA { NDKG:0000224 oboInOwl:hasExactSynonym 'papilloma, duct' .
                      NDKG:0000224 oboInOwl:hasExactSynonym 42 }""")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The write would break the SHACL shapes; nothing was changed."
    assert body["violations"] == [{
        "focus_node": "NDKG:0000224",
        "path": "(oboInOwl:hasExactSynonym|oboInOwl:hasRelatedSynonym|oboInOwl:hasNarrowSynonym"
                "|oboInOwl:hasBroadSynonym)",
        "message": "A synonym (oboInOwl:hasExactSynonym, hasRelatedSynonym, hasNarrowSynonym, "
                   "hasBroadSynonym) must be a plain non-empty string, not an IRI, a number or a "
                   "language-tagged text. Write the synonym as quoted text.",
        "shape": "ndkgsh:TermSynonymShape",
        "severity": "sh:Violation",
        "value": "42",
    }]
    assert "sh:conforms false" in body["report"]
    assert contributed(client) == before


def test_a_new_term_without_label_or_definition_is_refused(client: httpx.Client) -> None:
    response = client.post("/update", headers=UPDATE,
                           content="INSERT DATA { NDKG:0009999 a owl:Class }")
    assert response.status_code == 422
    shapes = {v["shape"] for v in response.json()["violations"]}
    assert {"ndkgsh:TermLabelShape", "ndkgsh:TermDefinitionShape"} <= shapes


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { GRAPH <https://w3id.org/ndkg/graph/asserted> { <urn:a> <urn:b> 'c' } }",
        "DELETE WHERE { GRAPH <https://w3id.org/ndkg/graph/asserted> { NDKG:0000224 ?p ?o } }",
        "INSERT DATA { <urn:a> <urn:b> 'c' } ; "
        "INSERT DATA { GRAPH <urn:elsewhere> { <urn:a> <urn:b> 'c' } }",
        "DROP ALL",
    ],
    ids=["insert into the build", "delete from the build", "second operation elsewhere",
         "drop all"],
)
def test_an_update_of_a_graph_of_the_build_is_403_and_changes_nothing(
    client: httpx.Client, update: str
) -> None:
    before = contributed(client)
    response = client.post("/update", headers=UPDATE, content=update)
    assert response.status_code == 403
    assert "Graphs of the build are read-only" in response.text
    assert contributed(client) == before
    assert rows(client, "SELECT ?l WHERE { NDKG:0000224 rdfs:label ?l }") == [
        {"l": "intraductal papilloma"}
    ]


def test_an_update_reads_the_build_with_graph(client: httpx.Client) -> None:
    response = client.post("/update", headers=UPDATE, content="""
        INSERT { GRAPH <https://w3id.org/ndkg/graph/contributed/labels> { ?c rdfs:comment ?l } }
        WHERE { GRAPH <https://w3id.org/ndkg/graph/asserted> { NDKG:0000224 rdfs:label ?l .
                BIND(NDKG:0000224 AS ?c) } }""")
    assert response.status_code == 204
    assert rows(client, f"""SELECT ?l WHERE {{ GRAPH <{CONTRIBUTED}/labels> {{
        NDKG:0000224 rdfs:comment ?l }} }}""") == [{"l": "intraductal papilloma"}]


def test_a_malformed_update_is_400_naming_the_position(client: httpx.Client) -> None:
    response = client.post("/update", headers=UPDATE, content="INSERT DATA { <urn:a> }")
    assert response.status_code == 400
    assert response.text.startswith("Malformed update: error at 1:23: expected one of")


# --- Graph Store Protocol -----------------------------------------------------------------------

GRAPH = f"{CONTRIBUTED}/gsp"
BODIES = {
    "text/turtle": b'@prefix ex: <http://example.org/> . ex:a ex:p "turtle" .',
    "application/n-triples": b'<http://example.org/a> <http://example.org/p> "n-triples" .\n',
    "application/rdf+xml": b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>rdf/xml</ex:p></rdf:Description>
</rdf:RDF>""",
    "application/ld+json": b'{"@id": "http://example.org/a", "http://example.org/p": "json-ld"}',
}


@pytest.mark.parametrize("media_type", list(BODIES))
def test_a_graph_is_put_in_each_format(client: httpx.Client, media_type: str) -> None:
    response = client.put("/store", params={"graph": GRAPH}, content=BODIES[media_type],
                          headers={**AUTH, "Content-Type": media_type})
    assert response.status_code in (201, 204)
    read = client.get("/store", params={"graph": GRAPH}, headers=N_TRIPLES)
    expected = media_type.split("/")[1].replace("ld+json", "json-ld").replace("rdf+xml", "rdf/xml")
    assert read.text == f'<http://example.org/a> <http://example.org/p> "{expected}" .\n'


def test_post_adds_to_a_graph_and_delete_removes_it(client: httpx.Client) -> None:
    graph = f"{CONTRIBUTED}/merge"
    first = client.post("/store", params={"graph": graph}, content=b"<urn:a> <urn:p> _:x .",
                        headers={**AUTH, "Content-Type": "text/turtle"})
    second = client.post("/store", params={"graph": graph}, content=b"<urn:a> <urn:p> _:x .",
                         headers={**AUTH, "Content-Type": "text/turtle"})
    assert (first.status_code, second.status_code) == (201, 204)
    read = client.get("/store", params={"graph": graph}, headers=N_TRIPLES)
    assert len(read.text.splitlines()) == 2  # blank nodes sent are new ones
    assert client.delete("/store", params={"graph": graph}, headers=AUTH).status_code == 204
    assert client.get("/store", params={"graph": graph}).status_code == 404
    assert client.delete("/store", params={"graph": graph}, headers=AUTH).status_code == 404


def test_the_default_graph_of_writes_is_the_contributed_graph(client: httpx.Client) -> None:
    response = client.post("/store", params={"default": ""}, headers={
        **AUTH, "Content-Type": "text/turtle"}, content=b"<urn:x> <urn:y> 'default' .")
    assert response.status_code == 204
    read = client.get("/store", params={"default": ""}, headers=N_TRIPLES)
    assert '<urn:x> <urn:y> "default" .' in read.text.splitlines()


def test_a_graph_of_the_build_cannot_be_written(client: httpx.Client) -> None:
    response = client.put("/store", params={"graph": "https://w3id.org/ndkg/graph/asserted"},
                          content=b"", headers={**AUTH, "Content-Type": "text/turtle"})
    assert response.status_code == 403
    assert rows(client, "SELECT ?l WHERE { NDKG:0000224 rdfs:label ?l }") == [
        {"l": "intraductal papilloma"}
    ]


def test_an_invalid_graph_is_422_and_changes_nothing(client: httpx.Client) -> None:
    before = contributed(client)
    response = client.put("/store", params={"graph": GRAPH}, headers={
        **AUTH, "Content-Type": "text/turtle"},
        content=b"<https://w3id.org/ndkg/NDKG_0000224> "
                b"<http://www.geneontology.org/formats/oboInOwl#hasExactSynonym> 42 .")
    assert response.status_code == 422
    assert response.json()["violations"][0]["shape"] == "ndkgsh:TermSynonymShape"
    assert contributed(client) == before


@pytest.mark.parametrize(
    ("media_type", "body", "position"),
    [
        ("text/turtle", b"<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n", "line 2, column 17"),
        ("application/n-triples", b"<urn:a> <urn:b> <urn:c>\n", "line 2, column 1"),
        ("application/ld+json", b'{"@id": "urn:a", "urn:p": }', "line 1, column 27"),
        # pyoxigraph's RDF/XML parser names no position for this error
        ("application/rdf+xml", b"<rdf:RDF><oops/></rdf:RDF>", "Unknown prefix rdf:"),
    ],
)
def test_malformed_data_is_400_naming_the_position(
    client: httpx.Client, media_type: str, body: bytes, position: str
) -> None:
    before = contributed(client)
    response = client.put("/store", params={"graph": GRAPH}, content=body,
                          headers={**AUTH, "Content-Type": media_type})
    assert response.status_code == 400
    assert "data cannot be read" in response.text
    assert position in response.text
    assert contributed(client) == before


def test_rdf_xml_with_an_external_entity_is_refused(client: httpx.Client, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY leak SYSTEM "file://{secret}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>&leak;</ex:p></rdf:Description>
</rdf:RDF>""".encode()
    response = client.put("/store", params={"graph": GRAPH}, content=body,
                          headers={**AUTH, "Content-Type": "application/rdf+xml"})
    assert response.status_code == 400
    assert "TOP-SECRET" not in response.text
    dump = client.get("/sparql", params={"query": "SELECT * { GRAPH ?g { ?s ?p ?o } }"},
                      headers={"Accept": "text/csv"})
    assert "TOP-SECRET" not in dump.text


def test_an_upload_larger_than_the_limit_is_413(client: httpx.Client) -> None:
    body = b"".join(b"<urn:s%d> <urn:p> 'x' .\n" % i for i in range(5000))
    assert len(body) > 64 * 1024
    response = client.put("/store", params={"graph": GRAPH}, content=body,
                          headers={**AUTH, "Content-Type": "text/turtle"})
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("params", "status"),
    [({}, 400), ({"graph": GRAPH, "default": ""}, 400), ({"graph": "not an iri"}, 400),
     ({"graph": "https://w3id.org/ndkg/graph/none"}, 404)],
)
def test_a_graph_read_names_one_existing_graph(
    client: httpx.Client, params: dict, status: int
) -> None:
    assert client.get("/store", params=params).status_code == status


def test_unsupported_content_types_are_415(client: httpx.Client) -> None:
    update = client.post("/update", content=b"INSERT DATA {}",
                         headers={**AUTH, "Content-Type": "text/plain"})
    put = client.put("/store", params={"graph": GRAPH}, content=b"{}",
                     headers={**AUTH, "Content-Type": "application/json"})
    assert update.status_code == put.status_code == 415
