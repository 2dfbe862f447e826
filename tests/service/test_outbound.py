"""No outbound requests: SERVICE and LOAD reach only endpoints on the allow-list. A real TCP
listener on 127.0.0.1 stands for the other endpoint; where it is not allowed, it must receive
nothing at all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from ndkg.build import BuildResult
from ndkg.errors import SourceError
from ndkg.model.sources import check_query
from ndkg.service import ServiceSettings, create_app

from .support import AUTH, EMPTY_RESULTS, TOKEN, Listener, copy_build

Serve = Callable[[FastAPI], AbstractContextManager[str]]


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A TCP listener on loopback that records every connection."""
    with Listener(EMPTY_RESULTS).running() as running:
        yield running


@pytest.fixture(scope="module")
def home(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_build(built, tmp_path_factory.mktemp("outbound"))


@pytest.fixture(scope="module")
def service(home: Path, serve: Serve) -> Iterator[str]:
    """A service that accepts writes and allows no other endpoint."""
    settings = ServiceSettings(home=home, write_token=TOKEN, query_workers=1)
    with serve(create_app(settings)) as url:
        yield url


def service_queries(endpoint: str) -> list[str]:
    """Queries that would call ``endpoint``, written in the ways SPARQL allows."""
    host, path = endpoint.removeprefix("http://").split("/", 1)
    return [
        f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
        f"select * {{ optional {{ service silent <{endpoint}> {{ ?s ?p ?o }} }} }}",
        f"PREFIX remote: <http://{host}/> SELECT * {{ SERVICE remote:{path} {{ ?s ?p ?o }} }}",
        f"ASK {{ ?s ?p 1SERVICE<{endpoint}>{{}} }}",
        f"ASK {{ FILTER EXISTS {{ {{ SELECT * {{ SERVICE <{endpoint}> {{}} }} }} }} }}",
        f"BASE <http://{host}/> SELECT * {{ SERVICE <{path}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ VALUES ?e {{ <{endpoint}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * {{ \\u0053ERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
    ]


def test_service_to_an_endpoint_not_allowed_is_400_and_sends_nothing(
    service: str, listener: Listener
) -> None:
    for query in service_queries(listener.url):
        response = httpx.get(f"{service}/sparql", params={"query": query}, timeout=30)
        assert response.status_code == 400, query
        assert "SERVICE" in response.text
    assert listener.received == []


def test_service_to_an_allowed_endpoint_is_sent(home: Path, serve: Serve) -> None:
    with Listener(EMPTY_RESULTS).running() as allowed, Listener().running() as other:
        settings = ServiceSettings(home=home, service_allowlist=[allowed.url], query_workers=1)
        with serve(create_app(settings)) as url:
            answered = httpx.get(f"{url}/sparql", timeout=30, params={
                "query": f"SELECT * {{ SERVICE <{allowed.url}> {{ ?x ?p ?o }} }}"})
            refused = httpx.get(f"{url}/sparql", timeout=30, params={
                "query": f"SELECT * {{ SERVICE <{allowed.url}> {{}} SERVICE <{other.url}> {{}} }}"
            })
    assert answered.status_code == 200
    assert answered.json()["results"]["bindings"] == []
    assert len(allowed.received) == 1
    assert allowed.received[0].startswith(b"POST /sparql HTTP/1.1")
    assert refused.status_code == 400
    assert other.received == []


def named_question(endpoint: str) -> str:
    return f"""#+ summary: Causes of a condition, asked of another endpoint too
#+ params:
#+   condition:
#+     description: An ndkg condition.
PREFIX obo: <http://purl.obolibrary.org/obo/>
SELECT ?cause ?_condition_iri WHERE {{
  ?cause obo:RO_0003303 ?_condition_iri .
  SERVICE <{endpoint}> {{ ?cause ?p ?o }}
}}
"""


def test_a_named_question_calling_service_fails_the_build_and_the_endpoint(
    service: str, listener: Listener, tmp_path: Path
) -> None:
    path = tmp_path / "remote-causes.rq"
    path.write_text(named_question(listener.url))
    with pytest.raises(SourceError, match="is not allowed"):
        check_query(path)
    response = httpx.post(
        f"{service}/sparql", content=path.read_text(), timeout=30,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 400
    assert listener.received == []


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <{url}>",
        "LOAD SILENT <{url}> INTO GRAPH <https://w3id.org/ndkg/graph/contributed/x>",
        "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "INSERT DATA {{ <urn:a> <urn:b> 'c' }} ; LOAD <{url}>",
    ],
)
def test_load_and_service_in_an_update_are_400_and_send_nothing(
    service: str, listener: Listener, update: str
) -> None:
    for request in (
        {"content": update.format(url=listener.url),
         "headers": {**AUTH, "Content-Type": "application/sparql-update"}},
        {"data": {"update": update.format(url=listener.url)}, "headers": AUTH},
    ):
        response = httpx.post(f"{service}/update", timeout=30, **request)  # type: ignore[arg-type]
        assert response.status_code == 400
        assert "is not allowed" in response.text
    assert listener.received == []


def test_a_json_ld_remote_context_is_not_fetched(service: str, listener: Listener) -> None:
    document = f'{{"@context": "{listener.url}", "@id": "urn:a", "name": "x"}}'
    response = httpx.put(
        f"{service}/store", params={"graph": "https://w3id.org/ndkg/graph/contributed/x"},
        content=document, headers={**AUTH, "Content-Type": "application/ld+json"}, timeout=30,
    )
    assert response.status_code == 400
    assert listener.received == []
