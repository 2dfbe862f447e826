"""``ndkg backup`` and ``ndkg restore``: a round trip of the current build and the contributed
data, into a build folder that held nothing."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from typer.testing import CliRunner

from ndkg.build import BuildResult
from ndkg.cli import app
from ndkg.storage.contributions import CONTRIBUTED, Contributions, split
from ndkg.storage.store import open_store

from .service.support import copy_build

SYNONYM = ox.Quad(
    ox.NamedNode("https://w3id.org/ndkg/NDKG_0000224"),
    ox.NamedNode("http://www.geneontology.org/formats/oboInOwl#hasExactSynonym"),
    ox.Literal("restored synonym"),
    ox.NamedNode(CONTRIBUTED),
)


def test_backup_and_restore_round_trip(built: BuildResult, tmp_path: Path) -> None:
    home = copy_build(built, tmp_path / "home")
    release = open_store(home)
    base, _ = split(release.store)
    Contributions(home).commit([*base, SYNONYM], build=release.path.parent.name, contributed=1)

    runner = CliRunner()
    backed_up = runner.invoke(app, ["backup", str(tmp_path / "backup"), "--out", str(home)])
    assert backed_up.exit_code == 0, backed_up.output
    assert f"backed up {release.version}" in backed_up.output
    assert "1 contributed quads" in backed_up.output

    again = runner.invoke(app, ["backup", str(tmp_path / "backup"), "--out", str(home)])
    assert again.exit_code == 6
    assert "exists already" in again.output

    fresh = tmp_path / "fresh"
    restored = runner.invoke(app, ["restore", str(tmp_path / "backup"), "--out", str(fresh)])
    assert restored.exit_code == 0, restored.output

    assert open_store(fresh).version == release.version
    assert (fresh / "current").resolve().name == built.path.name
    generation = Contributions(fresh).current()
    assert generation is not None and generation.contributed == 1
    served = ox.Store.read_only(str(generation.path))
    assert SYNONYM in set(served)
    assert len(served) == len(release.store) + 1


def test_restore_refuses_a_folder_that_is_no_backup(tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["restore", str(tmp_path), "--out", str(tmp_path / "out")])
    assert done.exit_code == 6
    assert "is not an ndkg backup" in done.output
