"""Generations of contributed data are pruned the same way whatever the path says: relative,
through a symlink or with ``..``; the current one, the three before it and every generation a
process leases are kept."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from ndkg.storage.contributions import KEEP, Contributions
from ndkg.storage.leases import Lease, lease_file

QUAD = ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"),
               ox.NamedNode("https://w3id.org/ndkg/graph/contributed"))


def commit(contributions: Contributions, n: int) -> list[Path]:
    made = []
    for _ in range(n):
        with contributions.lock():
            made.append(contributions.commit([QUAD], build="b", contributed=1).path)
            contributions.prune()
    return made


@pytest.mark.parametrize("spelling", ["relative", "symlink", "dotdot"])
def test_prune_keeps_the_current_generation_and_the_three_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    real = tmp_path / "real" / "build"
    real.mkdir(parents=True)
    (tmp_path / "link").symlink_to(real)
    monkeypatch.chdir(tmp_path)
    home = {"relative": Path("real/build"), "symlink": tmp_path / "link",
            "dotdot": tmp_path / "real" / ".." / "real" / "build"}[spelling]
    made = commit(Contributions(home), 6)
    left = sorted(p for p in (real / "contrib" / "stores").iterdir())
    assert [p for p in left if p.is_dir()] == [p.resolve() for p in made[-KEEP - 1:]]
    assert sorted(p.name for p in left if p.suffix == ".json") == sorted(
        f"{p.name}.json" for p in made[-KEEP - 1:])
    current = Contributions(home).current()
    assert current is not None and current.path == made[-1].resolve()
    assert set(ox.Store.read_only(str(current.path))) == {QUAD}


def test_prune_keeps_a_generation_a_process_leases(tmp_path: Path) -> None:
    contributions = Contributions(tmp_path)
    first = commit(contributions, 1)[0]
    lease = Lease.hold(lease_file(first))
    try:
        commit(contributions, 6)
        assert first.exists() and lease_file(first).exists()
    finally:
        lease.release()
    commit(contributions, 1)
    assert not first.exists() and not lease_file(first).exists()
    assert len([p for p in contributions.stores.iterdir() if p.is_dir()]) == KEEP + 1


def test_a_write_interrupted_before_its_description_leaves_nothing(tmp_path: Path) -> None:
    contributions = Contributions(tmp_path)
    commit(contributions, 1)
    orphan = contributions.stores / "20990101T000000000000-deadbeef"
    orphan.mkdir()
    (contributions.stores / ".staging-0123").mkdir()
    (contributions.stores / "x.json.partial").write_text("{")
    with contributions.lock():
        contributions.prune()
    current = contributions.current_path()
    assert current is not None and current.is_dir()
    assert sorted(p.name for p in contributions.stores.iterdir()) == [
        current.name, current.name + ".json"]
