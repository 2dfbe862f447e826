"""Virtuoso 7 (Debian's ``virtuoso-opensource-7-bin``) on loopback, holding the real build.

One server runs per test session, in a temporary folder with its own ``virtuoso.ini``: database
files there, both ports on 127.0.0.1, little memory. Updates go through ``/sparql-auth`` with
Digest auth as ``dba``. Without ``virtuoso-t`` the tests that need it are skipped (CI installs
it with ``.ci/setup``).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from ndkg.build import BuildResult
from ndkg.cli import app
from ndkg.storage.remote import Credentials, RemoteStore
from tests.serving import free_port, home_of

VIRTUOSO = shutil.which("virtuoso-t")
START_TIMEOUT = 60.0

INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 200M
ThreadsPerQuery = 2
CheckpointInterval = 60
VADInstallDir = {folder}/vad
; Virtuoso spends seconds planning the named questions (about twenty joins and a transitive
; path); these two bound the planning.
StopCompilerWhenXOverRunTime = 1
MaxOptimizeLayouts = 100

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}/www
MaxClientConnections = 8
ServerThreads = 8
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: its endpoints and administrator."""

    base: str
    user: str = "dba"
    password: str = "dba"

    @property
    def sparql(self) -> str:
        """The query endpoint, open to anyone."""
        return f"{self.base}/sparql"

    @property
    def update(self) -> str:
        """The endpoint that takes updates, with Digest auth."""
        return f"{self.base}/sparql-auth"

    @property
    def graph_store(self) -> str:
        """The Graph Store HTTP Protocol endpoint, with Digest auth."""
        return f"{self.base}/sparql-graph-crud-auth"

    def credentials(self) -> Credentials:
        """The administrator's credentials."""
        return Credentials(self.user, self.password)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """Virtuoso on loopback, stopped at the end of the session."""
    if VIRTUOSO is None:
        pytest.skip("virtuoso-t is not installed: apt-get install virtuoso-opensource-7-bin")
    folder = tmp_path_factory.mktemp("virtuoso")
    (folder / "www").mkdir()
    http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(folder=folder, sql_port=free_port(), http_port=http_port))
    log = (folder / "stdout.log").open("wb")
    process = subprocess.Popen(
        [VIRTUOSO, "+configfile", str(ini), "+foreground"],
        cwd=folder, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    server = Virtuoso(f"http://127.0.0.1:{http_port}")
    try:
        _wait_for(server, process, folder)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_for(server: Virtuoso, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if httpx.get(server.sparql, params={"query": "ASK {}"}).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    log = (folder / "stdout.log").read_text(errors="replace")[-2000:]
    raise RuntimeError(f"Virtuoso did not start (exit code {process.poll()}):\n{log}")


@pytest.fixture(scope="session")
def published(built: BuildResult, virtuoso: Virtuoso) -> Virtuoso:
    """Virtuoso holding the real build, loaded with ``ndkg publish``."""
    result = CliRunner().invoke(app, [
        "publish", "--endpoint", virtuoso.update, "--user", virtuoso.user,
        "--password", virtuoso.password, "--out", str(home_of(built)),
    ])
    assert result.exit_code == 0, result.output
    return virtuoso


@pytest.fixture(scope="session")
def remote_store(published: Virtuoso, built: BuildResult) -> Iterator[RemoteStore]:
    """The published graph, queried through Virtuoso's public endpoint."""
    store = RemoteStore.open(published.sparql, home=home_of(built))
    yield store
    store.close()
