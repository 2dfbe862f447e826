"""A pool of worker processes that run the service's SPARQL, so that any query can be stopped.

pyoxigraph cannot cancel a query from Python, and some inputs crash it (a stack overflow ends
the process without a Python exception). So queries run in separate processes
(:mod:`ndkg.querying.worker`), each holding the served store open read-only:

- a job that outlives its time limit is stopped by killing its worker (``SIGKILL``), and the
  caller gets :class:`~ndkg.errors.QueryTimeoutError`;
- a worker has an address-space limit (``RLIMIT_AS``): a job that needs more memory ends its
  worker, and the caller gets :class:`~ndkg.errors.MemoryLimitError`;
- a worker that dies on a job is noticed at once, and the caller gets
  :class:`~ndkg.errors.EngineError`; one that died while idle is found before it is handed a
  job;
- either way the worker is replaced at once by a *standby*, a worker started beforehand and
  kept ready, and a new standby is started in the background;
- a job waits for a free worker as long as its own time limit at most, and when ``queue``
  jobs are waiting already the next one is refused at once with
  :class:`~ndkg.errors.BusyError` (503 with ``Retry-After``).

**A fair share.** The pool has ``size`` workers for long jobs and ``quick_workers`` more. A
job of a client that is still running after ``quick_seconds`` becomes *long*: at most ``size``
long jobs run at once, and at most ``long_per_client`` of one client. A job that would go
beyond either is stopped there (503 with ``Retry-After``), having cost ``quick_seconds``. So
``quick_workers`` workers are always left for jobs that finish quickly, however many
expensive queries clients send. Jobs without a client (writes) are not counted.

Workers are new Python processes (``python -c``, talking over a socket pair): a fork of the
threaded server could inherit held locks, and multiprocessing's ``spawn`` would run the server's
main script again in every worker.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from ndkg.errors import BusyError, EngineError, MemoryLimitError, QueryTimeoutError, StoreError
from ndkg.querying.worker import READY, Failure, Job

logger = logging.getLogger(__name__)

START_TIMEOUT = 60.0
"""Seconds a new worker may take to start (it imports ndkg)."""
RETRY_AFTER = 1
"""Seconds a client refused for lack of a free worker is asked to wait."""
_OUT_OF_MEMORY = (b"memory allocation of", b"MemoryError", b"cannot allocate memory")
"""What a worker writes on its standard error when an allocation fails."""

_START = (
    "import sys; from ndkg.querying.worker import serve_fd;"
    " serve_fd(int(sys.argv[1]), int(sys.argv[2]))"
)


@dataclass(frozen=True)
class Lanes:
    """How a pool shares its workers between long and quick jobs (see the module's text)."""

    quick_workers: int = 1
    quick_seconds: float = 0.5
    long_per_client: int = 1


class _Worker:
    """One worker process and the parent's end of the connection to it. What it writes on its
    standard error is passed on to the server's, and ``out_of_memory`` notes an allocation
    that failed."""

    def __init__(self, memory: int) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _START, str(theirs.fileno()), str(memory)],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        self.conn = Connection(ours.detach())
        self.path: str | None = None
        self.out_of_memory = False
        self._reader = threading.Thread(target=self._read_errors, daemon=True,
                                        name="ndkg-worker-stderr")
        self._reader.start()

    def _read_errors(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            if any(mark in line for mark in _OUT_OF_MEMORY):
                self.out_of_memory = True
            with contextlib.suppress(ValueError, OSError):  # the server's stderr is closed
                sys.stderr.write(line.decode(errors="replace"))

    def wait_ready(self, timeout: float) -> bool:
        """Whether the worker said it is ready within ``timeout`` seconds."""
        try:
            return self.conn.poll(timeout) and self.conn.recv() == READY
        except (EOFError, OSError):
            return False

    def alive(self) -> bool:
        """Whether an idle worker is still there (a dead one's connection reads as closed)."""
        try:
            return self.process.poll() is None and not self.conn.poll(0)
        except OSError:
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
        self._reader.join(timeout=2)
        if not self._reader.is_alive() and self.process.stderr is not None:
            self.process.stderr.close()


@dataclass(frozen=True)
class WorkerCounts:
    """A snapshot of a pool: its configured size, the workers running, those idle, and the
    long jobs running."""

    size: int
    running: int
    idle: int
    long: int = 0


class _LaneFullError(Exception):
    """A job became long while the long lane, or its client's share of it, was full."""


class WorkerPool:
    """``size`` worker processes for long jobs and ``lanes.quick_workers`` more, serving the
    store at one path, which :meth:`switch` changes; ``memory`` bytes of address space each
    (0: no limit)."""

    def __init__(
        self, *, size: int, queue: int, lanes: Lanes | None = None, memory: int = 0
    ) -> None:
        self.size = size
        self.queue = queue
        self.lanes = lanes or Lanes()
        self.memory = memory
        self._condition = threading.Condition()
        self._idle: list[_Worker] = []
        self._workers: set[_Worker] = set()
        self._waiting = 0
        self._long: Counter[str] = Counter()
        self._path: str | None = None
        self._standby: _Worker | None = None
        self._closed = False

    @property
    def total(self) -> int:
        """How many workers the pool keeps running."""
        return self.size + self.lanes.quick_workers

    def start(self, path: Path) -> None:
        """Start the workers on the store at ``path`` and wait until they are ready.

        :raises StoreError: if a worker does not start.
        """
        self._path = str(path)
        workers = [_Worker(self.memory) for _ in range(self.total + 1)]
        for worker in workers:
            if not worker.wait_ready(START_TIMEOUT):
                for other in workers:
                    other.stop(kill=True)
                raise StoreError("a query worker did not start")
        with self._condition:
            self._standby = workers.pop()
            self._workers.update(workers)
            self._idle.extend(workers)
            self._condition.notify_all()

    def switch(self, path: Path) -> None:
        """Serve the store at ``path`` from the next job on (each worker reopens it)."""
        with self._condition:
            self._path = str(path)

    def counts(self) -> WorkerCounts:
        """How many workers there should be, are running, and are idle right now (a worker
        that died while idle is replaced first)."""
        with self._condition:
            for worker in [w for w in self._idle if not w.alive()]:
                self._drop_dead(worker)
            return WorkerCounts(
                size=self.total, running=len(self._workers), idle=len(self._idle),
                long=sum(self._long.values()),
            )

    def run(
        self, job: Job, *, timeout: float, limit: str, client: str | None = None
    ) -> object:
        """Run ``job`` on a free worker within ``timeout`` seconds; return its reply.

        :param limit: the setting that gives ``timeout``, named in the error.
        :param client: who asks (an address); ``None`` for jobs not held to the lanes.
        :raises BusyError: if no worker frees up in time, too many jobs are waiting, or the
            job became long while the long lane (or the client's share) was full.
        :raises QueryTimeoutError: if the job ran out of time (its worker was killed).
        :raises MemoryLimitError: if the job needed more memory than a worker may use.
        :raises EngineError: if the worker died on the job.
        :raises NdkgError: the error the job raised in the worker.
        """
        worker = self._acquire(timeout)
        deadline = time.monotonic() + timeout
        try:
            worker.conn.send((self._path, job))
            worker.path = self._path
            if not self._wait(worker, deadline, client):
                self._replace(worker)
                raise QueryTimeoutError(
                    f"The request ran longer than the time limit of {timeout:g} s ({limit}) "
                    "and was stopped."
                )
            reply = worker.conn.recv()
        except _LaneFullError:
            self._replace(worker)
            raise BusyError(
                f"{self.size} long queries are running already (NDKG_QUERY_WORKERS), or "
                f"{self.lanes.long_per_client} of yours (NDKG_CLIENT_LONG_QUERIES): this one "
                f"was stopped after {self.lanes.quick_seconds:g} s (NDKG_QUICK_SECONDS). "
                "Try again shortly.",
                RETRY_AFTER,
            ) from None
        except (EOFError, OSError) as exc:
            self._replace(worker)
            if self.memory and worker.out_of_memory:
                raise MemoryLimitError(
                    f"The request needed more memory than the limit of {self.memory} bytes "
                    "(NDKG_WORKER_MEMORY) and was stopped."
                ) from exc
            raise EngineError(
                "The query engine stopped while working on this request; it has been restarted."
            ) from exc
        self._release(worker)
        if isinstance(reply, Failure):
            raise reply.error()
        return reply

    def _wait(self, worker: _Worker, deadline: float, client: str | None) -> bool:
        """Wait for the job's reply until ``deadline``; whether it came.

        :raises _LaneFullError: if the job becomes long and may not.
        """
        remaining = deadline - time.monotonic()
        if client is None:
            return worker.conn.poll(max(remaining, 0))
        if worker.conn.poll(max(min(self.lanes.quick_seconds, remaining), 0)):
            return True
        with self._condition:
            if (sum(self._long.values()) >= self.size
                    or self._long[client] >= self.lanes.long_per_client):
                raise _LaneFullError
            self._long[client] += 1
        try:
            return worker.conn.poll(max(deadline - time.monotonic(), 0))
        finally:
            with self._condition:
                self._long[client] -= 1
                if not self._long[client]:
                    del self._long[client]

    def _acquire(self, timeout: float) -> _Worker:
        deadline = time.monotonic() + timeout
        with self._condition:
            if not self._idle and self._waiting >= self.queue:
                raise BusyError(
                    f"All {self.total} query workers are busy and {self._waiting} requests are "
                    "waiting (NDKG_QUERY_WORKERS, NDKG_QUICK_WORKERS, NDKG_QUERY_QUEUE): try "
                    "again shortly.",
                    RETRY_AFTER,
                )
            self._waiting += 1
            try:
                while True:
                    while not self._idle:
                        remaining = deadline - time.monotonic()
                        if self._closed or remaining <= 0:
                            raise BusyError(
                                f"No query worker became free within {timeout:g} s: try again "
                                "shortly.",
                                RETRY_AFTER,
                            )
                        self._condition.wait(remaining)
                    worker = self._idle.pop()
                    if worker.alive():
                        return worker
                    self._drop_dead(worker)
            finally:
                self._waiting -= 1

    def _drop_dead(self, worker: _Worker) -> None:
        """Forget an idle worker found dead, and start another (hold the condition)."""
        if worker in self._idle:
            self._idle.remove(worker)
        self._workers.discard(worker)
        logger.warning("a query worker had died while idle (exit %s); replacing it",
                       worker.process.poll())
        threading.Thread(target=worker.stop, kwargs={"kill": True}, daemon=True).start()
        self._take_standby()

    def _release(self, worker: _Worker) -> None:
        with self._condition:
            self._idle.append(worker)
            self._condition.notify()

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now, and put the standby in its place."""
        with self._condition:
            self._workers.discard(worker)
            self._take_standby()
        worker.stop(kill=True)

    def _take_standby(self) -> None:
        """Put the standby among the workers, if it is ready, and start a new one in the
        background (hold the condition)."""
        standby, self._standby = self._standby, None
        if standby is not None and standby.alive():
            self._workers.add(standby)
            self._idle.append(standby)
            self._condition.notify()
        elif standby is not None:
            threading.Thread(target=standby.stop, kwargs={"kill": True}, daemon=True).start()
        threading.Thread(target=self._add_worker, name="ndkg-worker-start", daemon=True).start()

    def _add_worker(self) -> None:
        """Start a worker: it joins the others if one is missing, or else becomes the
        standby."""
        for _ in range(3):
            if self._closed:
                return
            worker = _Worker(self.memory)
            if not worker.wait_ready(START_TIMEOUT):
                worker.stop(kill=True)
                continue
            with self._condition:
                if not self._closed and len(self._workers) < self.total:
                    self._workers.add(worker)
                    self._idle.append(worker)
                    self._condition.notify()
                    return
                if not self._closed and self._standby is None:
                    self._standby = worker
                    return
            worker.stop(kill=True)
            return
        logger.error("a query worker could not be started; %d run", len(self._workers))

    def close(self) -> None:
        """Stop every worker."""
        with self._condition:
            self._closed = True
            workers = list(self._workers)
            idle = set(self._idle)
            if self._standby is not None:
                workers.append(self._standby)
                idle.add(self._standby)
                self._standby = None
            self._workers.clear()
            self._idle.clear()
            self._condition.notify_all()
        for worker in workers:
            worker.stop(kill=worker not in idle)
