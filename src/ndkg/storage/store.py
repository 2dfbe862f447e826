"""Open a built graph and run SPARQL over it.

A build folder (``ndkg build --out DIR``) holds ``current``, a link to the finished build, which
contains ``store/`` (an Oxigraph store), ``release/`` (release files) and ``build.json``
(the build's metadata). :func:`open_store` opens ``current/store`` read-only.

The store's default graph is empty: every triple lives in a named graph (see
:class:`ndkg.vocab.Graphs`), and queries see the union of the named graphs as their default
graph unless the caller names other graphs.

:class:`Store` is what every store offers: :class:`EmbeddedStore` here, and
:class:`ndkg.storage.remote.RemoteStore` for a graph published to a SPARQL endpoint.
:func:`open_store` opens either from a descriptor.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, overload

import pyoxigraph as ox

from ndkg.errors import QueryError, StoreError
from ndkg.storage import frames
from ndkg.vocab import PREFIXES

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

CURRENT = "current"
STORE_DIR = "store"
RELEASE_DIR = "release"
BUILD_INFO = "build.json"

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

OXIGRAPH_SCHEME = "oxigraph:"
SPARQL_SCHEME = "sparql:"

def current_build(home: Path) -> Path:
    """Return the folder of the finished build in ``home``.

    :raises StoreError: if no build has finished there.
    """
    link = Path(home) / CURRENT
    if not link.exists():
        raise StoreError(f"no build in {home}: run `ndkg build --out {home}` first")
    return link.resolve()


GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Bindable = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def build_of(store: Store) -> Path:
    """The build folder a store's graph comes from, which holds its ``queries/`` and
    ``release/``.

    :raises StoreError: if the store has no build on this machine (a remote store opened
        without ``home``).
    """
    if store.path is None:
        raise StoreError("this graph has no local build (open the remote store with home=)")
    return store.path.parent


class QueryEngine(Protocol):
    """What runs a store's SPARQL: a :class:`pyoxigraph.Store`, or a client of a remote
    endpoint taking the same arguments (:class:`ndkg.storage.remote.SparqlEndpoint`)."""

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: list[GraphName] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
        substitutions: dict[ox.Variable, Bindable] | None = None,
    ) -> QueryResult:
        """Run ``query`` as :meth:`pyoxigraph.Store.query` does."""
        ...


class Store(Protocol):
    """A finished build's graph, read-only: the interface of every store.

    ``path`` is the store folder of the build (its siblings ``queries/`` and ``release/`` go
    with the graph); ``info`` is the build's metadata, ``version`` its dated version.
    """

    @property
    def path(self) -> Path | None:
        """The store folder of the build, if there is one on this machine."""
        ...

    @property
    def info(self) -> Mapping[str, Any]:
        """The build's metadata: ``version``, ``triples`` per graph ..."""
        ...

    @property
    def version(self) -> str:
        """The dated version of the build."""
        ...

    @property
    def store(self) -> QueryEngine:
        """What runs the queries."""
        ...

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        use_prefixes: bool = False,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; without ``default_graph_uris`` over the union of the graphs."""
        ...

    def select(self, sparql: str, **kwargs: Any) -> list[dict[str, Any]]:
        """Run a SELECT query; its rows as dictionaries of Python values (numbers typed)."""
        ...

    def dataframe(self, sparql: str, **kwargs: Any) -> pd.DataFrame:
        """Run a SELECT query; its rows as a pandas DataFrame (needs pandas)."""
        ...

    def polars(self, sparql: str, **kwargs: Any) -> pl.DataFrame:
        """Run a SELECT query; its rows as a polars DataFrame (needs polars)."""
        ...


@dataclass
class EmbeddedStore:
    """A finished build's Oxigraph store, opened read-only, with the build's metadata."""

    path: Path
    info: Mapping[str, Any] = field(default_factory=dict)
    _store: ox.Store | None = field(default=None, repr=False)

    @property
    def store(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store`."""
        if self._store is None:
            self._store = ox.Store.read_only(str(self.path))
        return self._store

    @property
    def version(self) -> str:
        """The dated version of the build (for example ``2026-11-25``)."""
        return str(self.info.get("version", "unknown"))

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        use_prefixes: bool = False,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query.

        With ``default_graph_uris`` left ``None`` the default graph is the union of all named
        graphs; an empty list gives an empty default graph.

        :param use_prefixes: predeclare ndkg's prefixes (``NDKG:``, ``RO:`` ...) for the query.
        :param base_iri: the IRI relative IRIs of the query resolve against.
        :raises QueryError: if the query is malformed.
        """
        kwargs: dict[str, Any] = {"base_iri": base_iri}
        if default_graph_uris is None:
            kwargs["use_default_graph_as_union"] = True
        else:
            kwargs["default_graph"] = [ox.NamedNode(u) for u in default_graph_uris] or [
                ox.DefaultGraph()
            ]
        if named_graph_uris:
            kwargs["named_graphs"] = [ox.NamedNode(u) for u in named_graph_uris]
        if use_prefixes:
            kwargs["prefixes"] = PREFIXES
        if substitutions:
            # Bound by the engine (SEP-0007), never written into the query text.
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        try:
            return self.store.query(sparql, **kwargs)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc

    def select(self, sparql: str, **kwargs: Any) -> list[dict[str, Any]]:
        """Run a SELECT query and return its rows as dictionaries of Python values
        (:mod:`ndkg.storage.frames`): numbers and booleans typed, IRIs and other literals as text,
        unbound variables left out. Options are those of :meth:`query`.

        :raises QueryError: if the query is malformed or not a SELECT query.
        """
        return frames.rows(frames.solutions(self.query(sparql, **kwargs), "select"))

    def dataframe(self, sparql: str, **kwargs: Any) -> pd.DataFrame:
        """Run a SELECT query and return its rows as a pandas DataFrame (pandas is optional).

        One column per projected variable, in the query's order; values as :meth:`select`
        gives them, unbound as ``None`` (``NaN`` in a numeric column). Options are those of
        :meth:`query`.

        :raises ImportError: if pandas is not installed.
        :raises QueryError: if the query is malformed or not a SELECT query.
        """
        return frames.to_pandas(frames.solutions(self.query(sparql, **kwargs), "dataframe"))

    def polars(self, sparql: str, **kwargs: Any) -> pl.DataFrame:
        """Run a SELECT query and return its rows as a polars DataFrame (polars is optional),
        with the columns and values of :meth:`dataframe`.

        :raises ImportError: if polars is not installed.
        :raises QueryError: if the query is malformed or not a SELECT query.
        """
        return frames.to_polars(frames.solutions(self.query(sparql, **kwargs), "polars"))


@overload
def open_store(descriptor: Path, *, home: Path | str | None = None) -> EmbeddedStore: ...


@overload
def open_store(descriptor: str, *, home: Path | str | None = None) -> Store: ...


def open_store(descriptor: Path | str, *, home: Path | str | None = None) -> Store:
    """Open a finished build's graph read-only.

    :param descriptor: a build folder (``build``, or ``oxigraph:build``): the embedded store
        of its current build; or ``sparql:URL``: the graph that ``ndkg publish`` loaded into
        the SPARQL endpoint at URL (:class:`ndkg.storage.remote.RemoteStore`).
    :param home: with ``sparql:``, the build folder whose named questions and release files
        go with the published graph.
    :raises StoreError: if there is no finished build in the folder, or the endpoint cannot be
        reached or holds no published graph.
    """
    if isinstance(descriptor, str) and descriptor.startswith(SPARQL_SCHEME):
        from ndkg.storage.remote import RemoteStore

        return RemoteStore.open(descriptor.removeprefix(SPARQL_SCHEME), home=home)
    if isinstance(descriptor, str):
        descriptor = descriptor.removeprefix(OXIGRAPH_SCHEME)
    build = current_build(Path(descriptor))
    info_path = build / BUILD_INFO
    info = json.loads(info_path.read_text()) if info_path.exists() else {}
    try:
        store = EmbeddedStore(build / STORE_DIR, info)
        _ = store.store
    except OSError as exc:
        raise StoreError(f"cannot open the store in {build}: {exc}") from exc
    return store
