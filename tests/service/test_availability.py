"""Availability under hostile and heavy use, on live servers over the real graph: a memory
limit that stops the work, workers that die while idle, a supervisor killed with ``kill -9``,
expensive queries from two clients while a third asks cheap ones, writes whose cost does not
grow with the contributed data, and a crowd of writers that leaves queries their threads."""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from ndkg.build import BuildResult
from ndkg.service import ServiceSettings, create_app
from ndkg.storage.backup import backup, restore
from ndkg.storage.store import BUILD_INFO

from ..serving import children, free_port, ndkg_serve
from .support import AUTH, SLOW, SPARQL_QUERY, TOKEN, ask, copy_build

Serve = Callable[[FastAPI], AbstractContextManager[str]]
UPDATE = {**AUTH, "Content-Type": "application/sparql-update"}
GIB = 2**30


def ready_workers(url: str, running: int, seconds: float = 30) -> dict[str, int]:
    """Wait until ``/readyz`` says ``running`` workers run, all idle; return its counts."""
    deadline = time.monotonic() + seconds
    while True:
        response = httpx.get(f"{url}/readyz", timeout=10)
        workers = response.json().get("workers", {})
        if response.status_code == 200 and workers.get("running") == workers.get("idle") == running:
            return workers
        assert time.monotonic() < deadline, f"workers never all ready: {response.text}"
        time.sleep(0.05)


# --- Memory ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_memory(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, serve: Serve
) -> Iterator[str]:
    """A service whose query workers may each use 1 GiB of address space."""
    settings = ServiceSettings(
        home=copy_build(built, tmp_path_factory.mktemp("memory")),
        worker_memory=GIB, query_timeout=30, query_workers=1,
    )
    with serve(create_app(settings)) as url:
        yield url


def concat_chain(doublings: int) -> str:
    """A query that doubles a string ``doublings`` times: 2 ** doublings bytes at the end."""
    binds = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(doublings))
    return f'SELECT (STRLEN(?x{doublings}) AS ?n) WHERE {{ BIND("a" AS ?x0) {binds} }}'


@pytest.mark.parametrize(
    "query",
    ["SELECT ?o WHERE { ?a ?b ?c . ?d ?e ?o } ORDER BY ?o LIMIT 1", concat_chain(31)],
    ids=["sort-of-a-cartesian-product", "string-of-2-gib"],
)
def test_a_query_over_the_memory_limit_is_stopped_and_the_service_answers(
    small_memory: str, query: str
) -> None:
    ready_workers(small_memory, 2)
    response = ask(small_memory, query, timeout=60)
    assert response.status_code == 503
    assert response.text == (
        f"The request needed more memory than the limit of {GIB} bytes (NDKG_WORKER_MEMORY) "
        "and was stopped.\n"
    )
    assert ask(small_memory, "ASK { NDKG:0000224 ?p ?o }").json()["boolean"] is True
    ready_workers(small_memory, 2)


# --- Workers and server processes that die ---------------------------------------------------


def test_workers_killed_while_idle_are_replaced_before_the_next_request(
    built: BuildResult, tmp_path: Path
) -> None:
    home = copy_build(built, tmp_path)
    with ndkg_serve(home, env={"NDKG_QUERY_WORKERS": "1"}) as (url, process):
        ready_workers(url, 2)
        workers = children(process.pid)
        assert len(workers) == 3  # one for long queries, one for quick ones, the standby
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        answers = [ask(url, f"ASK {{ ?s ?p {n} }}").status_code for n in range(4)]
        counts = ready_workers(url, 2)
    assert answers == [200] * 4
    assert counts == {"size": 2, "running": 2, "idle": 2, "long": 0}


def test_after_kill_9_of_the_supervisor_a_restart_gets_the_port(
    built: BuildResult, tmp_path: Path
) -> None:
    home = copy_build(built, tmp_path)
    port = free_port()
    command = [sys.executable, "-m", "ndkg", "serve", "--out", str(home), "--port", str(port),
               "--workers", "2"]
    url = f"http://127.0.0.1:{port}"
    supervisor = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(url, supervisor)
        servers = children(supervisor.pid)
        family = {pid for server in servers for pid in children(server)} | set(servers)
        assert len(family) >= 2 + 2 * 4  # two servers (and a helper), their query workers
        supervisor.kill()
        supervisor.wait()
        deadline = time.monotonic() + 10
        while any(not _gone(pid) for pid in family):
            assert time.monotonic() < deadline, "server processes outlived their supervisor"
            time.sleep(0.05)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
    again = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(url, again)
        assert ask(url).status_code == 200
    finally:
        again.terminate()
        again.wait(30)


def wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=10).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None, f"the server stopped ({process.returncode})"
        assert time.monotonic() < deadline, "the server never got ready"
        time.sleep(0.1)


def _gone(pid: int) -> bool:
    """Whether ``pid`` has exited (a zombie waiting for its parent has)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


# --- A fair share ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """``ndkg serve`` with its defaults (two workers for long queries, one for quick ones) and
    a 3 s time limit, in a process of its own."""
    home = copy_build(built, tmp_path_factory.mktemp("shared"))
    with ndkg_serve(home, env={"NDKG_QUERY_TIMEOUT": "3"}) as (url, _):
        yield url


def test_cheap_queries_are_answered_while_two_clients_loop_expensive_ones(shared: str) -> None:
    stop = threading.Event()
    expensive: list[int] = []

    def loop(address: str) -> None:
        transport = httpx.HTTPTransport(local_address=address)
        with httpx.Client(base_url=shared, transport=transport, timeout=30) as client:
            n = 0
            while not stop.is_set():
                n += 1
                query = SLOW.replace("?i }", f"?i FILTER(?i != {n}) }}")
                expensive.append(client.post("/sparql", content=query,
                                             headers=SPARQL_QUERY).status_code)

    ready_workers(shared, 3)
    loops = [threading.Thread(target=loop, args=(a,)) for a in ("127.0.0.2", "127.0.0.3")]
    for thread in loops:
        thread.start()
    while httpx.get(f"{shared}/readyz").json()["workers"]["long"] < 2:
        time.sleep(0.02)
    cheap: list[tuple[int, float]] = []
    with httpx.Client(base_url=shared, timeout=30) as client:
        deadline = time.monotonic() + 8
        n = 0
        while time.monotonic() < deadline:
            n += 1
            began = time.monotonic()
            status = client.post(
                "/sparql", headers=SPARQL_QUERY,
                content=f"SELECT ?label WHERE {{ NDKG:0000224 rdfs:label ?label }} LIMIT {n}",
            ).status_code
            cheap.append((status, time.monotonic() - began))
    stop.set()
    for thread in loops:
        thread.join()
    answered = [seconds for status, seconds in cheap if status == 200]
    assert len(answered) >= 0.9 * len(cheap), cheap
    assert statistics.median(seconds for _, seconds in cheap) < 0.3
    assert expensive and set(expensive) <= {503}


# --- Writes ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def writable(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, serve: Serve
) -> Iterator[str]:
    settings = ServiceSettings(
        home=copy_build(built, tmp_path_factory.mktemp("writable")),
        write_token=TOKEN, query_workers=1, write_queue=4,
    )
    with serve(create_app(settings)) as url:
        yield url


def test_a_write_costs_the_same_after_a_large_contribution(writable: str) -> None:
    note = "<https://w3id.org/ndkg/contributed/note-1> rdfs:comment '" + "x" * 2_600_000 + "' ."
    with httpx.Client(base_url=writable, headers=AUTH, timeout=120) as client:
        put = client.put("/store", params={"graph": "https://w3id.org/ndkg/graph/contributed/big"},
                         content=f"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . {note}",
                         headers={"Content-Type": "text/turtle"})
        assert put.status_code == 201, put.text
        seconds = []
        for n in range(3):
            began = time.monotonic()
            response = client.post("/update", headers=UPDATE, content=(
                f"INSERT DATA {{ NDKG:0000224 oboInOwl:hasExactSynonym 'cheap write {n}' }}"))
            seconds.append(time.monotonic() - began)
            assert response.status_code == 204, response.text
    assert max(seconds) < 5, seconds


def test_a_crowd_of_writers_leaves_queries_their_threads(writable: str) -> None:
    statuses: list[int] = []

    def write(n: int) -> None:
        statuses.append(httpx.post(
            f"{writable}/update", headers=UPDATE, timeout=120,
            content=f"INSERT DATA {{ NDKG:0000224 oboInOwl:hasExactSynonym 'crowd {n}' }}",
        ).status_code)

    writers = [threading.Thread(target=write, args=(n,)) for n in range(60)]
    for thread in writers:
        thread.start()
    latencies = []
    for n in range(20):
        began = time.monotonic()
        assert ask(writable, f"ASK {{ ?s ?p {n + 100} }}").status_code == 200
        latencies.append(time.monotonic() - began)
    for thread in writers:
        thread.join()
    assert max(latencies) < 5, latencies  # not the tens of seconds of threads held by writers
    assert set(statuses) <= {204, 503}
    assert 1 <= statuses.count(204) <= 60


# --- Restores and an honest readiness ---------------------------------------------------------


def test_a_restore_while_serving_is_served_with_its_version(
    built: BuildResult, tmp_path: Path, serve: Serve
) -> None:
    other = tmp_path / "other"
    shutil.copytree(built.path, other / "builds" / "2026-02-02-b")
    (other / "current").symlink_to("builds/2026-02-02-b")
    info = other / "current" / BUILD_INFO
    info.write_text(json.dumps({**json.loads(info.read_text()), "version": "2026-02-02"}))
    backup(other, tmp_path / "backup")
    home = copy_build(built, tmp_path / "home")
    settings = ServiceSettings(home=home, write_token=TOKEN, query_workers=1)
    with serve(create_app(settings)) as url:
        assert httpx.get(f"{url}/readyz").json()["version"] == "2026-01-01"
        assert httpx.post(f"{url}/update", headers=UPDATE, timeout=60, content=(
            "INSERT DATA { NDKG:0000224 oboInOwl:hasExactSynonym 'before the restore' }"
        )).status_code == 204
        restore(tmp_path / "backup", home)
        answer = ask(url, "ASK { NDKG:0000224 oboInOwl:hasExactSynonym 'before the restore' }")
        ready = httpx.get(f"{url}/readyz")
    assert (answer.status_code, answer.json()["boolean"]) == (200, False)
    assert answer.headers["x-ndkg-version"] == "2026-02-02"
    assert (ready.status_code, ready.json()["version"]) == (200, "2026-02-02")


def test_readyz_says_unavailable_when_the_served_store_is_gone(
    built: BuildResult, tmp_path: Path, serve: Serve
) -> None:
    home = copy_build(built, tmp_path)
    settings = ServiceSettings(home=home, write_token=TOKEN, query_workers=1)
    with serve(create_app(settings)) as url:
        assert httpx.post(f"{url}/update", headers=UPDATE, timeout=60, content=(
            "INSERT DATA { NDKG:0000224 oboInOwl:hasExactSynonym 'served' }")).status_code == 204
        served = (home / "contrib" / "current").resolve()
        shutil.rmtree(served)
        ready = httpx.get(f"{url}/readyz")
    assert ready.status_code == 503
    assert ready.json()["detail"] == "The served store cannot be read."
