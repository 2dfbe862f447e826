"""The README's commands, run as a user runs them: from a project folder, with relative paths
(``ndkg build``, ``ndkg serve``, ``ndkg backup backups/…``, ``ndkg build --force``,
``ndkg restore backups/…``). Writes are made, the server is restarted cleanly and with
``kill -9``, a backup is restored and the graph rebuilt twice while the server serves and
writes: nothing acknowledged is lost, no request gets a 5xx, and ``/readyz`` stays true.

The project folder is a temporary copy of ``ontology/``, ``shapes/`` and ``queries/``, so the
checkout's own ``build/`` is never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from ..conftest import PROJECT
from ..serving import free_port
from .support import AUTH, TOKEN

NDKG = str(Path(sys.executable).with_name("ndkg"))
UPDATE = {**AUTH, "Content-Type": "application/sparql-update"}
SYNONYMS = "SELECT ?s WHERE { NDKG:0000224 oboInOwl:hasExactSynonym ?s }"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder holding the curated sources, as a user's checkout does."""
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    return tmp_path


def ndkg(project: Path, *arguments: str) -> str:
    """Run ``ndkg ARGUMENTS`` in ``project``; its output (it must succeed)."""
    done = subprocess.run(
        [NDKG, *arguments], cwd=project, capture_output=True, text=True, timeout=300,
        env={**os.environ, "NDKG_WRITE_TOKEN": TOKEN},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


class Server:
    """``ndkg serve --port PORT``, started in ``project``."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [NDKG, "serve", "--port", str(self.port)], cwd=self.project,
            env={**os.environ, "NDKG_WRITE_TOKEN": TOKEN},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{self.url}/readyz", timeout=10).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert self.process.poll() is None, "ndkg serve stopped"
            assert time.monotonic() < deadline, "ndkg serve never got ready"
            time.sleep(0.1)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        assert self.process is not None
        self.process.send_signal(sig)
        assert self.process.wait(30) is not None


@contextmanager
def watched(url: str) -> Iterator[list[tuple[str, int]]]:
    """Ask ``/readyz`` and a query over and over while the block runs; yield what each got."""
    seen: list[tuple[str, int]] = []
    stop = threading.Event()

    def watch() -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            while not stop.is_set():
                seen.append(("readyz", client.get("/readyz").status_code))
                answer = client.get("/sparql", params={"query": SYNONYMS})
                seen.append(("sparql", answer.status_code))
                time.sleep(0.05)

    thread = threading.Thread(target=watch)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join()


def write(url: str, synonym: str) -> None:
    response = httpx.post(
        f"{url}/update", headers=UPDATE, timeout=60,
        content=f"INSERT DATA {{ NDKG:0000224 oboInOwl:hasExactSynonym '{synonym}' }}",
    )
    assert response.status_code == 204, response.text


def synonyms(url: str) -> set[str]:
    response = httpx.get(f"{url}/sparql", params={"query": SYNONYMS}, timeout=30)
    assert response.status_code == 200, response.text
    return {row["s"]["value"] for row in response.json()["results"]["bindings"]}


def served_elsewhere(url: str) -> dict[str, int]:
    """What a named question, a release download and a write answer."""
    return {
        "question": httpx.get(f"{url}/questions/evidence", params={"term": "NDKG:0000224"},
                              timeout=30).status_code,
        "download": httpx.get(f"{url}/downloads/ndkg.owl", timeout=30).status_code,
    }


def test_the_readme_commands_lose_nothing_and_stay_available(project: Path) -> None:
    ndkg(project, "build")
    server = Server(project)
    server.start()
    try:
        write(server.url, "written first")
        server.stop(signal.SIGTERM)  # a clean restart
        server.start()
        assert "written first" in synonyms(server.url)
        write(server.url, "written second")
        server.stop(signal.SIGKILL)
        server.start()
        assert {"written first", "written second"} <= synonyms(server.url)

        with watched(server.url) as seen:
            ndkg(project, "backup", "backups/first")
            write(server.url, "after the backup")
            for rebuild in range(2):
                writer = threading.Thread(target=write, args=(server.url, f"during {rebuild}"))
                writer.start()
                ndkg(project, "build", "--force")
                writer.join()
                write(server.url, f"after rebuild {rebuild}")
                found = synonyms(server.url)
                assert {"written first", "after the backup", f"during {rebuild}",
                        f"after rebuild {rebuild}"} <= found
                assert served_elsewhere(server.url) == {"question": 200, "download": 200}
            ndkg(project, "restore", "backups/first")
            restored = synonyms(server.url)
            write(server.url, "after the restore")
        assert {"written first", "written second"} <= restored
        assert "after the backup" not in restored
        assert {status for _, status in seen} == {200}, sorted(set(seen))
        assert len([kind for kind, _ in seen if kind == "readyz"]) > 10

        server.stop(signal.SIGTERM)
        server.start()
        assert synonyms(server.url) == restored | {"after the restore"}
        assert served_elsewhere(server.url) == {"question": 200, "download": 200}
    finally:
        if server.process is not None and server.process.poll() is None:
            server.stop(signal.SIGKILL)
    builds = list((project / "build" / "builds").iterdir())
    assert 2 <= len(builds) <= 3
    generations = [p for p in (project / "build" / "contrib" / "stores").iterdir() if p.is_dir()]
    assert len(generations) == 4  # the current one and the three before it
