"""What a query worker process does: open the served store read-only, run the jobs it is sent
and send back the serialised results.

:class:`~ndkg.querying.pool.WorkerPool` starts each worker with :func:`serve_fd` and sends it
``(store path, job)`` pairs. A job says which media type to answer with for each kind of result
(the caller has negotiated them); results are written in the worker, so only bytes come back.
Errors come back as a :class:`Failure` that names the error type. A worker leaves when its
connection closes or when its parent process is gone.
"""

from __future__ import annotations

import functools
import json
import os
import resource
import threading
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyoxigraph as ox

from ndkg import errors
from ndkg.errors import (
    EngineError,
    GraphNotFoundError,
    MemoryLimitError,
    NdkgError,
    QueryError,
    StoreError,
    ValidationError,
)
from ndkg.querying.guard import check_outbound
from ndkg.storage.contributions import split, write_store
from ndkg.storage.leases import Lease, lease_file
from ndkg.vocab import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph

    from ndkg.storage.writes import Operation

READY = "ready"
"""What a worker sends once it can take jobs."""

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


Kind = Literal["solutions", "boolean", "graph"]
"""The kinds of result: SELECT, ASK, and CONSTRUCT or DESCRIBE (or a graph read whole)."""


@dataclass(frozen=True)
class Formats:
    """The media type to answer with for each kind of result; ``None`` when none is acceptable.

    Each is one that pyoxigraph writes (``QueryResultsFormat.from_media_type`` or
    ``RdfFormat.from_media_type`` knows it).
    """

    solutions: str | None = "application/sparql-results+json"
    boolean: str | None = "application/sparql-results+json"
    graph: str | None = "text/turtle"


@dataclass(frozen=True)
class QueryJob:
    """A SPARQL query and how to answer it.

    ``dataset`` holds the protocol's ``(default-graph-uri, named-graph-uri)`` when the request
    names graphs; otherwise ``union`` says whether the default graph is the union of the named
    graphs (it is unless the query has its own ``FROM``). A ``volatile`` query's answer may
    change from one run to the next (``RAND()``, ``NOW()``, ``SERVICE`` ...): it is not cached.
    """

    text: str
    formats: Formats
    base_iri: str
    max_rows: int
    allowlist: tuple[str, ...] = ()
    dataset: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    union: bool = True
    volatile: bool = False


@dataclass(frozen=True)
class GraphJob:
    """The triples of one graph, for the Graph Store Protocol's ``GET``."""

    graph: str
    media_type: str
    max_rows: int


@dataclass(frozen=True)
class WriteJob:
    """A write, tried on a copy and checked with the shapes in ``shapes`` (Turtle files); if it
    changes anything, the new store is written at ``staging``."""

    operation: Operation
    shapes: tuple[str, ...]
    staging: str


Job = QueryJob | GraphJob | WriteJob


@dataclass(frozen=True)
class Reply:
    """A result: its media type, its bytes, and whether rows were cut off at the limit."""

    media_type: str
    body: bytes
    truncated: bool = False


@dataclass(frozen=True)
class WriteReply:
    """What a write did: the number of contributed quads it leaves, whether its target graph is
    new, and whether anything changed (then a new store was written)."""

    contributed: int
    created: bool
    changed: bool


@dataclass(frozen=True)
class NotAcceptable:
    """The result is of a kind for which no format fits the request, or it holds what the
    format chosen cannot write (``detail`` says what)."""

    kind: Kind
    detail: str | None = None


@dataclass(frozen=True)
class Failure:
    """An ndkg error raised in the worker: its type's name and what rebuilds it."""

    kind: str
    args: tuple[Any, ...]

    @classmethod
    def of(cls, error: NdkgError) -> Failure:
        """Describe ``error``."""
        if isinstance(error, ValidationError):
            return cls(type(error).__name__, (str(error), error.report_turtle, error.violations))
        return cls(type(error).__name__, (str(error),))

    def error(self) -> NdkgError:
        """The error again, in the parent process."""
        cls = getattr(errors, self.kind)
        assert issubclass(cls, NdkgError)
        error: NdkgError = cls(*self.args)
        return error


def serve_fd(fd: int, memory: int = 0) -> None:
    """Serve the connection on the socket ``fd`` (how the pool starts a worker), within
    ``memory`` bytes of address space (0: no limit)."""
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    serve(Connection(fd))


def serve(conn: Connection) -> None:
    """Run jobs from ``conn`` until it closes or the parent process goes away.

    The worker leases the store it has open (:mod:`ndkg.storage.leases`), so no prune removes it.
    """
    _leave_with_parent(os.getppid())
    opened: tuple[str, ox.Store, Lease] | None = None
    conn.send(READY)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        path, job = message
        try:
            if opened is None or opened[0] != path:
                if opened is not None:  # close the old store before opening the new one
                    opened[2].release()
                    opened = None
                lease = Lease.hold(lease_file(Path(path)))
                opened = (path, ox.Store.read_only(path), lease)
            reply: object = run(opened[1], job)
        except NdkgError as exc:
            reply = Failure.of(exc)
        except OSError:
            reply = Failure.of(StoreError("The store cannot be read."))
        except MemoryError:
            reply = Failure.of(MemoryLimitError(
                "The request needed more memory than a query worker may use "
                "(NDKG_WORKER_MEMORY) and was stopped."
            ))
        except Exception:  # a bug: said on stderr, answered as one, and the worker goes on
            traceback.print_exc()
            reply = Failure.of(EngineError("The query engine failed on this request."))
        conn.send(reply)


def _leave_with_parent(parent: int) -> None:
    """Exit as soon as the parent process is gone, even in the middle of a query (pyoxigraph
    releases the GIL while it works, so this thread keeps running)."""

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="ndkg-parent-watch").start()


def run(store: ox.Store, job: Job) -> Reply | WriteReply | NotAcceptable:
    """Run ``job`` on ``store``.

    :raises NdkgError: if the job is refused or fails.
    """
    if isinstance(job, QueryJob):
        return _query(store, job)
    if isinstance(job, GraphJob):
        return _graph(store, job)
    return _write(store, job)


def _query(store: ox.Store, job: QueryJob) -> Reply | NotAcceptable:
    check_outbound(job.text, allowlist=job.allowlist, base_iri=job.base_iri, prefixes=PREFIXES)
    options: dict[str, Any] = {"base_iri": job.base_iri, "prefixes": PREFIXES}
    if job.dataset is not None:
        options["default_graph"] = [ox.NamedNode(iri) for iri in job.dataset[0]]
        options["named_graphs"] = [ox.NamedNode(iri) for iri in job.dataset[1]]
    elif job.union:
        options["use_default_graph_as_union"] = True
    try:
        result = store.query(job.text, **options)
    except SyntaxError as exc:
        raise QueryError(f"Malformed query: {exc}") from exc
    if isinstance(result, ox.QueryBoolean):
        if job.formats.boolean is None:
            return NotAcceptable("boolean")
        answer = result.serialize(format=_results(job.formats.boolean))
        return Reply(job.formats.boolean, answer or b"")
    if isinstance(result, ox.QuerySolutions):
        if job.formats.solutions is None:
            return NotAcceptable("solutions")
        variables = [v.value for v in result.variables]
        rows = list(islice(result, job.max_rows + 1))
        solutions = _solutions(variables, rows[: job.max_rows])
        body = solutions.serialize(format=_results(job.formats.solutions))
        return Reply(job.formats.solutions, body or b"", len(rows) > job.max_rows)
    if job.formats.graph is None:
        return NotAcceptable("graph")
    return _triples(result, job.formats.graph, job.max_rows)


def _graph(store: ox.Store, job: GraphJob) -> Reply | NotAcceptable:
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(job.graph))
    first = next(quads, None)
    if first is None:
        raise GraphNotFoundError(f"No graph <{job.graph}>.")
    triples = (q.triple for q in chain([first], quads))
    return _triples(triples, job.media_type, job.max_rows)


def _triples(
    triples: Iterable[ox.Triple], media_type: str, max_rows: int
) -> Reply | NotAcceptable:
    fmt = ox.RdfFormat.from_media_type(media_type)
    assert fmt is not None, media_type
    kept = list(islice(triples, max_rows + 1))
    try:
        body = ox.serialize(kept[:max_rows], format=fmt) or b""
    except OSError:  # pyoxigraph: "JSON-LD does not support RDF 1.2 yet", and the like
        return NotAcceptable(
            "graph",
            f"This result holds RDF 1.2 triple terms, which {fmt.name} cannot write: ask for "
            "Turtle or N-Triples.",
        )
    return Reply(media_type, body, len(kept) > max_rows)


def _results(media_type: str) -> ox.QueryResultsFormat:
    fmt = ox.QueryResultsFormat.from_media_type(media_type)
    assert fmt is not None, media_type
    return fmt


def _solutions(variables: list[str], rows: list[ox.QuerySolution]) -> ox.QuerySolutions:
    """``rows`` as query solutions again (through SPARQL JSON), to be written in any format."""
    bindings = [
        {name: _json_term(term) for name in variables if (term := row[name]) is not None}
        for row in rows
    ]
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    solutions = ox.parse_query_results(
        json.dumps(document).encode(), format=ox.QueryResultsFormat.JSON
    )
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, Any]:
    """A term as SPARQL 1.2 JSON results write it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        literal: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            literal["xml:lang"] = term.language
            if term.direction is not None:
                literal["its:dir"] = str(term.direction)
        elif term.datatype.value != _XSD_STRING:
            literal["datatype"] = term.datatype.value
        return literal
    parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
    return {"type": "triple", "value": {k: _json_term(v) for k, v in parts.items()}}


@functools.lru_cache(maxsize=4)
def _shapes(paths: tuple[str, ...]) -> Graph:
    from ndkg.model.validate import load_shapes

    return load_shapes(Path(p) for p in paths)


def _write(store: ox.Store, job: WriteJob) -> WriteReply:
    # pySHACL and the write code load only in a worker that is sent a write.
    from ndkg.storage.writes import try_write

    written = try_write(store, job.operation, shapes=_shapes(job.shapes))
    if written.changed:
        release, _ = split(store.quads_for_pattern(None, None, None, None))
        write_store(Path(job.staging), [*release, *written.contributed])
    return WriteReply(len(written.contributed), written.created, written.changed)
