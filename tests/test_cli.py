"""The command line: query, stats, export and help, run as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from rdflib import Graph
from typer.testing import CliRunner

from ndkg.build import BuildResult
from ndkg.cli import app

LABEL_QUERY = "SELECT ?label WHERE { NDKG:0000224 rdfs:label ?label }"


def ndkg(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ndkg`` with ``args``."""
    return subprocess.run(
        [sys.executable, "-m", "ndkg", *args],
        input=stdin, capture_output=True, text=True, check=False, timeout=60,
    )


@pytest.fixture(scope="module")
def out(built: BuildResult) -> str:
    """The build folder of the session's build."""
    return str(built.path.parent.parent)


def test_query_a_file(out: str, tmp_path: Path) -> None:
    query = tmp_path / "label.rq"
    query.write_text(LABEL_QUERY)
    done = ndkg("query", str(query), "--out", out)
    assert done.returncode == 0, done.stderr
    assert "intraductal papilloma" in done.stdout
    assert "1 row" in done.stdout


def test_query_standard_input(out: str) -> None:
    done = ndkg("query", "-", "--out", out, stdin=LABEL_QUERY)
    assert done.returncode == 0, done.stderr
    assert "intraductal papilloma" in done.stdout


def test_named_question_with_parameters(out: str) -> None:
    done = ndkg(
        "query", "causes-by-features", "--out", out,
        "--param", "laterality=unilateral", "--param", "character=bloody",
    )
    assert done.returncode == 0, done.stderr
    assert "intraductal papilloma" in done.stdout
    assert "galactorrhea" not in done.stdout


def test_json_is_sparql_results_json(out: str) -> None:
    done = ndkg("query", "-", "--out", out, "--format", "json", stdin=LABEL_QUERY)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results["head"]["vars"] == ["label"]
    assert results["results"]["bindings"][0]["label"]["value"] == "intraductal papilloma"


@pytest.mark.parametrize(("fmt", "header"), [("csv", "label"), ("tsv", "?label")])
def test_csv_and_tsv_are_sparql_results_tables(out: str, fmt: str, header: str) -> None:
    done = ndkg("query", "-", "--out", out, "--format", fmt, stdin=LABEL_QUERY)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout), delimiter="," if fmt == "csv" else "\t"))
    assert rows[0] == [header]
    assert rows[1][0].strip('"') == "intraductal papilloma"


def test_ask_prints_true_or_false(out: str) -> None:
    done = ndkg("query", "-", "--out", out, stdin="ASK { NDKG:0000224 RO:0003303 NDKG:0000302 }")
    assert (done.returncode, done.stdout) == (0, "true\n")


def test_construct_prints_turtle(out: str) -> None:
    done = ndkg(
        "query", "-", "--out", out,
        stdin="CONSTRUCT { NDKG:0000224 rdfs:label ?l } WHERE { NDKG:0000224 rdfs:label ?l }",
    )
    assert done.returncode == 0, done.stderr
    graph = Graph().parse(data=done.stdout, format="turtle")
    assert [str(o) for o in graph.objects()] == ["intraductal papilloma"]


def test_malformed_query_exits_7_with_the_position(out: str) -> None:
    done = ndkg("query", "-", "--out", out, stdin="SELECT ?x WHERE { ?x ")
    assert done.returncode == 7
    assert done.stderr.startswith("error:") and "1:" in done.stderr


def test_wrong_parameter_exits_7(out: str) -> None:
    done = ndkg("query", "causes-by-features", "--out", out, "--param", "laterality=sideways")
    assert done.returncode == 7
    assert "laterality" in done.stderr


def test_no_build_exits_6(tmp_path: Path) -> None:
    done = ndkg("query", "-", "--out", str(tmp_path), stdin=LABEL_QUERY)
    assert done.returncode == 6
    assert "ndkg build" in done.stderr


def test_stats(out: str) -> None:
    done = ndkg("stats", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "version 2026-01-01" in done.stdout
    assert all(name in done.stdout for name in ("asserted", "inferred", "mappings"))


def test_export_turtle_parses(out: str) -> None:
    done = ndkg("export", "--format", "ttl", "--out", out)
    assert done.returncode == 0, done.stderr
    graph = Graph().parse(data=done.stdout, format="turtle")
    assert len(graph) > 1000


def test_export_kgx_needs_a_folder_and_copies_both_files(out: str, tmp_path: Path) -> None:
    assert ndkg("export", "--format", "kgx", "--out", out).returncode == 2
    done = ndkg("export", "--format", "kgx", "--out", out, "--dest", str(tmp_path / "kgx"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "kgx").iterdir()) == [
        "ndkg_edges.tsv", "ndkg_kgx_context.jsonld", "ndkg_nodes.tsv"]


def test_every_command_and_option_has_help() -> None:
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert set(commands) == {
        "build", "validate", "query", "stats", "serve", "export", "backup", "restore", "publish",
        "init"}
    runner = CliRunner()
    for name, command in commands.items():
        assert command.help, name
        assert all(getattr(p, "help", None) for p in command.params), name
        shown = runner.invoke(app, [name, "--help"])
        assert shown.exit_code == 0, name
        assert " ".join(command.help.split()[:3]) in " ".join(shown.output.split()), name
