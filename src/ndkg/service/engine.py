"""The service's query engine: worker processes (:mod:`ndkg.querying.pool`) over the served store.

The served store is the current build's, or, once anything was written, the current generation
of contributed data, which holds the build's graphs too (:mod:`ndkg.storage.contributions`). The
engine starts with the service (or the first request that needs it), carries contributed data over
to a newer build as soon as it sees one (a rebuild or a restore while the service runs), and
makes writes one at a time (across processes too): each is tried in a worker, published as a
new generation, and served from the next job on. Every job first checks which build and which
generation are current, so processes serving the same folder see each other's writes.

Writers wait for their turn in the event loop (:meth:`Engine.write_async`), not in a server
thread, so that a crowd of writes cannot take the threads that queries need.

With a remote backend (``NDKG_BACKEND``) there is no local store: queries go to the endpoint
from the request's thread, under the endpoint's own time limit, with the same checks of their
text and the same row limit; graph reads and writes need the embedded store (503).

Answers are cached (:mod:`ndkg.service.answers`) under the served store and the job, since a
served store never changes; not with a remote backend, whose data may change at any time.

Named questions do not come here: they run in the server's threads on the build's store. Their
text is curated and checked when the graph is built (``SERVICE`` and ``LOAD`` are refused
there), and their parameters are bound as RDF terms, so the work they do is bounded by the
questions themselves.
"""

from __future__ import annotations

import functools
import shutil
import threading
from pathlib import Path
from typing import Annotated, Any

import anyio
from anyio import to_thread
from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response

from ndkg.errors import BusyError, StoreError
from ndkg.model.sources import SHAPES_DIR
from ndkg.querying.pool import Lanes, WorkerCounts, WorkerPool
from ndkg.querying.worker import (
    Formats,
    GraphJob,
    Kind,
    NotAcceptable,
    QueryJob,
    Reply,
    WriteJob,
    WriteReply,
    run,
)
from ndkg.service.answers import AnswerCache
from ndkg.service.deps import StoreSlot
from ndkg.service.negotiation import ASK_OFFERS, GRAPH_OFFERS, SELECT_OFFERS, Offer, negotiate
from ndkg.service.settings import ServiceSettings
from ndkg.storage.contributions import Contributions
from ndkg.storage.store import EmbeddedStore
from ndkg.storage.writes import Operation

TRUNCATED_HEADER = "X-NDKG-Truncated"
"""Response header sent when a result was cut off; its value is the row limit it was cut at."""

_EMBEDDED_ONLY = "The Graph Store Protocol and writes need the embedded store, not a backend."


class Engine:
    """Runs queries, graph reads and writes in worker processes, within the settings' limits."""

    def __init__(self, settings: ServiceSettings, slot: StoreSlot, answers: AnswerCache) -> None:
        self.settings = settings
        self.answers = answers
        self.contributions = Contributions(settings.home)
        self._slot = slot
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._turn: anyio.Lock | None = None
        self._writers = 0
        self._pool: WorkerPool | None = None
        self._release: EmbeddedStore | None = None

    def start(self) -> WorkerPool | None:
        """Start the workers on the served store, if they are not running yet; ``None`` with a
        remote backend.

        :raises StoreError: if there is no usable build.
        """
        if self._pool is not None:
            return self._pool
        with self._lock:
            if self._pool is None:
                store = self._slot.get()
                if not isinstance(store, EmbeddedStore):
                    return None
                self._adopt(store)
                settings = self.settings
                pool = WorkerPool(
                    size=settings.query_workers, queue=settings.query_queue,
                    lanes=Lanes(settings.quick_workers, settings.quick_seconds,
                                settings.client_long_queries),
                    memory=settings.worker_memory,
                )
                pool.start(self._served(store))
                self._pool = pool
            return self._pool

    def _adopt(self, store: EmbeddedStore) -> None:
        """Serve the build ``store``: carry the contributed data over to it (hold ``_lock``)."""
        with self.contributions.lock():
            self.contributions.rebase(store.store, store.path.parent.name)
            self.contributions.prune()
        self._release = store

    def workers(self) -> WorkerCounts | None:
        """The worker pool's counts; ``None`` before it starts or with a remote backend."""
        pool = self._pool
        return None if pool is None else pool.counts()

    def check(self) -> Path | None:
        """The store that queries are served from, after checking that it can be read;
        ``None`` with a remote backend.

        :raises StoreError: if there is no usable build, or the served store is gone.
        """
        current = self._pool_on_current()
        if current is None:
            return None
        served = current[1]
        try:
            manifest = (served / "CURRENT").read_text().strip()
            readable = bool(manifest) and (served / manifest).is_file()
        except OSError:
            readable = False
        if not readable:
            raise StoreError("The served store cannot be read.")
        return served

    def served(self) -> Path | None:
        """The store queries are served from now (the current generation of contributed data,
        or the build's store), a new build adopted first; ``None`` with a remote backend. A
        served store never changes: what is read from it can be kept under its path.

        :raises StoreError: if there is no usable build.
        """
        current = self._pool_on_current()
        return None if current is None else current[1]

    def close(self) -> None:
        """Stop the workers."""
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    def _served(self, release: EmbeddedStore) -> Path:
        """The store to serve: the current generation of contributed data, or the build's."""
        return self.contributions.current_path() or release.path

    def _pool_on_current(self) -> tuple[WorkerPool, Path] | None:
        """The workers, switched to the current store, and that store's path; ``None`` with a
        remote backend. A new build (``current`` moved) is adopted first."""
        pool = self.start()
        if pool is None:
            return None
        store = self._slot.get()
        # One thread adopts a new build; the others serve the one before meanwhile.
        if store is not self._release and self._lock.acquire(blocking=False):
            try:
                if store is not self._release:
                    assert isinstance(store, EmbeddedStore)
                    self._adopt(store)
            finally:
                self._lock.release()
        assert self._release is not None
        served = self._served(self._release)
        pool.switch(served)
        return pool, served

    def query(
        self, job: QueryJob | GraphJob, *, client: str | None = None
    ) -> Reply | NotAcceptable:
        """Run a query or read a graph within the query time limit (or recall its answer).

        :param client: who asks (an address), for the pool's fair share; ``None`` for callers
            not held to it.
        """
        current = self._pool_on_current()
        if current is None:
            if isinstance(job, GraphJob):
                raise StoreError(_EMBEDDED_ONLY)
            direct = run(self._slot.get().store, job)  # type: ignore[arg-type]
            assert isinstance(direct, Reply | NotAcceptable)
            return direct
        pool, served = current
        key = (served, job)
        cacheable = not (isinstance(job, QueryJob) and job.volatile)
        if cacheable and (cached := self.answers.get(key)) is not None:
            return cached
        reply = pool.run(
            job, timeout=self.settings.query_timeout, limit="NDKG_QUERY_TIMEOUT", client=client
        )
        assert isinstance(reply, Reply | NotAcceptable)
        if cacheable and isinstance(reply, Reply):
            self.answers.put(key, reply)
        return reply

    async def write_async(self, operation: Operation) -> WriteReply:
        """:meth:`write`, for the event loop: the writer waits for its turn there, holding no
        server thread, and at most ``NDKG_WRITE_QUEUE`` writers wait.

        :raises BusyError: if too many writers wait, or the turn does not come in time.
        """
        if self._turn is None:
            self._turn = anyio.Lock()
        if self._writers >= self.settings.write_queue:
            raise BusyError(
                f"{self._writers} writes are waiting already (NDKG_WRITE_QUEUE): try again "
                "shortly.", 1,
            )
        self._writers += 1
        try:
            with anyio.move_on_after(self.settings.write_timeout) as waited:
                await self._turn.acquire()
        finally:
            self._writers -= 1
        if waited.cancelled_caught:
            raise BusyError("Another write is still in progress: try again shortly.", 1)
        try:
            return await to_thread.run_sync(self.write, operation)
        finally:
            self._turn.release()

    def write(self, operation: Operation) -> WriteReply:
        """Try ``operation`` in a worker; if it is valid and changes anything, publish it.

        Writes are made one at a time, across processes serving the same folder too.

        :raises ValidationError: if the result would break a SHACL shape (nothing changes).
        :raises ConflictError: if it would copy triples of the build into contributed graphs.
        :raises ForbiddenError: if it would change a graph of the build.
        :raises BusyError: if another write holds the store for longer than the time limit.
        """
        current = self._pool_on_current()  # adopts a new build: not under the write lock
        if current is None:
            raise StoreError(_EMBEDDED_ONLY)
        timeout = self.settings.write_timeout
        if not self._write_lock.acquire(timeout=timeout):
            raise BusyError("Another write is still in progress: try again shortly.", 1)
        try:
            with self.contributions.lock():
                return self._write(current[0], operation, timeout)
        finally:
            self._write_lock.release()

    def _write(self, pool: WorkerPool, operation: Operation, timeout: float) -> WriteReply:
        """Write on the latest generation (another process may have made it); hold the lock."""
        assert self._release is not None
        pool.switch(self._served(self._release))
        shapes = self._shapes()
        staging = self.contributions.staging()
        try:
            reply = pool.run(
                WriteJob(operation, shapes, str(staging)), timeout=timeout,
                limit="NDKG_WRITE_TIMEOUT",
            )
            assert isinstance(reply, WriteReply)
            if reply.changed:
                generation = self.contributions.publish(
                    staging, build=self._release.path.parent.name, contributed=reply.contributed
                )
                pool.switch(generation.path)
                self.contributions.prune()
            return reply
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _shapes(self) -> tuple[str, ...]:
        """The SHACL shapes that writes are checked with.

        :raises StoreError: if there are none.
        """
        assert self._release is not None
        folder = self.settings.shapes or self._release.path.parent / SHAPES_DIR
        paths = [folder] if folder.is_file() else sorted(Path(folder).glob("*.ttl"))
        if not paths:
            raise StoreError(
                f"Writes need SHACL shapes, and {folder.name} holds none: rebuild, or set "
                "NDKG_SHAPES."
            )
        return tuple(str(path) for path in paths)

def get_engine(request: Request) -> Engine:
    """The application's engine."""
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]


_OFFERS: dict[Kind, tuple[Offer[Any], ...]] = {
    "solutions": SELECT_OFFERS,
    "boolean": ASK_OFFERS,
    "graph": GRAPH_OFFERS,
}


@functools.lru_cache(maxsize=256)
def formats(accept: str | None) -> Formats:
    """The media type that best fits ``accept`` for each kind of result (memoised: clients
    send the same few headers)."""
    chosen = {kind: negotiate(accept, offers) for kind, offers in _OFFERS.items()}
    return Formats(**{kind: offer.media_type if offer else None for kind, offer in chosen.items()})


def not_acceptable(kind: Kind) -> HTTPException:
    """The 406 for a result of ``kind`` that no format on offer fits."""
    types = ", ".join(offer.media_type for offer in _OFFERS[kind])
    return HTTPException(406, f"Not acceptable: this result can be sent as {types}.")


def respond(reply: Reply | NotAcceptable, *, max_rows: int) -> Response:
    """The HTTP response for a worker's reply; a result cut off at ``max_rows`` says so in
    :data:`TRUNCATED_HEADER`.

    :raises HTTPException: 406 if no offered format fits the request.
    """
    if isinstance(reply, NotAcceptable):
        if reply.detail is not None:
            raise HTTPException(406, reply.detail)
        raise not_acceptable(reply.kind)
    headers = {"Vary": "Accept"}
    if reply.truncated:
        headers[TRUNCATED_HEADER] = str(max_rows)
    return Response(reply.body, media_type=reply.media_type, headers=headers)
