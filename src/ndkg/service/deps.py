"""Typed dependencies shared by the routers: the store of the application and its version.

Tests and embedders replace them with ``app.dependency_overrides[get_store] = ...``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from ndkg.store import SPARQL_SCHEME, Store, open_store

VERSION_HEADER = "X-NDKG-Version"
"""Response header that names the version of the graph that answered."""


class StoreSlot:
    """The store of one application: given up front, or opened on first use.

    With a ``backend`` (a SPARQL endpoint's URL), the store is the graph published there
    (:class:`ndkg.remote.RemoteStore`), served with the named questions of the build in
    ``home``; otherwise it is the embedded store of that build. Opening is guarded by a lock,
    so concurrent first requests open the store once.
    """

    def __init__(
        self, home: Path, store: Store | None = None, *, backend: str | None = None
    ) -> None:
        self._home = home
        self._store = store
        self._backend = backend
        self._lock = threading.Lock()

    def get(self) -> Store:
        """The store, opened read-only from ``home`` (or ``backend``) if it is not open yet.

        :raises StoreError: if there is no usable build in ``home``, or the backend cannot be
            reached or holds no published graph.
        """
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = (
                        open_store(SPARQL_SCHEME + self._backend, home=self._home)
                        if self._backend else open_store(self._home)
                    )
        return self._store

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
