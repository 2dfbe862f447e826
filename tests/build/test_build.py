"""End to end: build into a temporary folder, query it, and fail safely on bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from ndkg.build import build, build_lock
from ndkg.errors import BuildLockedError, SourceError, ValidationError
from ndkg.storage.store import open_store

from ..conftest import PROJECT

ASK_PAPILLOMA = "ASK { NDKG:0000224 RO:0003303 NDKG:0000302 }"


def _break_turtle(project: Path) -> Path:
    path = project / "ontology" / "evidence.ttl"
    text = path.read_text().replace("rdf:subject NDKG:0000224 ;", "rdf:subject NDKG:0000224 ; ,", 1)
    path.write_text(text)
    return path


def _version_of(out: Path) -> str:
    return open_store(out).version


def test_build_then_query_the_store(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(project_copy, out, version="2026-02-02")
    assert not result.skipped
    store = open_store(out)
    assert store.version == "2026-02-02"
    assert store.query(ASK_PAPILLOMA, use_prefixes=True)
    assert set(result.triples) == {
        "asserted", "inferred", "materialised", "classification", "mappings", "metadata"}
    assert all(n > 0 for n in result.triples.values())


def test_broken_turtle_fails_and_keeps_previous_build(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(project_copy, out, version="2026-02-02")
    broken = _break_turtle(project_copy)
    with pytest.raises(SourceError) as caught:
        build(project_copy, out, version="2026-03-03")
    assert caught.value.path == broken and caught.value.line and caught.value.column
    assert (out / "current").resolve() == first.path
    assert _version_of(out) == "2026-02-02"
    assert open_store(out).query(ASK_PAPILLOMA, use_prefixes=True)


def test_shacl_violation_fails_with_report_and_keeps_previous(
    project_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = build(project_copy, out, version="2026-02-02")
    evidence = project_copy / "ontology" / "evidence.ttl"
    evidence.write_text(evidence.read_text().replace(
        "NDKG:0000003 NDKG:0000600 ;", "NDKG:0000003 NDKG:0000999 ;", 1))
    with pytest.raises(ValidationError) as caught:
        build(project_copy, out, version="2026-03-03")
    focus = {v["focus_node"] for v in caught.value.violations}
    assert focus == {"NDKG:0001001"}
    report = Graph().parse(out / "reports" / "shacl-report.ttl")
    assert len(report) > 0
    assert (out / "current").resolve() == first.path


def test_unchanged_inputs_skip_the_build(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(project_copy, out, version="2026-02-02")
    again = build(project_copy, out, version="2026-02-02")
    assert again.skipped
    mappings = project_copy / "ontology" / "mappings" / "ndkg.sssom.tsv"
    mappings.write_text(mappings.read_text() + "")
    (project_copy / "queries" / "extra.rq").write_text(
        "#+ summary: Count the claims\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n")
    rebuilt = build(project_copy, out, version="2026-02-02")
    assert not rebuilt.skipped and rebuilt.reasoning_cached


def test_second_build_waits_for_none_it_is_refused(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with build_lock(out):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        with pytest.raises(BuildLockedError):
            build(project_copy, out, version="2026-02-02")
    finally:
        release.set()
        holder.join()


def test_killed_build_leaves_a_usable_store(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(project_copy, out, version="2026-02-02")
    with subprocess.Popen(
        [sys.executable, "-m", "ndkg", "build", "--root", str(project_copy), "--out", str(out),
         "--version", "2026-03-03", "--force"],
        stderr=subprocess.PIPE, text=True,
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            if "materialise" in line:
                os.kill(process.pid, signal.SIGKILL)
                break
        process.wait(30)
    assert process.returncode == -signal.SIGKILL
    assert _version_of(out) == "2026-02-02"
    assert open_store(out).query(ASK_PAPILLOMA, use_prefixes=True)
    after = build(project_copy, out, version="2026-04-04")
    assert _version_of(out) == "2026-04-04"
    builds = sorted(p.name for p in (out / "builds").iterdir())
    assert len(builds) == 2 and after.path.name in builds


def test_release_files_parse_back(built) -> None:  # type: ignore[no-untyped-def]
    release = built.path / "release"
    owl = Graph().parse(release / "ndkg.owl", format="xml")
    for name, fmt in (("ndkg.ttl", "turtle"), ("ndkg.nt", "nt"), ("ndkg.jsonld", "json-ld")):
        assert len(Graph().parse(release / name, format=fmt)) == len(owl), name
    version_iri = "https://w3id.org/ndkg/releases/2026-01-01/ndkg.owl"
    assert any(str(o) == version_iri for o in owl.objects())
    quads = Dataset().parse(release / "ndkg-full.nq", format="nquads")
    assert len(list(quads.graphs())) >= 6
    void = Graph().parse(release / "void.ttl")
    assert any(str(o) == "2026-01-01" for o in void.objects())
    sssom_parsers = pytest.importorskip("sssom.parsers")
    assert len(sssom_parsers.parse_sssom_table(release / "ndkg.sssom.tsv").df) > 30
    info = json.loads((built.path / "build.json").read_text())
    assert info["version"] == "2026-01-01"
    assert set(info["inputs"]) >= {"ontology/terms.ttl", "ontology/mappings/ndkg.sssom.tsv"}
    assert info["tools"]["pyoxigraph"] and info["tools"]["java"] != "not found"


def test_build_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "ndkg", "build", "--root", str(PROJECT), "--out", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    for step in ("parse", "validate", "reason", "materialise", "load store", "release"):
        assert step in done.stderr
    assert "triples: asserted" in done.stdout


def test_broken_turtle_exit_code_and_message(project_copy: Path, tmp_path: Path) -> None:
    broken = _break_turtle(project_copy)
    done = subprocess.run(
        [sys.executable, "-m", "ndkg", "build", "--root", str(project_copy),
         "--out", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 3
    assert f"{broken}:" in done.stderr
