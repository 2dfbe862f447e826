"""Contributed data: triples written through the service, kept apart from the curated release.

Contributed triples live in the named graph :data:`CONTRIBUTED` and in graphs named under it
(``CONTRIBUTED + "/name"``). They are kept in the build folder, outside ``builds/``, so a
rebuild does not drop them::

    OUT/contrib/
        current -> stores/<generation>    the store the service reads
        stores/<generation>/              an Oxigraph store, written once, then only read
        stores/<generation>.json          the build it was made on, and its size

A generation holds the contributed graphs together with a copy of the graphs of the build it
was made on, so that one query sees both (pyoxigraph queries one store at a time). Every
accepted write makes a new generation and moves ``current`` to it with one atomic rename: a
write is all or nothing, and once acknowledged it survives a crash of the process. When the
service starts on a newer build, it makes a generation of the new build's graphs and the same
contributed graphs. Writers hold :meth:`Contributions.lock`, so that processes serving the same
folder write one at a time, each on the latest generation.

Every process that has a generation open holds a lease on it (:mod:`ndkg.storage.leases`): a prune
keeps the current generation, the :data:`KEEP` before it and every generation leased, and
removes the rest.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from ndkg.errors import StoreError
from ndkg.storage.leases import in_use, lease_file

CONTRIB_DIR = "contrib"
STORES_DIR = "stores"
CURRENT = "current"
LOCK_FILE = ".lock"
KEEP = 3
"""Generations kept before the current one besides those leased: a job may have been sent to
one just before a write replaced it."""
CONTRIBUTED = "https://w3id.org/ndkg/graph/contributed"
"""The graph that written triples go to by default; graphs named under it hold the rest."""


def is_contributed(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | str) -> bool:
    """Whether ``graph`` is :data:`CONTRIBUTED` or a graph named under it.

    A name is taken as it resolves: one whose path holds ``.`` or ``..`` segments (spelled
    plainly or percent-encoded) is not contributed, since it may point anywhere.

    >>> is_contributed(CONTRIBUTED + "/clinic-a"), is_contributed(CONTRIBUTED + "-x")
    (True, False)
    >>> is_contributed(CONTRIBUTED + "/../asserted"), is_contributed(CONTRIBUTED + "/%2e%2E/x")
    (False, False)
    """
    name = graph if isinstance(graph, str) else getattr(graph, "value", None)
    if name == CONTRIBUTED:
        return True
    return (
        isinstance(name, str) and name.startswith(CONTRIBUTED + "/")
        and normalise_iri(name) == name
    )


@lru_cache(maxsize=4096)
def normalise_iri(iri: str) -> str:
    """``iri`` with percent-encoded dots decoded and dot segments removed from its path
    (RFC 3986, 5.2.4 and 6.2.2). Kept for the graph names seen last: every quad names one.

    >>> normalise_iri("https://w3id.org/ndkg/graph/contributed/a/../../asserted")
    'https://w3id.org/ndkg/graph/asserted'
    """
    parts = urlsplit(iri)
    path = parts.path.replace("%2e", ".").replace("%2E", ".")
    kept: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "..":
            if len(kept) > 1:
                kept.pop()
            if last:
                kept.append("")
        elif segment == ".":
            if last:
                kept.append("")
        else:
            kept.append(segment)
    return urlunsplit(parts._replace(path="/".join(kept)))


def split(quads: Iterable[ox.Quad]) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """Split ``quads`` into those of the build and those of the contributed graphs."""
    release: list[ox.Quad] = []
    contributed: list[ox.Quad] = []
    for quad in quads:
        (contributed if is_contributed(quad.graph_name) else release).append(quad)
    return release, contributed


@dataclass(frozen=True)
class Generation:
    """One generation of the served store: where it is and what it holds."""

    path: Path
    build: str
    contributed: int

    def contributed_quads(self) -> list[ox.Quad]:
        """The quads of the contributed graphs of this generation."""
        return split(ox.Store.read_only(str(self.path)))[1]


def write_store(path: Path, quads: Iterable[ox.Quad]) -> None:
    """Write a new store at ``path`` holding ``quads``, and close it.

    :raises StoreError: if ``path`` exists or the store cannot be written.
    """
    if path.exists():
        raise StoreError(f"{path} exists already")
    try:
        store = ox.Store(str(path))
        store.bulk_extend(quads)
        store.flush()
        del store
    except OSError as exc:
        raise StoreError(f"cannot write the store {path}: {exc}") from exc


class Contributions:
    """The contributed data of the build folder ``home``."""

    def __init__(self, home: Path) -> None:
        self.root = Path(home).resolve() / CONTRIB_DIR
        self._resolved: tuple[tuple[int, int], Path] | None = None

    @property
    def stores(self) -> Path:
        """The folder holding every generation."""
        return self.root / STORES_DIR

    def current_path(self) -> Path | None:
        """The store of the current generation, or ``None`` if nothing was ever written.

        Asked on every query, so the link is resolved again only when it was replaced (each
        switch writes a new link: another inode and time).
        """
        link = self.root / CURRENT
        try:
            status = os.lstat(link)
        except FileNotFoundError:
            return None
        identity = (status.st_ino, status.st_mtime_ns)
        resolved = self._resolved
        if resolved is None or resolved[0] != identity:
            resolved = self._resolved = (identity, link.resolve())
        return resolved[1]

    def current(self) -> Generation | None:
        """The current generation, or ``None`` if nothing was ever written.

        :raises StoreError: if the current generation's description cannot be read.
        """
        path = self.current_path()
        if path is None:
            return None
        try:
            info = json.loads(lease_file(path).read_text())
            return Generation(path, str(info["build"]), int(info["contributed"]))
        except (OSError, ValueError, KeyError) as exc:
            raise StoreError(
                f"The current generation of contributed data, {path.name}, cannot be read: "
                "restore a backup (ndkg restore)."
            ) from exc

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the write lock of this folder (blocks until it is free)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / LOCK_FILE).open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def staging(self) -> Path:
        """A fresh path, not yet created, where a new generation can be written."""
        self.stores.mkdir(parents=True, exist_ok=True)
        return self.stores / f".staging-{uuid.uuid4().hex}"

    def publish(self, staged: Path, *, build: str, contributed: int) -> Generation:
        """Make the store written at ``staged`` the current generation (one atomic rename)."""
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        path = self.stores / name
        staged.rename(path)
        info = {"build": build, "contributed": contributed, "created": _now()}
        partial = path.with_name(path.name + ".json.partial")
        partial.write_text(json.dumps(info, indent=2) + "\n")
        partial.replace(lease_file(path))
        switch_link(self.root / CURRENT, path.relative_to(self.root))
        return Generation(path, build, contributed)

    def commit(self, quads: Iterable[ox.Quad], *, build: str, contributed: int) -> Generation:
        """Write ``quads`` as a new generation and make it current."""
        staged = self.staging()
        try:
            write_store(staged, quads)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        return self.publish(staged, build=build, contributed=contributed)

    def rebase(self, release: ox.Store, build: str) -> Generation | None:
        """Carry the contributed graphs over to the build ``build`` if the current generation
        was made on another one; return the current generation (``None`` if there is none)."""
        current = self.current()
        if current is None or current.build == build:
            return current
        contributed = current.contributed_quads()
        base, _ = split(release.quads_for_pattern(None, None, None, None))
        return self.commit([*base, *contributed], build=build, contributed=len(contributed))

    def generations(self) -> list[Path]:
        """Every published generation, oldest first."""
        if not self.stores.exists():
            return []
        return sorted(
            p for p in self.stores.iterdir()
            if p.is_dir() and not p.name.startswith(".") and lease_file(p).exists()
        )

    def prune(self) -> None:
        """Remove old generations: all but the current one, the :data:`KEEP` before it and
        those leased by a live process; and what interrupted writes left. Call it holding
        :meth:`lock`."""
        if not self.stores.exists():
            return
        generations = self.generations()
        current = self.current_path()
        index = generations.index(current) if current in generations else len(generations)
        kept = set(generations[max(index - KEEP, 0) : index + 1])
        if current is not None:
            kept.add(current)
        for path in list(self.stores.iterdir()):
            if path in kept or path.with_suffix("") in kept:
                continue
            if path.suffix == ".partial":
                path.unlink(missing_ok=True)
            elif path.suffix == ".json":
                if not path.with_suffix("").exists():  # its store was removed
                    path.unlink(missing_ok=True)
            elif not in_use(lease_file(path)):
                shutil.rmtree(path, ignore_errors=True)
                lease_file(path).unlink(missing_ok=True)


def switch_link(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` (relative to the link's folder) in one atomic rename."""
    temporary = link.with_name(f".{link.name}.{os.getpid()}")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    temporary.replace(link)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
