"""Leases: which stores a live process serves, so that no prune removes them.

A process that serves a store holds a shared ``flock`` on a file that goes with it (a build's
``build.json``, a generation's ``.json``: :func:`lease_file`). A prune asks :func:`in_use`,
which tries to take the same lock exclusively without waiting: it fails while any process,
this one included, holds a lease. The kernel drops a lease when its process dies, even by
``kill -9``, so a crashed server never pins a store for ever.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "build.json").write_text("{}")
2
>>> in_use(folder / "build.json")
False
>>> lease = Lease.hold(folder / "build.json")
>>> in_use(folder / "build.json")
True
>>> lease.release()
>>> in_use(folder / "build.json")
False
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from ndkg.storage.store import BUILD_INFO, STORE_DIR


def lease_file(store: Path) -> Path:
    """The file whose lock leases the store folder ``store``: ``build.json`` beside a build's
    ``store/``, ``<generation>.json`` beside a generation of contributed data."""
    store = Path(store)
    if store.name == STORE_DIR:
        return store.parent / BUILD_INFO
    return store.with_name(store.name + ".json")


class Lease:
    """A shared lock on a lease file, held until :meth:`release` or the process ends."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    @classmethod
    def hold(cls, path: Path) -> Lease:
        """Lease ``path``.

        :raises FileNotFoundError: if ``path`` is gone (its store was removed).
        """
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        fcntl.flock(fd, fcntl.LOCK_SH)
        return cls(fd, Path(path))

    def release(self) -> None:
        """Give the lease up (closing the file drops the lock)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def in_use(path: Path) -> bool:
    """Whether any process holds a lease on ``path`` (``False`` if it does not exist)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
