"""Crash safety: the server runs as its own process (``python -m ndkg serve``), is killed with
``kill -9`` after a write is acknowledged (and again in the middle of another write), and
restarted: the acknowledged write is there, the interrupted one is all or nothing, and no query
worker outlives the server."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ndkg.build import BuildResult

from .support import AUTH, TOKEN, copy_build

UPDATE = {**AUTH, "Content-Type": "application/sparql-update"}
SYNONYMS = "SELECT ?s WHERE { NDKG:0000224 oboInOwl:hasExactSynonym ?s }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(home: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``ndkg serve`` on ``home`` with writes on, in a process of its own."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ndkg", "serve", "--out", str(home), "--port", str(port)],
        env={**os.environ, "NDKG_WRITE_TOKEN": TOKEN, "NDKG_QUERY_WORKERS": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "no server"
            time.sleep(0.1)
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def children(pid: int) -> set[int]:
    """The processes that ``pid`` started (Linux)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


def kill_9(process: subprocess.Popen[bytes]) -> set[int]:
    """``kill -9`` the server; return its query workers."""
    workers = children(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return workers


def synonyms(url: str) -> set[str]:
    response = httpx.get(f"{url}/sparql", params={"query": SYNONYMS}, timeout=30)
    return {row["s"]["value"] for row in response.json()["results"]["bindings"]}


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_an_acknowledged_write_survives_kill_9(built: BuildResult, tmp_path: Path) -> None:
    home = copy_build(built, tmp_path)
    with server(home) as (process, url):
        acknowledged = httpx.post(
            f"{url}/update", headers=UPDATE, timeout=60,
            content="INSERT DATA { NDKG:0000224 oboInOwl:hasExactSynonym 'kept after kill' }",
        )
        assert acknowledged.status_code == 204
        # A second write is on its way (SHACL validation takes about a second) when the server dies.
        in_flight = threading.Thread(target=lambda: _ignore_errors(lambda: httpx.post(
            f"{url}/update", headers=UPDATE, timeout=60,
            content="INSERT DATA { NDKG:0000224 oboInOwl:hasExactSynonym 'maybe kept' }",
        )))
        in_flight.start()
        time.sleep(0.3)
        workers = kill_9(process)
        in_flight.join()

    assert len(workers) == 3  # for long queries, kept for quick ones, and the standby
    assert wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), 5)
    with server(home) as (_, url):
        found = synonyms(url)
    assert "kept after kill" in found
    assert found - {"maybe kept"} >= {"kept after kill", "duct papilloma"}
    assert not any(p.name.startswith(".staging") for p in (home / "contrib" / "stores").iterdir())


def _ignore_errors(request: Callable[[], object]) -> None:
    with contextlib.suppress(httpx.TransportError):  # the server dies while the write is sent
        request()
