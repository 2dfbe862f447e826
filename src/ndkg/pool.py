"""A pool of worker processes that run the service's SPARQL, so that any query can be stopped.

pyoxigraph cannot cancel a query from Python, and some inputs crash it (a stack overflow ends
the process without a Python exception). So queries run in separate processes
(:mod:`ndkg.worker`), each holding the served store open read-only:

- a job that outlives its time limit is stopped by killing its worker (``SIGKILL``), and the
  caller gets :class:`~ndkg.errors.QueryTimeoutError`;
- a worker that dies on a job is noticed at once, and the caller gets
  :class:`~ndkg.errors.EngineError`;
- either way the worker is replaced in the background while the others go on serving;
- a job waits for a free worker as long as its own time limit at most, and when ``queue``
  jobs are waiting already the next one is refused at once with
  :class:`~ndkg.errors.BusyError` (503 with ``Retry-After``).

Workers are new Python processes (``python -c``, talking over a socket pair): a fork of the
threaded server could inherit held locks, and multiprocessing's ``spawn`` would run the server's
main script again in every worker.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from ndkg.errors import BusyError, EngineError, QueryTimeoutError, StoreError
from ndkg.worker import READY, Failure, Job

logger = logging.getLogger(__name__)

START_TIMEOUT = 60.0
"""Seconds a new worker may take to start (it imports ndkg)."""
RETRY_AFTER = 1
"""Seconds a client refused for lack of a free worker is asked to wait."""


_START = "import sys; from ndkg.worker import serve_fd; serve_fd(int(sys.argv[1]))"


class _Worker:
    """One worker process and the parent's end of the connection to it."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _START, str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
            )
        self.conn = Connection(ours.detach())
        self.path: str | None = None

    def wait_ready(self, timeout: float) -> bool:
        """Whether the worker said it is ready within ``timeout`` seconds."""
        try:
            return self.conn.poll(timeout) and self.conn.recv() == READY
        except (EOFError, OSError):
            return False

    def stop(self, *, kill: bool) -> None:
        """Ask the worker to leave (or kill it), and wait for it."""
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                kill = True
            else:
                try:
                    self.process.wait(2)
                except subprocess.TimeoutExpired:
                    kill = True
        if kill:
            self.process.kill()
            self.process.wait()
        self.conn.close()


@dataclass(frozen=True)
class WorkerCounts:
    """A snapshot of a pool: its configured size, the workers running, and those idle."""

    size: int
    running: int
    idle: int


class WorkerPool:
    """``size`` worker processes serving the store at one path, which :meth:`switch` changes."""

    def __init__(self, *, size: int, queue: int) -> None:
        self.size = size
        self.queue = queue
        self._condition = threading.Condition()
        self._idle: list[_Worker] = []
        self._workers: set[_Worker] = set()
        self._waiting = 0
        self._path: str | None = None
        self._closed = False

    def start(self, path: Path) -> None:
        """Start the workers on the store at ``path`` and wait until they are ready.

        :raises StoreError: if a worker does not start.
        """
        self._path = str(path)
        workers = [_Worker() for _ in range(self.size)]
        for worker in workers:
            if not worker.wait_ready(START_TIMEOUT):
                for other in workers:
                    other.stop(kill=True)
                raise StoreError("a query worker did not start")
        with self._condition:
            self._workers.update(workers)
            self._idle.extend(workers)
            self._condition.notify_all()

    def switch(self, path: Path) -> None:
        """Serve the store at ``path`` from the next job on (each worker reopens it)."""
        with self._condition:
            self._path = str(path)

    def counts(self) -> WorkerCounts:
        """How many workers there should be, are running, and are idle right now."""
        with self._condition:
            return WorkerCounts(size=self.size, running=len(self._workers), idle=len(self._idle))

    def paths_in_use(self) -> set[Path]:
        """The stores that workers hold open, and the one they serve."""
        with self._condition:
            paths = {w.path for w in self._workers} | {self._path}
        return {Path(p) for p in paths if p is not None}

    def run(self, job: Job, *, timeout: float, limit: str) -> object:
        """Run ``job`` on a free worker within ``timeout`` seconds; return its reply.

        :param limit: the setting that gives ``timeout``, named in the error.
        :raises BusyError: if no worker frees up in time, or too many jobs are waiting.
        :raises QueryTimeoutError: if the job ran out of time (its worker was killed).
        :raises EngineError: if the worker died on the job.
        :raises NdkgError: the error the job raised in the worker.
        """
        worker = self._acquire(timeout)
        try:
            worker.conn.send((self._path, job))
            worker.path = self._path
            if not worker.conn.poll(timeout):
                self._replace(worker)
                raise QueryTimeoutError(
                    f"The request ran longer than the time limit of {timeout:g} s ({limit}) "
                    "and was stopped."
                )
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise EngineError(
                "The query engine stopped while working on this request; it has been restarted."
            ) from exc
        self._release(worker)
        if isinstance(reply, Failure):
            raise reply.error()
        return reply

    def _acquire(self, timeout: float) -> _Worker:
        deadline = time.monotonic() + timeout
        with self._condition:
            if not self._idle and self._waiting >= self.queue:
                raise BusyError(
                    f"All {self.size} query workers are busy and {self._waiting} requests are "
                    "waiting (NDKG_QUERY_WORKERS, NDKG_QUERY_QUEUE): try again shortly.",
                    RETRY_AFTER,
                )
            self._waiting += 1
            try:
                while not self._idle:
                    remaining = deadline - time.monotonic()
                    if self._closed or remaining <= 0:
                        raise BusyError(
                            f"No query worker became free within {timeout:g} s: try again "
                            "shortly.",
                            RETRY_AFTER,
                        )
                    self._condition.wait(remaining)
                return self._idle.pop()
            finally:
                self._waiting -= 1

    def _release(self, worker: _Worker) -> None:
        with self._condition:
            self._idle.append(worker)
            self._condition.notify()

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now; start another in the background."""
        with self._condition:
            self._workers.discard(worker)
        worker.stop(kill=True)
        threading.Thread(target=self._add_worker, name="ndkg-worker-start", daemon=True).start()

    def _add_worker(self) -> None:
        for _ in range(3):
            if self._closed:
                return
            worker = _Worker()
            if worker.wait_ready(START_TIMEOUT):
                with self._condition:
                    if not self._closed:
                        self._workers.add(worker)
                        self._idle.append(worker)
                        self._condition.notify()
                        return
            worker.stop(kill=True)
        logger.error("a query worker could not be replaced; %d remain", len(self._workers))

    def close(self) -> None:
        """Stop every worker."""
        with self._condition:
            self._closed = True
            workers = list(self._workers)
            idle = set(self._idle)
            self._workers.clear()
            self._idle.clear()
            self._condition.notify_all()
        for worker in workers:
            worker.stop(kill=worker not in idle)

