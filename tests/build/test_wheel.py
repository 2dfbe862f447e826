"""The wheel works anywhere: installed in a fresh virtual environment, outside the repository,
it builds the graph from the sources it carries, serves it and answers queries."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import time
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

import httpx
import pytest

from ..conftest import PROJECT
from ..serving import free_port

CAUSES_OF_PATHOLOGIC_DISCHARGE = "SELECT ?cause WHERE { ?cause RO:0003303 NDKG:0000302 }"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of the project, built from the working tree."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist),
         str(PROJECT)],
        check=True, capture_output=True, timeout=300,
    )
    (found,) = dist.glob("ndkg-*.whl")
    return found


@pytest.fixture(scope="module")
def fresh(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed and no other ndkg in sight.

    Its dependencies come from this interpreter's site folders, named in a ``.pth`` file as
    plain paths: the ``.pth`` files inside them (an editable install of ndkg among them) are
    not run, so the only ndkg the environment can import is the wheel's.
    """
    env = tmp_path_factory.mktemp("venv") / "fresh"
    venv.create(env, with_pip=False, symlinks=True)
    python = env / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    folders = [*site.getsitepackages(), site.getusersitepackages()]
    (Path(purelib) / "dependencies.pth").write_text(
        "".join(f"{folder}\n" for folder in folders if Path(folder).is_dir())
    )
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--disable-pip-version-check", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    return env


def test_the_wheel_carries_the_sources_and_declares_its_imports(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    for folder in ("ontology", "shapes", "queries"):
        for path in (PROJECT / folder).rglob("*"):
            if path.is_file():
                assert f"ndkg/data/{path.relative_to(PROJECT)}" in names, path
    assert "ndkg/data/ontology/mappings/ndkg.sssom.tsv" in names
    assert "ndkg/data/LICENSE-DATA" in names
    assert "ndkg/py.typed" in names
    required = {
        requirement.split(";")[0].split(">")[0].split("=")[0].split("[")[0].strip().lower()
        for requirement in metadata.get_all("Requires-Dist", [])
        if "extra ==" not in requirement
    }
    assert {"pyyaml", "rich", "rdflib", "pyoxigraph", "owlready2", "fastapi"} <= required


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder that is not a source tree."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def _ndkg(fresh: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(fresh / "bin" / "ndkg"), *args], cwd=cwd, capture_output=True, text=True,
        timeout=300, check=False, env={**os.environ, "NO_COLOR": "1"},
    )


def test_installed_wheel_builds_serves_and_answers(fresh: Path, outside: Path) -> None:
    where = subprocess.run(
        [str(fresh / "bin" / "python"), "-c", "import ndkg; print(ndkg.__file__)"],
        capture_output=True, text=True, check=True, cwd=outside,
    ).stdout.strip()
    assert Path(where).is_relative_to(fresh), where

    assert _ndkg(fresh, "--version", cwd=outside).stdout.startswith("ndkg ")
    done = _ndkg(fresh, "build", cwd=outside)
    assert done.returncode == 0, done.stderr
    sources = next(line for line in done.stderr.splitlines() if "sources" in line)
    assert Path(sources.split()[-1]).is_relative_to(fresh), sources
    assert (outside / "build" / "current" / "release" / "ndkg.owl").is_file()

    done = _ndkg(fresh, "query", "causes-by-features", "-p", "laterality=unilateral",
                 "-p", "character=bloody", "--format", "csv", cwd=outside)
    assert done.returncode == 0, done.stderr
    assert "intraductal papilloma" in done.stdout

    with _Server(fresh, outside) as url:
        answer = httpx.get(
            f"{url}/sparql", params={"query": "PREFIX NDKG: <https://w3id.org/ndkg/NDKG_> "
                                     "PREFIX RO: <http://purl.obolibrary.org/obo/RO_> "
                                     + CAUSES_OF_PATHOLOGIC_DISCHARGE, "format": "csv"},
            timeout=30,
        )
        assert answer.status_code == 200
        assert "https://w3id.org/ndkg/NDKG_0000224" in answer.text.splitlines()
        assert httpx.get(f"{url}/questions/causes-by-features", timeout=30).status_code == 200

    made = _ndkg(fresh, "init", "mine", cwd=outside)
    assert made.returncode == 0, made.stderr
    assert (outside / "mine" / "ontology" / "ndkg-edit.ttl").is_file()


class _ServerError(Exception):
    pass


class _Server:
    """``ndkg serve`` of the fresh environment, on a free loopback port."""

    def __init__(self, fresh: Path, cwd: Path) -> None:
        self.command = [str(fresh / "bin" / "ndkg"), "serve", "--port", str(free_port())]
        self.url = f"http://127.0.0.1:{self.command[-1]}"
        self.cwd = cwd

    def __enter__(self) -> str:
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.process.stderr.read() if self.process.stderr else b""
                raise _ServerError(log.decode(errors="replace"))
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return self.url
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise _ServerError("ndkg serve did not get ready in 90 s")

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
