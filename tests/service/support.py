"""What the reliability and security tests share: a copy of the real build, a TCP listener that
records whoever connects, the write token, and ways to keep query workers busy."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ndkg.build import BUILDS_DIR, BuildResult
from ndkg.storage.store import CURRENT

TOKEN = "test-write-token-0123456789abcdef"
"""The write token of the test services."""
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
"""A cartesian product over the real graph: about 5·10¹⁰ rows to count."""
SPARQL_QUERY = {"Content-Type": "application/sparql-query"}


def copy_build(built: BuildResult, home: Path) -> Path:
    """A build folder ``home`` whose current build is a copy of ``built``; return ``home``."""
    target = home / BUILDS_DIR / built.path.name
    shutil.copytree(built.path, target)
    (home / CURRENT).symlink_to(target.relative_to(home), target_is_directory=True)
    return home


def nested(depth: int) -> str:
    """An ASK query whose FILTER nests ``depth`` parentheses."""
    return "ASK { FILTER(" + "(" * depth + "true" + ")" * depth + ") }"


class Listener:
    """A TCP server on 127.0.0.1 that records what every connection sends.

    With ``reply``, it answers each connection with those bytes (an HTTP response).
    """

    def __init__(self, reply: bytes | None = None) -> None:
        self.reply = reply
        self.received: list[bytes] = []
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(16)
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    self.received.append(conn.recv(65536))
                    if self.reply is not None:
                        conn.sendall(self.reply)
                except OSError:
                    self.received.append(b"")

    @contextmanager
    def running(self) -> Iterator[Listener]:
        """Listen while the block runs."""
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join(5)
            self._server.close()


EMPTY_RESULTS = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
    b"Content-Length: 49\r\nConnection: close\r\n\r\n"
    b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'
)
"""An HTTP response holding SPARQL JSON results with no rows."""


def ask(
    url: str, query: str = "ASK { ?s ?p ?o }", timeout: float = 30,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST ``query`` to the service at ``url``."""
    return httpx.post(
        f"{url}/sparql", content=query, headers={**SPARQL_QUERY, **(headers or {})},
        timeout=timeout,
    )


def wait_until_idle_workers(url: str, idle: int) -> None:
    """Wait until exactly ``idle`` workers are idle."""
    deadline = time.monotonic() + 10
    while httpx.get(f"{url}/readyz").json()["workers"]["idle"] != idle:
        assert time.monotonic() < deadline, f"never {idle} idle workers"
        time.sleep(0.02)


def run_in_background(
    url: str, query: str, headers: dict[str, str] | None = None
) -> tuple[threading.Thread, dict[str, object]]:
    """Ask ``query`` in a thread; its outcome holds the response and the seconds it took."""
    outcome: dict[str, object] = {}

    def run() -> None:
        began = time.monotonic()
        outcome["response"] = ask(url, query, headers=headers)
        outcome["seconds"] = time.monotonic() - began

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome
