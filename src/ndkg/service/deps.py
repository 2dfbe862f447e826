"""Typed dependencies shared by the routers: the store of the application and its version.

Tests and embedders replace them with ``app.dependency_overrides[get_store] = ...``.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from ndkg.errors import StoreError
from ndkg.storage.leases import Lease, lease_file
from ndkg.storage.store import CURRENT, SPARQL_SCHEME, Store, open_store

VERSION_HEADER = "X-NDKG-Version"
"""Response header that names the version of the graph that answered."""


class StoreSlot:
    """The store of one application: given up front, or opened on first use.

    With a ``backend`` (a SPARQL endpoint's URL), the store is the graph published there
    (:class:`ndkg.storage.remote.RemoteStore`), served with the named questions of the build in
    ``home``; otherwise it is the embedded store of that build. Opening is guarded by a lock,
    so concurrent first requests open the store once.

    The embedded store follows ``home/current``: when a build or a restore moves the link, the
    next call opens the new build. The slot leases the build it serves, and the one before for
    requests still running on it (:mod:`ndkg.storage.leases`), so that no rebuild removes them.
    """

    def __init__(
        self, home: Path, store: Store | None = None, *, backend: str | None = None
    ) -> None:
        self._home = Path(home)
        self._store = store
        self._follow = store is None and backend is None
        self._backend = backend
        self._lock = threading.Lock()
        self._link: tuple[int, int] | None = None
        self._leases: list[Lease] = []

    def get(self) -> Store:
        """The store, opened read-only from ``home`` (or ``backend``) if it is not open yet,
        or again if ``home/current`` has moved.

        :raises StoreError: if there is no usable build in ``home``, or the backend cannot be
            reached or holds no published graph.
        """
        if self._follow:
            link = self._link_identity()
            if self._store is None or (link is not None and link != self._link):
                with self._lock:
                    if self._store is None or link != self._link:
                        self._open(link)
        elif self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = open_store(SPARQL_SCHEME + str(self._backend), home=self._home)
        assert self._store is not None
        return self._store

    def _link_identity(self) -> tuple[int, int] | None:
        try:
            status = os.lstat(self._home / CURRENT)
        except FileNotFoundError:
            return None
        return status.st_ino, status.st_mtime_ns

    def _open(self, link: tuple[int, int] | None) -> None:
        store = open_store(self._home)
        try:
            lease = Lease.hold(lease_file(store.path))
        except FileNotFoundError as exc:
            raise StoreError("The build was removed while it was being opened.") from exc
        self._store, self._link = store, link
        self._leases.append(lease)
        while len(self._leases) > 2:
            self._leases.pop(0).release()

    @property
    def version(self) -> str | None:
        """The graph version, once the store is open."""
        return None if self._store is None else self._store.version


def get_store(request: Request) -> Store:
    """The application's store (a plain function: opening it may block).

    :raises StoreError: if it cannot be opened (answered with 503).
    """
    slot: StoreSlot = request.app.state.store_slot
    return slot.get()


def graph_version(request: Request) -> str:
    """The version of the graph being served, or ``unknown`` while no store is open."""
    slot: StoreSlot = request.app.state.store_slot
    return slot.version or "unknown"


StoreDep = Annotated[Store, Depends(get_store)]
