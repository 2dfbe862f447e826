"""The command line behaves as shell users expect: --version, NO_COLOR, one-line errors with
their own exit codes, `ndkg init`, and sources found without --root."""

from __future__ import annotations

import os
import pty
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import ndkg
from ndkg.cli import EXIT_CODES

from .conftest import PROJECT

NDKG = [sys.executable, "-m", "ndkg"]
RED = "\x1b[31m"


def _run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NDKG, *args], capture_output=True, text=True, check=False, cwd=cwd,
        env={**os.environ, **(env or {})}, timeout=timeout,
    )


def _run_in_terminal(*args: str, env: dict[str, str]) -> str:
    """Run ndkg with a terminal as its standard output and error; what the terminal shows."""
    controller, terminal = pty.openpty()
    try:
        subprocess.run(
            [*NDKG, *args], stdin=terminal, stdout=terminal, stderr=terminal,
            env={k: v for k, v in env.items() if v is not None}, timeout=120, check=False,
        )
    finally:
        os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal is closed and drained
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return shown.decode(errors="replace")


def test_version() -> None:
    done = _run("--version")
    assert done.returncode == 0
    assert done.stdout == f"ndkg {ndkg.__version__}\n"


@pytest.mark.parametrize(
    ("setting", "coloured"),
    [({}, True), ({"NO_COLOR": "1"}, False), ({"TERM": "dumb"}, False)],
)
def test_colour_on_a_terminal_unless_no_color_or_a_dumb_terminal(
    tmp_path: Path, setting: dict[str, str], coloured: bool
) -> None:
    env = {**os.environ, "TERM": "xterm-256color", **setting}
    env.pop("NO_COLOR", None) if "NO_COLOR" not in setting else None
    shown = _run_in_terminal("build", "--root", str(tmp_path), "--out", str(tmp_path / "o"),
                             env=env)
    assert "error: " in shown
    assert (RED in shown) is coloured
    assert ("\x1b[" in shown) is coloured


def test_missing_sources_exit_8_in_one_line(tmp_path: Path) -> None:
    done = _run("build", "--root", str(tmp_path), "--out", str(tmp_path / "out"))
    assert done.returncode == 8
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {tmp_path / 'ontology'}: no Turtle files found: give --root a folder holding "
        "ontology/, or run `ndkg init DIR` to copy the sources out"
    ]
    assert "Traceback" not in done.stderr


def test_missing_java_exit_9_names_it_and_how_to_install(tmp_path: Path) -> None:
    python_only = tmp_path / "bin"
    python_only.mkdir()
    assert shutil.which("java", path=str(python_only)) is None
    done = _run("build", "--root", str(PROJECT), "--out", str(tmp_path / "out"),
                env={"PATH": str(python_only)})
    assert done.returncode == 9, done.stderr
    assert done.stderr.splitlines()[-1] == (
        "error: the HermiT reasoner needs Java and no `java` command was found: install a Java "
        "runtime (Debian, Ubuntu: apt-get install default-jre-headless; elsewhere any Java 11 "
        "or later) and put `java` on PATH"
    )
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "current").exists()


def test_busy_port_exit_10(built: ndkg.BuildResult) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = _run("serve", "--out", str(built.path.parent.parent), "--port", str(port),
                    timeout=60)
    assert done.returncode == 10
    assert done.stderr.strip() == (
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use "
        "(is another server running there? choose another with --port)"
    )


def test_exit_codes_are_distinct_per_failure_kind() -> None:
    codes = {t.__name__: c for t, c in EXIT_CODES.items()}
    assert codes["SourcesNotFoundError"] == 8 and codes["SourceError"] == 3
    assert codes["JavaNotFoundError"] == 9 and codes["AddressInUseError"] == 10
    documented = ndkg.cli.__doc__ or ""  # type: ignore[attr-defined]
    for code in set(codes.values()):
        assert f"\n{code} " in documented, code


def test_init_copies_the_sources_and_build_reads_them_there(tmp_path: Path) -> None:
    project = tmp_path / "mine"
    done = _run("init", str(project))
    assert done.returncode == 0, done.stderr
    for folder in ("ontology", "shapes", "queries"):
        copied = sorted(p.relative_to(project / folder) for p in (project / folder).rglob("*"))
        original = sorted(p.relative_to(PROJECT / folder) for p in (PROJECT / folder).rglob("*"))
        assert copied == original, folder
    assert (project / "LICENSE-DATA").read_text() == (PROJECT / "LICENSE-DATA").read_text()

    # An edit in the copy reaches the build run inside it, with no --root.
    terms = project / "ontology" / "terms.ttl"
    terms.write_text(terms.read_text().replace(
        'rdfs:label "intraductal papilloma"', 'rdfs:label "intraductal papilloma (edited)"', 1))
    done = _run("validate", cwd=project)
    assert done.returncode == 0, done.stderr
    done = _run("build", cwd=project)
    assert done.returncode == 0, done.stderr
    assert f"sources      {project}" in done.stderr
    label = ndkg.open_store(project / "build").select(
        "SELECT ?l WHERE { NDKG:0000224 rdfs:label ?l }", use_prefixes=True)
    assert label == [{"l": "intraductal papilloma (edited)"}]

    again = _run("init", str(project))
    assert again.returncode == 2
    assert "already holds ontology, shapes, queries, LICENSE-DATA" in again.stderr


def test_build_outside_a_source_tree_builds_the_bundled_sources(tmp_path: Path) -> None:
    done = _run("validate", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "The data conforms to the shapes."
    from ndkg.bundled import bundled_root, default_root

    assert default_root(tmp_path) == bundled_root()
    assert default_root(PROJECT) == PROJECT
    if Path(ndkg.__file__).is_relative_to(PROJECT):  # an editable install reads them in place
        assert bundled_root() == PROJECT
