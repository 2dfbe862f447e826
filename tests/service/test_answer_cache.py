"""Answers kept for repeated requests, on a live server with one query worker: a repeated query
is answered even while that worker is busy, an answer never outlives the store it was read
from, and queries whose answer changes from run to run are always run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import httpx
import pytest
from fastapi import FastAPI

from ndkg.build import BuildResult
from ndkg.service import ServiceSettings, create_app

from .support import AUTH, SLOW, TOKEN, ask, copy_build, run_in_background, wait_until_idle_workers

Serve = Callable[[FastAPI], AbstractContextManager[str]]
LABEL = "SELECT ?label WHERE { NDKG:0000224 rdfs:label ?label }"
SYNONYMS = "SELECT ?synonym WHERE { NDKG:0000224 oboInOwl:hasExactSynonym ?synonym }"
STATISTICS = "/questions/statistics?about=NDKG:0000300"


def one_worker_service(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, serve: Serve, cache_bytes: int
) -> Iterator[tuple[str, FastAPI]]:
    settings = ServiceSettings(
        home=copy_build(built, tmp_path_factory.mktemp("cache")),
        query_timeout=3, query_workers=1, query_queue=0, write_token=TOKEN,
        answer_cache_bytes=cache_bytes,
    )
    app = create_app(settings)
    with serve(app) as url:
        yield url, app


@pytest.fixture(scope="module")
def cached(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, serve: Serve
) -> Iterator[tuple[str, FastAPI]]:
    """A service with the default answer cache, one worker and no queue."""
    yield from one_worker_service(built, tmp_path_factory, serve, 64 * 2**20)


@pytest.fixture(scope="module")
def uncached(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, serve: Serve
) -> Iterator[tuple[str, FastAPI]]:
    """The same service with ``NDKG_ANSWER_CACHE_BYTES=0``."""
    yield from one_worker_service(built, tmp_path_factory, serve, 0)


def while_the_worker_is_busy(url: str, *queries: str) -> list[httpx.Response]:
    """Ask ``queries`` while slow queries hold both workers (the one for long queries and the
    one kept for quick ones: sent with the write token, they are not held to the lanes)."""
    threads = [run_in_background(url, text, AUTH)[0] for text in (SLOW, SLOW + " LIMIT 2")]
    wait_until_idle_workers(url, 0)
    try:
        return [ask(url, query) for query in queries]
    finally:
        for thread in threads:
            thread.join()
        wait_until_idle_workers(url, 2)


def test_a_repeated_query_is_answered_while_every_worker_is_busy(
    cached: tuple[str, FastAPI],
) -> None:
    url, _ = cached
    first = ask(url, LABEL)
    again, new = while_the_worker_is_busy(url, LABEL, LABEL + " LIMIT 1")
    assert first.status_code == 200
    assert (again.status_code, again.content) == (200, first.content)
    assert again.json()["results"]["bindings"] == [
        {"label": {"type": "literal", "value": "intraductal papilloma"}}
    ]
    assert new.status_code == 503


def test_without_the_cache_every_query_needs_a_worker(uncached: tuple[str, FastAPI]) -> None:
    url, _ = uncached
    assert ask(url, LABEL).status_code == 200
    (again,) = while_the_worker_is_busy(url, LABEL)
    assert again.status_code == 503


def test_a_query_whose_answer_changes_from_run_to_run_is_run_each_time(
    cached: tuple[str, FastAPI],
) -> None:
    url, _ = cached
    query = "SELECT (STRUUID() AS ?id) WHERE {}"
    ids = {ask(url, query).json()["results"]["bindings"][0]["id"]["value"] for _ in range(3)}
    (busy,) = while_the_worker_is_busy(url, query)
    assert len(ids) == 3
    assert busy.status_code == 503


def test_a_write_is_seen_by_the_next_identical_query(cached: tuple[str, FastAPI]) -> None:
    url, _ = cached
    before = {r["synonym"]["value"] for r in ask(url, SYNONYMS).json()["results"]["bindings"]}
    update = httpx.post(
        f"{url}/update", headers={**AUTH, "Content-Type": "application/sparql-update"},
        content="INSERT DATA { NDKG:0000224 oboInOwl:hasExactSynonym 'papilloma of a duct' }",
        timeout=60,
    )
    after = {r["synonym"]["value"] for r in ask(url, SYNONYMS).json()["results"]["bindings"]}
    assert update.status_code == 204
    assert "papilloma of a duct" not in before
    assert after == before | {"papilloma of a duct"}


@pytest.mark.parametrize(("accept", "runs"), [
    ("application/sparql-results+json", 1),  # the audience does not change SPARQL results
    ("application/json", 2),  # but it changes the labels of the answer for people
])
def test_a_repeated_named_question_is_run_once_per_answer(
    cached: tuple[str, FastAPI], monkeypatch: pytest.MonkeyPatch, accept: str, runs: int
) -> None:
    url, app = cached
    questions = app.state.answering.questions()
    statistics = f"# {questions.get('statistics').summary}\n"
    ran: list[str] = []
    query = questions.store.query

    def counting(sparql: str, **kwargs: object) -> object:
        ran.append(sparql)
        return query(sparql, **kwargs)

    monkeypatch.setattr(questions.store, "query", counting)
    answers = [
        httpx.get(f"{url}{STATISTICS}{audience}", headers={"Accept": accept}, timeout=30)
        for audience in ("", "", "", "&audience=patient", "&audience=patient")
    ]
    assert [a.status_code for a in answers] == [200] * 5
    assert answers[0].content == answers[1].content == answers[2].content
    assert answers[3].content == answers[4].content
    assert sum(sparql.startswith(statistics) for sparql in ran) == runs


def test_the_cache_counts_the_query_text_of_each_answer(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, serve: Serve
) -> None:
    settings = ServiceSettings(
        home=copy_build(built, tmp_path_factory.mktemp("keys")), answer_cache_bytes=2**20,
    )
    app = create_app(settings)
    with serve(app) as url:
        for n in range(30):
            query = f"ASK {{ ?s ?p ?o }} # {n} " + "x" * 99_000  # a 99 KB text, a 75-byte answer
            assert ask(url, query).status_code == 200
    answers = app.state.engine.answers
    assert 9 <= len(answers) <= 10  # 1 MiB holds ten such entries, not thirty
    assert 9 * 99_000 < answers.used <= 2**20
