"""``ndkg serve --workers 2``: two server processes share the read-only store and answer as one
process does."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from ndkg.build import BuildResult
from ndkg.questions import Questions
from tests.serving import children, home_of, ndkg_serve

QUESTION = "causes-by-features"
PARAMS = {"laterality": "unilateral", "character": "bloody"}


def rows(document: dict[str, object]) -> set[frozenset[tuple[str, str]]]:
    """The rows of a SPARQL JSON result, as a set of (variable, value) sets."""
    bindings = document["results"]["bindings"]  # type: ignore[index]
    return {frozenset((name, term["value"]) for name, term in row.items()) for row in bindings}


def test_two_workers_answer_as_one_process(built: BuildResult, questions: Questions) -> None:
    answer = questions.answer(QUESTION, PARAMS)
    expected = {frozenset(row.items()) for row in answer.rows}
    assert expected
    with ndkg_serve(home_of(built), "--workers", "2", env={"NDKG_QUERY_WORKERS": "1"}) as (
        url, process,
    ), httpx.Client(base_url=url, timeout=60) as client:

        def ask(_: int) -> httpx.Response:
            return client.get(
                f"/questions/{QUESTION}", params=PARAMS,
                headers={"Accept": "application/sparql-results+json"},
            )

        with ThreadPoolExecutor(8) as pool:
            responses = list(pool.map(ask, range(24)))
        workers = _server_workers(process.pid)
    assert len(workers) == 2, [_cmdline(pid) for pid in children(process.pid)]
    assert {response.status_code for response in responses} == {200}
    assert {response.headers["X-NDKG-Version"] for response in responses} == {"2026-01-01"}
    for response in responses:
        assert rows(response.json()) == expected


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _server_workers(pid: int) -> list[int]:
    """uvicorn's worker processes under its supervisor ``pid`` (started by multiprocessing)."""
    return [child for child in children(pid) if b"spawn_main" in _cmdline(child)]
