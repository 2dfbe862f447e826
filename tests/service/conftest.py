"""A built graph in a temporary folder, and the real service running on it on loopback.

The store holds a small sample of ndkg's own graphs (see :data:`SAMPLE`) and the data of the
W3C SPARQL 1.1 tests: the protocol tests' graphs under the names their manifest gives, and each
result-format test's data file in a graph named by the file's IRI.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import uvicorn
from fastapi import FastAPI
from rdflib import RDFS, Graph, Namespace, URIRef

from ndkg.build import BuildResult
from ndkg.service import ServiceSettings, create_app
from ndkg.storage.store import BUILD_INFO, CURRENT, STORE_DIR, EmbeddedStore
from ndkg.vocab import Graphs

W3C_SPARQL11 = Path(os.environ.get("NDKG_W3C_SPARQL11", "/work/shared/conformance/w3c-sparql11"))
"""The W3C SPARQL 1.1 test suite, whose data the store holds (test_w3c_conformance runs it)."""

VERSION = "2026-01-15"

QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

SAMPLE = {
    Graphs.ASSERTED: """
        @prefix obo: <http://purl.obolibrary.org/obo/> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix NDKG: <https://w3id.org/ndkg/NDKG_> .
        NDKG:0000010 a owl:Class ; rdfs:label "galactorrhoea"@en .
        NDKG:0000011 a owl:Class ; rdfs:label "intraductal papilloma"@en .
        NDKG:0000012 a owl:Class ; rdfs:label "hyperprolactinaemia"@en .
        NDKG:0000011 obo:RO_0003303 NDKG:0000013 .
    """,
    Graphs.INFERRED: """
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix NDKG: <https://w3id.org/ndkg/NDKG_> .
        NDKG:0000010 rdfs:subClassOf NDKG:0000020 .
    """,
    Graphs.METADATA: """
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        <https://w3id.org/ndkg/ndkg.owl> a owl:Ontology ; owl:versionInfo "2026-01-15" .
    """,
}
"""A few triples in ndkg's named graphs, enough to tell the graphs apart in queries."""


def w3c_graphs() -> dict[str, Path]:
    """The W3C test data the store holds: graph IRI -> data file."""
    graphs: dict[str, Path] = {}
    for folder in ("protocol", "json-res", "csv-tsv-res"):
        manifest = Graph().parse(W3C_SPARQL11 / folder / "manifest.ttl", format="turtle")
        for data in manifest.objects(None, UT.graphData):
            graphs[str(manifest.value(data, RDFS.label))] = _local(manifest.value(data, UT.graph))
        for data in manifest.objects(None, QT.data):
            graphs[str(data)] = _local(data)
    return graphs


def _local(iri: object) -> Path:
    assert isinstance(iri, URIRef) and iri.startswith("file://"), iri
    return Path(iri.removeprefix("file://"))


def write_build(home: Path) -> None:
    """Write a finished build into ``home``: ``builds/<version>/{store,build.json}`` and
    ``current`` linking to it, as ``ndkg build`` lays them out."""
    build = home / "builds" / VERSION
    build.mkdir(parents=True)
    store = ox.Store(str(build / STORE_DIR))
    for graph, turtle in SAMPLE.items():
        store.load(turtle, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    for graph, path in w3c_graphs().items():
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        store.load(path=path, format=fmt, to_graph=ox.NamedNode(graph), base_iri=path.as_uri())
    store.flush()
    triples = {
        graph.value: sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        for graph in store.named_graphs()
    }
    del store  # closes it: the service opens it read-only
    info = {"version": VERSION, "triples": triples}
    (build / BUILD_INFO).write_text(json.dumps(info, indent=2))
    (home / CURRENT).symlink_to(build.relative_to(home), target_is_directory=True)


@contextmanager
def running(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while True:
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the server at {url} did not start")
        time.sleep(0.05)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@pytest.fixture(scope="session")
def build_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a finished build."""
    if not (W3C_SPARQL11 / "manifest-all.ttl").exists():
        pytest.skip(f"W3C SPARQL 1.1 tests not found in {W3C_SPARQL11} (set NDKG_W3C_SPARQL11)")
    home = tmp_path_factory.mktemp("home")
    write_build(home)
    return home


@pytest.fixture(scope="session")
def version(build_home: Path) -> str:
    """The version of the build."""
    return str(json.loads((build_home / CURRENT / BUILD_INFO).read_text())["version"])


@pytest.fixture(scope="session")
def serve() -> Callable[[FastAPI], AbstractContextManager[str]]:
    """:func:`running`, for tests that need a service of their own."""
    return running


@pytest.fixture(scope="session")
def base_url(build_home: Path) -> Iterator[str]:
    """The base URL of the service, running on the build in ``build_home``."""
    with running(create_app(ServiceSettings(home=build_home))) as url:
        yield url


@pytest.fixture(scope="session")
def endpoint(base_url: str) -> str:
    """The URL of the SPARQL endpoint."""
    return f"{base_url}/sparql"


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    """An HTTP client for the running service."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        yield http


@pytest.fixture(scope="session")
def service(
    serve: Callable[[FastAPI], AbstractContextManager[str]],
    built: BuildResult,
    store: EmbeddedStore,
) -> Iterator[str]:
    """The base URL of the service running on the real build of the project."""
    with serve(create_app(ServiceSettings(home=built.path.parent.parent), store=store)) as url:
        yield url


@pytest.fixture
def http(service: str) -> Iterator[httpx.Client]:
    """A client for the service running on the real build."""
    with httpx.Client(base_url=service, timeout=30) as client:
        yield client
