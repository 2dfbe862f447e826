"""The checks made on SPARQL text before an engine reads it."""

from __future__ import annotations

import time

import pytest

from ndkg.errors import OutboundRequestError, TooDeepError
from ndkg.querying.guard import check_depth, check_outbound, nesting_depth, outbound
from ndkg.vocab import PREFIXES


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("SELECT * { ?s ?p ?o }", 1),
        ("ASK { FILTER(((true))) }", 4),
        ("SELECT * { ?s ?p '(((' . ?s ?q \"[[[\" }", 1),
        ("SELECT * { ?s ?p '''\n((((\n''' }", 1),
        ("SELECT * { ?s ?p ?o } # {{{{{{", 1),
        ("SELECT * { ?s ?p <http://example.org/a#(((> }", 4),
        ("ASK { FILTER(1<((((1>0)))) }", 6),
        ("SELECT * { ?s ?p [ ?q [ ?r ?o ] ] }", 3),
        ("))))) ASK { FILTER((true)) }", 3),
        ("ASK { FILTER('unterminated ((((\n(true)) }", 3),
    ],
)
def test_nesting_depth(text: str, depth: int) -> None:
    assert nesting_depth(text) == depth


@pytest.mark.parametrize(
    "text",
    ['"\\' * 50_000, "'''" + "a" * 100_000, "<a" * 50_000, "'" * 100_000,
     '"' + '\\"' * 50_000, "#<" * 50_000, "(" * 100_000],
)
def test_the_depth_scan_takes_linear_time(text: str) -> None:
    began = time.perf_counter()
    nesting_depth(text)
    assert time.perf_counter() - began < 0.5


def test_check_depth_names_the_limit() -> None:
    check_depth("ASK { FILTER((true)) }", limit=3)
    with pytest.raises(TooDeepError, match=r"6 levels deep; the limit is 5 \(NDKG_MAX_QUERY"):
        check_depth("ASK { FILTER(((((true))))) }", limit=5)


ENDPOINT = "http://127.0.0.1:9/sparql"


@pytest.mark.parametrize(
    ("text", "services"),
    [
        (f"SELECT * {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}", {ENDPOINT}),
        ("PREFIX e: <http://127.0.0.1:9/> SELECT * { SERVICE SILENT e:sparql {} }", {ENDPOINT}),
        ("BASE <http://127.0.0.1:9/> SELECT * { SERVICE <sparql> {} }", {ENDPOINT}),
        (f"SELECT * {{ \\u0053ERVICE <{ENDPOINT}> {{}} }}", {ENDPOINT}),
        ("SELECT * { ?s ?p 'customer service' }", set()),
        ("SELECT ?service { ?service a <http://www.w3.org/ns/sparql-service-description#Service> }",
         set()),
    ],
)
def test_outbound_finds_every_service_iri(text: str, services: set[str]) -> None:
    assert outbound(text, prefixes=PREFIXES).services == services


def test_relative_service_iris_resolve_against_the_base() -> None:
    found = outbound("SELECT * { SERVICE <other> {} }", base_iri="http://127.0.0.1:8000/sparql")
    assert found.services == {"http://127.0.0.1:8000/other"}


def test_load_iris_are_found_in_updates() -> None:
    found = outbound(f"INSERT DATA {{ <urn:a> <urn:b> 'c' }} ; LOAD <{ENDPOINT}>", update=True)
    assert found.loads == {ENDPOINT}


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * {{ SERVICE <{ENDPOINT}> {{}} }}",
        "SELECT * { VALUES ?e { <http://127.0.0.1:9/sparql> } SERVICE ?e {} }",
        "SELECT * { SERVICE <http://127.0.0.1:9/sparql> ",  # unreadable: refused all the same
    ],
)
def test_check_outbound_refuses_what_is_not_allowed(text: str) -> None:
    with pytest.raises(OutboundRequestError):
        check_outbound(text, allowlist=())


def test_check_outbound_lets_allowed_endpoints_through() -> None:
    check_outbound(f"SELECT * {{ SERVICE <{ENDPOINT}> {{}} }}", allowlist=[ENDPOINT])
    with pytest.raises(OutboundRequestError, match=r"LOAD <http://elsewhere\.example/x>"):
        check_outbound("LOAD <http://elsewhere.example/x>", allowlist=[ENDPOINT], update=True)
