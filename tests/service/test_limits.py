"""Bounded work, tried for real on a live server over the real graph: a time limit that stops
the query, workers that keep other clients served, a crash that costs one worker, and limits on
nesting, bodies, query text and rows."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from ndkg.build import BuildResult
from ndkg.service import ServiceSettings, create_app

from .support import (
    SLOW,
    SPARQL_QUERY,
    ask,
    copy_build,
    nested,
    run_in_background,
)

Serve = Callable[[FastAPI], AbstractContextManager[str]]


@pytest.fixture(scope="module")
def limited(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, serve: Serve
) -> Iterator[str]:
    """A service on the real graph with tight limits: 1 s per query, two workers for long queries
    (both may be one client's) and one for quick ones, no queue."""
    settings = ServiceSettings(
        home=copy_build(built, tmp_path_factory.mktemp("limited")),
        query_timeout=1,
        query_workers=2,
        client_long_queries=2,
        query_queue=0,
        max_result_rows=5,
        max_body_bytes=64 * 1024,
        max_query_length=20_000,
    )
    with serve(create_app(settings)) as url:
        yield url


def wait_until_both_workers_serve(url: str) -> None:
    """Wait until the three workers are running and idle (killed workers are replaced)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        workers = httpx.get(f"{url}/readyz").json()["workers"]
        if workers == {"size": 3, "running": 3, "idle": 3, "long": 0}:
            return
        time.sleep(0.1)
    raise AssertionError(f"the workers were not replaced: {workers}")


def test_a_slow_query_is_stopped_at_the_time_limit_while_a_cheap_one_is_answered(
    limited: str, record_property: Callable[[str, object], None]
) -> None:
    wait_until_both_workers_serve(limited)
    thread, slow = run_in_background(limited, SLOW)
    time.sleep(0.3)
    began = time.monotonic()
    cheap = ask(limited, "SELECT ?label WHERE { NDKG:0000224 rdfs:label ?label }")
    waited = time.monotonic() - began
    thread.join()
    record_property("cheap_query_seconds", round(waited, 3))
    record_property("slow_query_seconds", round(float(slow["seconds"]), 3))  # type: ignore[arg-type]

    assert cheap.status_code == 200
    assert cheap.json()["results"]["bindings"][0]["label"]["value"] == "intraductal papilloma"
    assert waited < 0.5
    response = slow["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert response.text == (
        "The request ran longer than the time limit of 1 s (NDKG_QUERY_TIMEOUT) and was "
        "stopped.\n"
    )
    assert 1 <= float(slow["seconds"]) < 4  # type: ignore[arg-type]
    wait_until_both_workers_serve(limited)


@pytest.fixture(scope="module")
def lanes(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, serve: Serve
) -> Iterator[str]:
    """A service whose long lane (two workers, both may be one client's) stays full for 5 s."""
    settings = ServiceSettings(
        home=copy_build(built, tmp_path_factory.mktemp("lanes")),
        query_timeout=5, query_workers=2, client_long_queries=2, query_queue=0,
    )
    with serve(create_app(settings)) as url:
        yield url


def test_when_the_long_lane_is_full_a_long_query_is_stopped_and_a_cheap_one_answered(
    lanes: str,
) -> None:
    limited = lanes
    wait_until_both_workers_serve(limited)
    running = [run_in_background(limited, SLOW) for _ in range(2)]
    wait_until_long_queries(limited, 2)
    began = time.monotonic()
    stopped = ask(limited, SLOW.replace("?i", "?j"))  # not the answer of a repeated query
    stopped_after = time.monotonic() - began
    cheap = ask(limited, "ASK { ?s rdfs:label ?label }")
    for thread, _ in running:
        thread.join()
    assert stopped.status_code == 503
    assert stopped.headers["retry-after"] == "1"
    assert stopped.text == (
        "2 long queries are running already (NDKG_QUERY_WORKERS), or 2 of yours "
        "(NDKG_CLIENT_LONG_QUERIES): this one was stopped after 0.5 s (NDKG_QUICK_SECONDS). "
        "Try again shortly.\n"
    )
    assert 0.5 <= stopped_after < 3
    assert cheap.status_code == 200 and cheap.json()["boolean"] is True
    assert all(outcome["response"].status_code == 503 for _, outcome in running)  # type: ignore[union-attr]
    wait_until_both_workers_serve(limited)


def wait_until_long_queries(url: str, long: int) -> None:
    """Wait until ``long`` queries have run past the quick lane's time."""
    deadline = time.monotonic() + 10
    while httpx.get(f"{url}/readyz").json()["workers"]["long"] != long:
        assert time.monotonic() < deadline, f"never {long} long queries"
        time.sleep(0.02)


def test_a_query_nested_too_deep_is_refused_before_the_engine(limited: str) -> None:
    hostile = nested(5000)
    assert 10_000 < len(hostile) < 11_000
    response = ask(limited, hostile)
    assert response.status_code == 400
    assert response.text == (
        "The query nests brackets 5002 levels deep; the limit is 200 (NDKG_MAX_QUERY_DEPTH).\n"
    )
    assert ask(limited, nested(150)).json()["boolean"] is True
    wait_until_both_workers_serve(limited)


def test_a_query_that_crashes_the_engine_costs_one_worker(
    built: BuildResult, tmp_path: Path, serve: Serve
) -> None:
    settings = ServiceSettings(
        home=copy_build(built, tmp_path), max_query_depth=100_000, query_timeout=20
    )
    with serve(create_app(settings)) as url:
        crashed = ask(url, nested(5000))
        after = ask(url)
        wait_until_both_workers_serve(url)
    assert crashed.status_code == 500
    assert crashed.text == (
        "The query engine stopped while working on this request; it has been restarted.\n"
    )
    assert after.status_code == 200


def test_a_body_larger_than_the_limit_is_413(limited: str) -> None:
    response = httpx.post(
        f"{limited}/sparql", data={"query": "ASK {}", "pad": "x" * 70_000}, timeout=30
    )
    assert response.status_code == 413
    assert response.text == (
        "The request body is larger than the limit of 65536 bytes (NDKG_MAX_BODY_BYTES).\n"
    )


def test_a_query_longer_than_the_limit_is_413(limited: str) -> None:
    query = "ASK {}" + " " * 25_000
    response = ask(limited, query)
    assert response.status_code == 413
    assert response.text == (
        f"The query has {len(query)} characters; the limit is 20000 (NDKG_MAX_QUERY_LENGTH).\n"
    )


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv"])
def test_results_are_cut_at_the_row_limit_and_say_so(limited: str, accept: str) -> None:
    headers = {**SPARQL_QUERY, "Accept": accept}
    with httpx.Client(base_url=limited, headers=headers, timeout=30) as client:
        cut = client.post("/sparql", content="SELECT * { ?s ?p ?o }")
        whole = client.post("/sparql", content="SELECT * { ?s ?p ?o } LIMIT 5")
    assert cut.headers["x-ndkg-truncated"] == "5"
    assert "x-ndkg-truncated" not in whole.headers
    if accept == "text/csv":
        assert len(cut.text.splitlines()) == len(whole.text.splitlines()) == 6
    else:
        assert len(cut.json()["results"]["bindings"]) == 5


def test_graph_results_are_cut_at_the_row_limit(limited: str) -> None:
    headers = {**SPARQL_QUERY, "Accept": "application/n-triples"}
    response = httpx.post(
        f"{limited}/sparql", content="CONSTRUCT WHERE { ?s ?p ?o }", headers=headers, timeout=30
    )
    assert response.headers["x-ndkg-truncated"] == "5"
    assert len(response.text.splitlines()) == 5
