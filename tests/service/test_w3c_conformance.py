"""The W3C SPARQL 1.1 tests of the protocol, the service description and the result formats,
run against the live endpoint.

Every test of the manifests in :data:`FOLDERS` becomes one test case, named ``folder/test``;
the ones in :data:`EXCLUDED` are reported as skipped with their reason, and
:func:`test_every_manifest_test_is_run_or_excluded` checks that nothing else is left out.

- Protocol tests describe their HTTP requests in the manifest (``ht:`` vocabulary); each request
  is sent as written, with the manifest's ``/sparql/`` path mapped onto ``/sparql``, and its
  status class, result kind and boolean are checked.
- Result-format tests run their query over their data file, which the store holds in a graph
  named by the file's IRI (given as ``default-graph-uri``), and compare the answer with the
  expected file as bindings: variables as a set, rows in order when the query orders them,
  blank nodes up to a one-to-one renaming. Numeric literals compare by value, as SPARQL's ``=``
  does: Oxigraph stores numbers as values, so ``"1.0E6"^^xsd:double`` comes back as
  ``"1000000"^^xsd:double`` and ``"-3"^^xsd:negativeInteger`` as ``"-3"^^xsd:integer``. CSV
  keeps no term types, so its cells compare as text, except numbers and blank nodes.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import XSD
from rdflib.query import Result

W3C_SPARQL11 = Path(os.environ.get("NDKG_W3C_SPARQL11", "/work/shared/conformance/w3c-sparql11"))
"""The W3C SPARQL 1.1 test suite; conftest loads the data of the same manifests."""
FOLDERS = ("protocol", "service-description", "json-res", "csv-tsv-res")

EXCLUDED: dict[str, str] = {
    "protocol/update_dataset_default_graph": "SPARQL Update: the endpoint is query-only",
    "protocol/update_dataset_default_graphs": "SPARQL Update: the endpoint is query-only",
    "protocol/update_dataset_named_graphs": "SPARQL Update: the endpoint is query-only",
    "protocol/update_dataset_full": "SPARQL Update: the endpoint is query-only",
    "protocol/update_post_form": "SPARQL Update: the endpoint is query-only",
    "protocol/update_post_direct": "SPARQL Update: the endpoint is query-only",
    "protocol/update_base_uri": "SPARQL Update: the endpoint is query-only",
}
"""Tests that do not apply to a read-only query endpoint, with the reason."""

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@dataclass(frozen=True)
class W3CTest:
    """One entry of a manifest."""

    id: str
    node: URIRef
    kind: URIRef
    manifest: Graph

    @property
    def name(self) -> str:
        """The test's ``mf:name``."""
        return str(self.manifest.value(self.node, MF.name))


def manifest_tests() -> list[W3CTest]:
    """Every test of the manifests, in manifest order."""
    tests = []
    for folder in FOLDERS:
        path = W3C_SPARQL11 / folder / "manifest.ttl"
        if not path.exists():
            return []  # conftest skips the session with the reason
        manifest = Graph().parse(path, format="turtle")
        entries = manifest.value(predicate=RDF.type, object=MF.Manifest)
        for node in Collection(manifest, manifest.value(entries, MF.entries)):
            assert isinstance(node, URIRef)
            kind = manifest.value(node, RDF.type)
            assert isinstance(kind, URIRef)
            tests.append(W3CTest(f"{folder}/{node.fragment}", node, kind, manifest))
    return tests


TESTS = manifest_tests()


def test_every_manifest_test_is_run_or_excluded() -> None:
    """No manifest test is silently left out, and every exclusion names a real test."""
    ids = {test.id for test in TESTS}
    assert len(ids) == len(TESTS) == 47
    assert set(EXCLUDED) <= ids
    for test in TESTS:
        assert test.id in EXCLUDED or test.kind in RUNNERS, f"{test.id}: no runner for {test.kind}"


@pytest.mark.parametrize(
    "test",
    [
        pytest.param(t, id=t.id, marks=[pytest.mark.skip(reason=EXCLUDED[t.id])])
        if t.id in EXCLUDED
        else pytest.param(t, id=t.id)
        for t in TESTS
    ],
)
def test_w3c(test: W3CTest, client: httpx.Client, endpoint: str) -> None:
    """Run one W3C test."""
    RUNNERS[test.kind](test, client, endpoint)


# --- Protocol tests ---------------------------------------------------------------------------


def run_protocol_test(test: W3CTest, client: httpx.Client, endpoint: str) -> None:
    """Send each request of the test as the manifest writes it and check each response."""
    m = test.manifest
    action = m.value(test.node, MF.action)
    for request in Collection(m, m.value(action, HT.requests)):
        path = str(m.value(request, HT.absolutePath))
        assert path.startswith("/sparql/")
        headers = {
            str(m.value(header, HT.fieldName)): str(m.value(header, HT.fieldValue))
            for header in Collection(m, m.value(request, HT.headers) or RDF.nil)
        }
        body = m.value(request, HT.body)
        content = None
        if body is not None:
            encoding = str(m.value(body, CNT.characterEncoding))
            content = str(m.value(body, CNT.chars)).encode(encoding)
        response = client.request(
            str(m.value(request, HT.methodName)),
            "/sparql" + path.removeprefix("/sparql/"),
            headers=headers,
            content=content,
        )
        check_protocol_response(m, m.value(request, HT.resp), response)


def check_protocol_response(m: Graph, expected: Any, response: httpx.Response) -> None:
    """Check a response against an ``ht:Response`` of the manifest."""
    status_classes = {str(s).removeprefix(str(HTS)) for s in m.objects(expected, MF.expectedStatus)}
    assert f"StatusCode{response.status_code // 100}xx" in status_classes, (
        f"{response.status_code} not in {status_classes}: {response.text}"
    )
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    expected_format = m.value(expected, MF.expectedFormat)
    if expected_format is not None:
        if str(expected_format) == "RDF":
            assert media_type in RDF_TYPES
            Graph().parse(data=response.content, format=RDF_TYPES[media_type])
        else:
            kinds = {"boolean": ("json", "xml"), "tabular": tuple(RESULT_TYPES.values())}
            assert RESULT_TYPES.get(media_type) in kinds[str(expected_format)], media_type
            result = Result.parse(io.BytesIO(response.content), format=RESULT_TYPES[media_type])
            assert result.type == ("ASK" if str(expected_format) == "boolean" else "SELECT")
    expected_boolean = m.value(expected, MF.expectedBoolean)
    if expected_boolean is not None:
        result = Result.parse(io.BytesIO(response.content), format=RESULT_TYPES[media_type])
        assert result.askAnswer is expected_boolean.toPython()


# --- Service description tests ------------------------------------------------------------------


def service_description(client: httpx.Client) -> tuple[httpx.Response, Graph]:
    """GET the endpoint without a query and parse the answer."""
    response = client.get("/sparql")
    assert response.status_code == 200
    media_type = response.headers["content-type"].split(";")[0]
    assert media_type in RDF_TYPES
    return response, Graph().parse(data=response.content, format=RDF_TYPES[media_type])


def returns_rdf(client: httpx.Client, endpoint: str) -> None:
    """GET on the endpoint returns RDF."""
    _, graph = service_description(client)
    assert len(graph) > 0


def has_endpoint_triple(client: httpx.Client, endpoint: str) -> None:
    """The description has an ``sd:endpoint`` triple naming the URL that was requested."""
    _, graph = service_description(client)
    services = set(graph.subjects(SD.endpoint, URIRef(endpoint)))
    assert services
    assert all((service, RDF.type, SD.Service) in graph for service in services)


# Domains and ranges of the SPARQL 1.1 Service Description vocabulary, as its specification
# (https://www.w3.org/TR/sparql11-service-description/) defines them; the description must
# state the class of each node it uses (no inference).
SD_SCHEMA: Mapping[URIRef, tuple[URIRef | None, URIRef | None]] = {
    SD.endpoint: (SD.Service, None),
    SD.supportedLanguage: (SD.Service, SD.Language),
    SD.feature: (SD.Service, SD.Feature),
    SD.resultFormat: (SD.Service, None),
    SD.inputFormat: (SD.Service, None),
    SD.defaultDataset: (SD.Service, SD.Dataset),
    SD.availableGraphs: (SD.Service, SD.GraphCollection),
    SD.defaultGraph: (SD.Dataset, SD.Graph),
    SD.namedGraph: (SD.GraphCollection, SD.NamedGraph),
    SD.name: (SD.NamedGraph, None),
    SD.graph: (SD.NamedGraph, SD.Graph),
}
SD_INSTANCES = {
    SD.Language: {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update},
    SD.Feature: {
        SD.DereferencesURIs,
        SD.UnionDefaultGraph,
        SD.RequiresDataset,
        SD.EmptyGraphs,
        SD.BasicFederatedQuery,
    },
}
SD_SUBCLASSES = {SD.Dataset: SD.GraphCollection}


def conforms_to_schema(client: httpx.Client, endpoint: str) -> None:
    """Every ``sd:`` term used exists, with its domain and range respected."""
    _, graph = service_description(client)

    def is_a(node: Any, cls: URIRef) -> bool:
        if node in SD_INSTANCES.get(cls, ()):
            return True
        return any((node, RDF.type, c) in graph for c in (cls, *_subclasses(cls)))

    used = {p for p in graph.predicates() if str(p).startswith(str(SD))}
    assert used <= set(SD_SCHEMA), used - set(SD_SCHEMA)
    for predicate in used:
        domain, range_ = SD_SCHEMA[predicate]
        for subject, value in graph.subject_objects(predicate):
            assert domain is None or is_a(subject, domain), (subject, predicate)
            assert range_ is None or is_a(value, range_), (predicate, value)
    for value in graph.objects(None, SD.resultFormat):
        assert isinstance(value, URIRef) and value.startswith(str(FORMATS)), value
    for value in graph.objects(None, SD.name):
        assert isinstance(value, URIRef), value
    assert (None, SD.endpoint, URIRef(endpoint)) in graph


def _subclasses(cls: URIRef) -> list[URIRef]:
    return [sub for sub, sup in SD_SUBCLASSES.items() if sup == cls]


SERVICE_DESCRIPTION_CHECKS: dict[str, Callable[[httpx.Client, str], None]] = {
    "returns-rdf": returns_rdf,
    "has-endpoint-triple": has_endpoint_triple,
    "conforms-to-schema": conforms_to_schema,
}


def run_service_description_test(test: W3CTest, client: httpx.Client, endpoint: str) -> None:
    """Run the check that implements the test's prose."""
    SERVICE_DESCRIPTION_CHECKS[str(test.node.fragment)](client, endpoint)


# --- Result format tests ----------------------------------------------------------------------

Row = dict[str, Hashable]


def run_result_format_test(test: W3CTest, client: httpx.Client, endpoint: str) -> None:
    """Run the test's query over its data and compare the answer with the expected file."""
    m = test.manifest
    action = m.value(test.node, MF.action)
    query_file, data, expected_file = (
        local_path(m.value(action, QT.query)),
        m.value(action, QT.data),
        local_path(m.value(test.node, MF.result)),
    )
    query = query_file.read_text()
    reader = READERS[expected_file.suffix]
    response = client.get(
        "/sparql",
        params={"query": query, "default-graph-uri": str(data)},
        headers={"Accept": reader.media_type},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == reader.media_type
    expected, actual = reader.read(expected_file.read_bytes()), reader.read(response.content)
    if isinstance(expected, bool):
        assert actual is expected
        return
    assert isinstance(actual, tuple)
    assert set(actual[0]) == set(expected[0]), "variables differ"
    ordered = re.search(r"\bORDER\s+BY\b", query, re.IGNORECASE) is not None
    assert same_rows(actual[1], expected[1], ordered=ordered), (actual[1], expected[1])


def local_path(iri: object) -> Path:
    """The file an IRI of the manifest points to."""
    assert isinstance(iri, URIRef) and iri.startswith("file://"), iri
    return Path(iri.removeprefix("file://"))


@dataclass(frozen=True)
class ResultsReader:
    """Reads a results file into comparable rows (or a boolean)."""

    media_type: str
    read: Callable[[bytes], bool | tuple[list[str], list[Row]]]


_NUMERIC = {
    XSD[name]
    for name in (
        "integer", "decimal", "double", "float", "nonPositiveInteger", "negativeInteger", "long",
        "int", "short", "byte", "nonNegativeInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte", "positiveInteger",
    )
}  # fmt: skip
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def term_key(term: Any) -> Hashable:
    """A term as a comparable value: numbers by value, blank nodes by label."""
    if isinstance(term, BNode):
        return ("bnode", str(term))
    if isinstance(term, URIRef):
        return ("iri", str(term))
    assert isinstance(term, Literal), term
    if term.datatype in _NUMERIC:
        return ("number", Decimal(str(term)))
    datatype = term.datatype or (None if term.language else XSD.string)
    return ("literal", str(term), datatype, term.language)


def read_rdflib_results(fmt: str) -> Callable[[bytes], bool | tuple[list[str], list[Row]]]:
    """A reader using rdflib's parser of the format ``fmt``."""

    def read(data: bytes) -> bool | tuple[list[str], list[Row]]:
        result = Result.parse(io.BytesIO(data), format=fmt)
        if result.type == "ASK":
            return bool(result.askAnswer)
        names = [str(v) for v in result.vars or []]
        rows = [
            {str(var): term_key(term) for var, term in binding.items() if term is not None}
            for binding in result.bindings
        ]
        return names, rows

    return read


def read_csv(data: bytes) -> tuple[list[str], list[Row]]:
    """Read SPARQL CSV results: cells are text, with blank nodes and numbers recognised."""
    header, *lines = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return header, [
        {name: csv_cell_key(cell) for name, cell in zip(header, line, strict=True) if cell}
        for line in lines
    ]


def csv_cell_key(cell: str) -> Hashable:
    """A CSV cell as a comparable value."""
    if cell.startswith("_:"):
        return ("bnode", cell[2:])
    if _NUMBER.fullmatch(cell):
        try:
            return ("number", Decimal(cell))
        except InvalidOperation:
            pass
    return ("text", cell)


READERS = {
    ".srj": ResultsReader("application/sparql-results+json", read_rdflib_results("json")),
    ".srx": ResultsReader("application/sparql-results+xml", read_rdflib_results("xml")),
    ".tsv": ResultsReader("text/tab-separated-values", read_rdflib_results("tsv")),
    ".csv": ResultsReader("text/csv", read_csv),
}


def same_rows(actual: Sequence[Row], expected: Sequence[Row], *, ordered: bool) -> bool:
    """Whether the rows are equal up to a one-to-one renaming of blank nodes."""
    if len(actual) != len(expected):
        return False
    labels = sorted({key for row in actual for key in row.values() if _is_bnode(key)}, key=str)
    targets = sorted({key for row in expected for key in row.values() if _is_bnode(key)}, key=str)
    if len(labels) != len(targets):
        return False
    for permutation in itertools.permutations(targets):
        renaming = dict(zip(labels, permutation, strict=True))
        renamed = [{var: renaming.get(key, key) for var, key in row.items()} for row in actual]
        if ordered and renamed == list(expected):
            return True
        if not ordered and _multiset(renamed) == _multiset(expected):
            return True
    return False


def _is_bnode(key: Hashable) -> bool:
    return isinstance(key, tuple) and key[0] == "bnode"


def _multiset(rows: Sequence[Row]) -> list[str]:
    return sorted(repr(sorted(row.items(), key=str)) for row in rows)


RUNNERS: dict[URIRef, Callable[[W3CTest, httpx.Client, str], None]] = {
    MF.ProtocolTest: run_protocol_test,
    MF.ServiceDescriptionTest: run_service_description_test,
    MF.QueryEvaluationTest: run_result_format_test,
    MF.CSVResultFormatTest: run_result_format_test,
}
