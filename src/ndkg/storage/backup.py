"""``ndkg backup`` and ``ndkg restore``: copy a build folder's served data and bring it back.

A backup is a folder::

    DEST/backup.json        what it holds: the build's name and version, contributed quads
    DEST/build/<name>/      the current build: store, release files, queries, shapes, build.json
    DEST/contrib/           the current generation of contributed data (``Store.backup``)

Restoring puts the build back under ``OUT/builds/`` and makes it current, and makes the
contributed data the current generation (:mod:`ndkg.storage.contributions`), holding the build lock
and the write lock. A service running on the folder moves to the restored data with its next
request; what it was serving stays until it lets go of it (:mod:`ndkg.storage.leases`).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from ndkg.build import BUILDS_DIR, build_lock
from ndkg.errors import StoreError
from ndkg.storage.contributions import Contributions, switch_link
from ndkg.storage.store import CURRENT, current_build, open_store

MANIFEST = "backup.json"
BUILD_DIR = "build"
CONTRIB_DIR = "contrib"


@dataclass(frozen=True)
class Backup:
    """What a backup holds."""

    build: str
    version: str
    contributed: int


def backup(home: Path, dest: Path) -> Backup:
    """Copy the current build of ``home`` and its contributed data into the new folder ``dest``.

    :raises StoreError: if there is no build in ``home``, or ``dest`` exists.
    """
    home, dest = Path(home), Path(dest)
    build = current_build(home)
    if dest.exists():
        raise StoreError(f"{dest} exists already: back up into a new folder")
    version = open_store(home).version
    dest.mkdir(parents=True)
    shutil.copytree(build, dest / BUILD_DIR / build.name)
    generation = Contributions(home).current()
    if generation is not None:
        try:
            ox.Store.read_only(str(generation.path)).backup(str(dest / CONTRIB_DIR))
        except OSError as exc:
            raise StoreError(f"cannot back up {generation.path}: {exc}") from exc
    made = Backup(build.name, version, generation.contributed if generation else 0)
    manifest = {**made.__dict__, "created": datetime.now(UTC).isoformat(timespec="seconds")}
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return made


def restore(src: Path, home: Path) -> Backup:
    """Bring the backup in ``src`` back into the build folder ``home``.

    :raises StoreError: if ``src`` is not a backup.
    """
    src, home = Path(src).resolve(), Path(home).resolve()
    try:
        manifest = json.loads((src / MANIFEST).read_text())
        made = Backup(
            str(manifest["build"]), str(manifest["version"]), int(manifest["contributed"])
        )
    except (OSError, ValueError, KeyError) as exc:
        raise StoreError(f"{src} is not an ndkg backup: {exc}") from exc
    with build_lock(home):
        _restore(src, home, made)
    return made


def _restore(src: Path, home: Path, made: Backup) -> None:
    target = home / BUILDS_DIR / made.build
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{made.build}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(src / BUILD_DIR / made.build, partial)
        partial.rename(target)
    contributions = Contributions(home)
    with contributions.lock():
        switch_link(home / CURRENT, target.relative_to(home))
        if (src / CONTRIB_DIR).exists():
            staged = contributions.staging()
            ox.Store.read_only(str(src / CONTRIB_DIR)).backup(str(staged))
            contributions.publish(staged, build=made.build, contributed=made.contributed)
        else:
            (contributions.root / CURRENT).unlink(missing_ok=True)
        contributions.prune()
