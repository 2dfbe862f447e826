"""``ndkg publish``: load the current build into a SPARQL 1.1 store, into the same named graphs.

Two ways in, per graph of the build (the metadata graph last, so that the store shows the new
version only once everything else is in):

- the Graph Store HTTP Protocol (``graph_store``): the first batch of a graph is ``PUT``
  (replacing the graph), the others are ``POST``-ed (added), as N-Triples;
- SPARQL 1.1 Update (``endpoint``): the first batch drops the graph, then each batch is an
  ``INSERT DATA``; a batch with blank nodes is an ``INSERT { ... } WHERE {}`` instead, since
  Virtuoso refuses blank nodes in ``INSERT DATA``.

Batches hold ``batch_size`` triples of one graph, in the store's order; triples that share a
blank node go into the same batch (a blank node names the same node only within one request),
so a batch can be larger. The default suits Virtuoso: it refuses an update whose translation
to SQL passes 10,000 lines (about 2,000 triples), and takes large Graph Store requests.

Progress is recorded in ``publish/<target>.jsonl`` in the build folder: a line describing the
run (target, version, batch size), then one line per finished batch. With ``resume`` the
batches recorded there are skipped; a batch interrupted mid-way is sent again, which adds
nothing twice except its blank nodes.

Credentials (:class:`ndkg.storage.remote.Credentials`) answer the server's challenge, Digest or
Basic.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import httpx
import pyoxigraph as ox

from ndkg.errors import StoreError
from ndkg.storage.store import current_build, open_store
from ndkg.vocab import Graphs

PROGRESS_DIR = "publish"
UPDATE_BATCH = 1_000
GRAPH_STORE_BATCH = 100_000
N_TRIPLES = "application/n-triples"
FORM = "application/x-www-form-urlencoded"

Progress = Callable[[str, str], None]


def _silent(step: str, detail: str) -> None:
    """Default progress sink: say nothing."""


@dataclass(frozen=True)
class Batch:
    """Triples of one graph sent in one request; ``index`` 0 replaces the graph."""

    graph: str
    index: int
    triples: list[ox.Triple]

    @property
    def key(self) -> str:
        """The batch's name in the progress file."""
        return f"{self.graph} {self.index}"

    @property
    def has_blank_nodes(self) -> bool:
        """Whether a triple of the batch has a blank node."""
        return any(_blank_nodes(triple) for triple in self.triples)

    def n_triples(self) -> str:
        """The triples as N-Triples (valid SPARQL triples too)."""
        return (ox.serialize(self.triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()


@dataclass
class PublishResult:
    """What a publication did."""

    target: str
    version: str
    batches: int = 0
    skipped: int = 0
    triples: int = 0
    seconds: float = 0.0


class Target(Protocol):
    """Where batches go."""

    url: str

    def send(self, batch: Batch) -> None:
        """Load ``batch`` into its graph (replacing the graph for the first batch)."""
        ...


class GraphStoreTarget:
    """A Graph Store HTTP Protocol endpoint: ``PUT`` the first batch of a graph, ``POST`` the
    others, as N-Triples."""

    def __init__(self, url: str, client: httpx.Client) -> None:
        self.url = url
        self._client = client

    def send(self, batch: Batch) -> None:
        """Load ``batch`` into its graph."""
        method = "PUT" if batch.index == 0 else "POST"
        _check(self._client.request(
            method, self.url, params={"graph": batch.graph},
            content=batch.n_triples().encode(), headers={"Content-Type": N_TRIPLES},
        ), batch)


class UpdateTarget:
    """A SPARQL 1.1 Update endpoint: drop the graph with the first batch, insert each batch."""

    def __init__(self, url: str, client: httpx.Client) -> None:
        self.url = url
        self._client = client

    def send(self, batch: Batch) -> None:
        """Load ``batch`` into its graph."""
        graph = ox.NamedNode(batch.graph)
        triples = f"GRAPH {graph} {{\n{batch.n_triples()}}}"
        if batch.has_blank_nodes:
            update = f"INSERT {{ {triples} }} WHERE {{}}"
        else:
            update = f"INSERT DATA {{ {triples} }}"
        if batch.index == 0:
            update = f"DROP SILENT GRAPH {graph} ;\n{update}"
        _check(self._client.post(self.url, data={"update": update}), batch)


def _check(response: httpx.Response, batch: Batch) -> None:
    if not response.is_success:
        reason = " ".join(response.text.split("SPARQL query:", 1)[0].split())[:300]
        raise StoreError(
            f"{response.request.url.copy_with(query=None)} refused batch {batch.index} of "
            f"{batch.graph}: {response.status_code} {reason or response.reason_phrase}"
        )


def publish(
    home: Path,
    endpoint: str | None = None,
    *,
    graph_store: str | None = None,
    auth: httpx.Auth | None = None,
    batch_size: int | None = None,
    resume: bool = False,
    timeout: float = 300.0,
    progress: Progress = _silent,
) -> PublishResult:
    """Load the current build in ``home`` into a SPARQL store.

    :param endpoint: the SPARQL Update endpoint, used when ``graph_store`` is not given.
    :param graph_store: the Graph Store HTTP Protocol endpoint.
    :param auth: credentials for the store (:class:`ndkg.storage.remote.Credentials`).
    :param batch_size: triples per request (blank nodes keep theirs together); by default
        :data:`UPDATE_BATCH` or :data:`GRAPH_STORE_BATCH`.
    :param resume: skip the batches a previous run to the same target recorded.
    :param timeout: seconds to wait for each request.
    :raises StoreError: if there is no finished build, the store cannot be reached or refuses
        a batch, or ``resume`` finds progress recorded with another version or batch size.
    """
    if graph_store is None and endpoint is None:
        raise ValueError("give the SPARQL Update endpoint or the Graph Store endpoint")
    batch_size = batch_size or (UPDATE_BATCH if graph_store is None else GRAPH_STORE_BATCH)
    if batch_size < 1:
        raise ValueError("the batch size must be at least 1")
    started = time.perf_counter()
    store = open_store(Path(home))
    with httpx.Client(auth=auth, timeout=timeout) as client:
        target: Target = (
            GraphStoreTarget(graph_store, client) if graph_store is not None
            else UpdateTarget(str(endpoint), client)
        )
        result = PublishResult(target.url, store.version)
        log = _ProgressLog(current_build(Path(home)), target.url, store.version, batch_size)
        done = log.resume() if resume else log.restart()
        if done:
            progress("resume", f"{len(done)} batches already in {target.url}")
        for batch in _batches(store.store, batch_size):
            if batch.key in done:
                result.skipped += 1
                continue
            try:
                target.send(batch)
            except httpx.HTTPError as exc:
                raise StoreError(f"cannot publish to {target.url}: {exc}") from exc
            log.record(batch)
            result.batches += 1
            result.triples += len(batch.triples)
            elapsed = time.perf_counter() - started
            progress(
                "publish",
                f"{batch.graph.rsplit('/', 1)[-1]} batch {batch.index}: "
                f"{len(batch.triples)} triples ({result.triples} in all, "
                f"{result.triples / elapsed:,.0f} triples/s)",
            )
    result.seconds = time.perf_counter() - started
    return result


class _ProgressLog:
    """The finished batches of one publication, one JSON line each after a header line."""

    def __init__(self, build: Path, target: str, version: str, batch_size: int) -> None:
        digest = hashlib.sha256(target.encode()).hexdigest()[:16]
        self.path = build / PROGRESS_DIR / f"{digest}.jsonl"
        self.header = {"target": target, "version": version, "batch": batch_size}

    def restart(self) -> set[str]:
        """Forget earlier progress; nothing is done."""
        self.path.parent.mkdir(exist_ok=True)
        self.path.write_text(json.dumps(self.header) + "\n")
        return set()

    def resume(self) -> set[str]:
        """The batches done by earlier runs with the same target, version and batch size.

        :raises StoreError: if the recorded run differs in version or batch size.
        """
        if not self.path.exists():
            return self.restart()
        header, *lines = self.path.read_text().splitlines()
        recorded = json.loads(header)
        if recorded != self.header:
            raise StoreError(
                f"{self.path} records a run of version {recorded['version']} in batches of "
                f"{recorded['batch']}: publish version {self.header['version']} again "
                f"without --resume, or resume with --batch {recorded['batch']}"
            )
        return {json.loads(line)["batch"] for line in lines if line}

    def record(self, batch: Batch) -> None:
        """Note that ``batch`` is in the target."""
        with self.path.open("a") as handle:
            handle.write(json.dumps({"batch": batch.key, "triples": len(batch.triples)}) + "\n")


def _graph_order(graph: ox.NamedNode) -> tuple[bool, int, str]:
    """The build's graphs in their order, others after them, the metadata graph last."""
    names = [str(g) for g in Graphs.ALL]
    position = names.index(graph.value) if graph.value in names else len(names)
    return graph.value == str(Graphs.METADATA), position, graph.value


def _batches(store: ox.Store, size: int) -> Iterator[Batch]:
    """Every graph of ``store`` in batches of about ``size`` triples."""
    graphs = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    for graph in sorted(graphs, key=_graph_order):
        quads = store.quads_for_pattern(None, None, None, graph)
        chunks = _chunks((quad.triple for quad in quads), size)
        for index, triples in enumerate(chunks):
            yield Batch(graph.value, index, triples)


def _chunks(triples: Iterable[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """``triples`` in lists of ``size``; triples linked by blank nodes in the same list."""
    chunk: list[ox.Triple] = []
    linked: list[ox.Triple] = []
    for triple in triples:
        if _blank_nodes(triple):
            linked.append(triple)
            continue
        chunk.append(triple)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    for component in _components(linked):
        chunk += component
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _blank_nodes(triple: ox.Triple) -> list[str]:
    return [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]


def _components(triples: list[ox.Triple]) -> Iterable[list[ox.Triple]]:
    """``triples`` grouped so that triples sharing a blank node, directly or through others,
    are in one group; groups in the order of their first triple."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for triple in triples:
        first, *others = _blank_nodes(triple)
        for other in others:
            parent[root(other)] = root(first)
    groups: dict[str, list[ox.Triple]] = {}
    for triple in triples:
        groups.setdefault(root(_blank_nodes(triple)[0]), []).append(triple)
    return groups.values()
