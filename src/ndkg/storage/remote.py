"""The graph published to a SPARQL 1.1 endpoint (Virtuoso, Fuseki, QLever, GraphDB ...),
queried as the embedded store is.

:class:`RemoteStore` has :class:`ndkg.storage.store.EmbeddedStore`'s interface: ``query`` answers
with pyoxigraph's result objects, parsed from the endpoint's SPARQL JSON results (``SELECT``,
``ASK``) and N-Triples (``CONSTRUCT``, ``DESCRIBE``); ``version`` and ``info`` come from the
metadata graph that ``ndkg publish`` loaded with the rest. Its engine,
:class:`SparqlEndpoint`, takes :meth:`pyoxigraph.Store.query`'s arguments, so code written
against the embedded store (the ``/sparql`` endpoint among it) runs unchanged.

How the engine speaks to an endpoint:

- Queries go as a URL-encoded form ``POST`` (Virtuoso hangs on a direct ``POST`` of
  ``application/sparql-query``), in UTF-8, with ``BASE`` and ``PREFIX`` lines written before
  the query when the caller gives a base IRI or prefixes.
- Datasets: a remote store has no union default graph, so the union is asked for by naming
  every published graph (:data:`ndkg.vocab.Graphs.ALL`) as a ``default-graph-uri`` and a
  ``named-graph-uri`` of the request: the graphs are stored once, and ``GRAPH ?g`` sees
  exactly them. An empty default graph, or an empty set of named graphs, is asked for by
  naming a graph that never exists (:data:`NO_GRAPH`).
- Values are bound by rewriting the query text with validated pyoxigraph terms
  (:func:`ndkg.querying.query_text.substitute`), with the meaning pyoxigraph's ``substitutions``
  have on the embedded store: the endpoint takes no ``substitutions``.
- Before anything is sent, the query is parsed by pyoxigraph (over an empty in-memory store,
  with the same base IRI and prefixes), so a malformed query or an update fails as it fails on
  the embedded store, with pyoxigraph's message; ``SERVICE`` is refused, so the endpoint is
  never asked to query others.
- ``ASK`` results that come back as a one-cell table (Virtuoso does so for some formats) are
  read as the boolean they hold.

Errors: the endpoint refusing a query (4xx) raises :class:`QueryError`; an endpoint that cannot
be reached, fails (5xx) or does not answer within ``timeout`` seconds raises
:class:`StoreError`. The time limit stops the waiting, not the endpoint's work: give the
endpoint its own limit too (Virtuoso: ``MaxQueryExecutionTime``).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from ndkg import __version__
from ndkg.errors import QueryError, StoreError
from ndkg.metadata import DATASET, VOID
from ndkg.querying.query_text import (
    Value,
    has_dataset_clause,
    mentions_service,
    query_form,
    substitute,
)
from ndkg.storage import frames
from ndkg.storage.store import STORE_DIR, Bindable, GraphName, QueryResult, current_build
from ndkg.vocab import PREFIXES, Graphs

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

PUBLISHED_GRAPHS = tuple(str(graph) for graph in Graphs.ALL)
NO_GRAPH = "urn:x-ndkg:no-graph"
"""A graph that never exists, named where a request must give an empty set of graphs."""

FORM = "application/x-www-form-urlencoded"
SPARQL_RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
SERVICE_REFUSED = "SERVICE is not allowed: ndkg does not let an endpoint query other endpoints"

_PREFIX_NAME = re.compile(r"^(?:[A-Za-z][\w.-]*)?$")
_OWL_VERSION_INFO = "http://www.w3.org/2002/07/owl#versionInfo"
_INFO_QUERY = f"""
SELECT ?version ?graph ?triples WHERE {{
  {{ <{DATASET}> <{_OWL_VERSION_INFO}> ?version }}
  UNION {{ <{DATASET}> <{VOID}subset> ?graph . ?graph <{VOID}triples> ?triples }}
}}"""


class Credentials(httpx.Auth):
    """A user name and password, sent the way the server asks: Digest (Virtuoso) or Basic
    (Fuseki, GraphDB). The first request learns the scheme from the server's challenge."""

    def __init__(self, user: str, password: str) -> None:
        self._schemes: dict[str, httpx.Auth] = {
            "basic": httpx.BasicAuth(user, password),
            "digest": httpx.DigestAuth(user, password),
        }
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Answer the server's challenge with the scheme it names."""
        if self._scheme is None:
            response = yield request
            challenge = response.headers.get("www-authenticate", "")
            scheme = challenge.split(" ", 1)[0].lower()
            if response.status_code != 401 or scheme not in self._schemes:
                return
            self._scheme = scheme
        yield from self._schemes[self._scheme].auth_flow(request)


def auth_from(user: str | None, password: str | None) -> Credentials | None:
    """:class:`Credentials` for ``user``, or ``None`` without one."""
    return None if user is None else Credentials(user, password or "")


class SparqlEndpoint:
    """A client of a SPARQL 1.1 query endpoint with :meth:`pyoxigraph.Store.query`'s interface.

    :param url: the query endpoint (for example ``http://127.0.0.1:8890/sparql``).
    :param graphs: the published graphs, whose union is the default graph on request.
    :param auth: credentials, if the endpoint wants them.
    :param timeout: seconds to wait for an answer.
    """

    def __init__(
        self,
        url: str,
        *,
        graphs: Sequence[str] = PUBLISHED_GRAPHS,
        auth: httpx.Auth | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.url = url
        self.graphs = tuple(graphs)
        self.timeout = timeout
        self._client = httpx.Client(
            auth=auth, timeout=timeout, headers={"User-Agent": f"ndkg/{__version__}"}
        )
        self._parser = ox.Store()  # empty and never written: parses queries as the engine would

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: Sequence[GraphName] | None = None,
        named_graphs: Sequence[ox.NamedNode | ox.BlankNode] | None = None,
        substitutions: Mapping[ox.Variable, Bindable] | None = None,
    ) -> QueryResult:
        """Run ``query`` at the endpoint, with the meaning :meth:`pyoxigraph.Store.query` gives
        these arguments (the store's default graph is empty; all its graphs are named).

        :raises SyntaxError: if pyoxigraph cannot parse ``query`` (an update included).
        :raises QueryError: if ``query`` calls ``SERVICE`` or the endpoint refuses it.
        :raises StoreError: if the endpoint cannot be reached, fails or does not answer.
        """
        if mentions_service(query):
            raise QueryError(SERVICE_REFUSED)
        values: dict[str, Value] = {}
        for variable, term in (substitutions or {}).items():
            if not isinstance(term, ox.NamedNode | ox.Literal):
                raise QueryError(f"?{variable.value} can only be bound to an IRI or a literal")
            values[variable.value] = term
        bound = substitute(query, values)
        self._parser.query(bound, base_iri=base_iri, prefixes=prefixes)  # parsed, never read
        form = query_form(bound)
        form_data = [("query", _prologue(base_iri, prefixes) + bound)]
        form_data += self._dataset(
            query, use_default_graph_as_union, default_graph, named_graphs
        )
        accept = N_TRIPLES if form in ("CONSTRUCT", "DESCRIBE") else SPARQL_RESULTS_JSON
        body = self._post(form_data, accept)
        if accept == N_TRIPLES:
            return _triples(body)
        result = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        if form == "ASK" and isinstance(result, ox.QuerySolutions):
            return _one_cell_boolean(result)
        return result

    def _dataset(
        self,
        query: str,
        union: bool,
        default_graph: Sequence[GraphName] | None,
        named_graphs: Sequence[ox.NamedNode | ox.BlankNode] | None,
    ) -> list[tuple[str, str]]:
        """The ``default-graph-uri`` and ``named-graph-uri`` fields of the request (the
        store's own default graph, :class:`pyoxigraph.DefaultGraph`, is empty)."""
        if union:
            defaults: Sequence[str] = self.graphs
        elif default_graph is not None:
            given = [g.value for g in default_graph if isinstance(g, ox.NamedNode)]
            defaults = given or [NO_GRAPH]
        elif named_graphs is None and has_dataset_clause(query):
            return []  # the query's FROM and FROM NAMED apply
        else:
            defaults = [NO_GRAPH]
        named: Sequence[str] = (
            self.graphs if named_graphs is None
            else [g.value for g in named_graphs if isinstance(g, ox.NamedNode)]
        )
        return [("default-graph-uri", graph) for graph in defaults] + [
            ("named-graph-uri", graph) for graph in named or [NO_GRAPH]
        ]

    def _post(self, form: list[tuple[str, str]], accept: str) -> bytes:
        try:
            response = self._client.post(
                self.url, content=urlencode(form), headers={"Accept": accept, "Content-Type": FORM}
            )
        except httpx.TimeoutException as exc:
            raise StoreError(
                f"the SPARQL endpoint {self.url} did not answer within {self.timeout:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"the SPARQL endpoint {self.url} cannot be reached: {exc}") from exc
        if response.is_success:
            return response.content
        message = f"the SPARQL endpoint answered {response.status_code}: {_reason(response)}"
        if response.is_client_error:
            raise QueryError(message)
        raise StoreError(message)

    def close(self) -> None:
        """Close the connections to the endpoint."""
        self._client.close()


def _prologue(base_iri: str | None, prefixes: Mapping[str, str] | None) -> str:
    """``BASE`` and ``PREFIX`` lines for the query, from validated IRIs and names."""
    lines = [] if base_iri is None else [f"BASE {ox.NamedNode(base_iri)}"]
    for name, iri in (prefixes or {}).items():
        if not _PREFIX_NAME.match(name):
            raise ValueError(f"not a SPARQL prefix name: {name!r}")
        lines.append(f"PREFIX {name}: {ox.NamedNode(iri)}")
    return "".join(line + "\n" for line in lines)


def _triples(body: bytes) -> ox.QueryTriples:
    """The N-Triples of a ``CONSTRUCT`` or ``DESCRIBE`` answer, as pyoxigraph's result."""
    graph = ox.Store()
    try:
        graph.load(body, format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as exc:
        raise StoreError(f"the SPARQL endpoint sent invalid N-Triples: {exc}") from exc
    result = graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result


def _one_cell_boolean(table: ox.QuerySolutions) -> ox.QueryBoolean:
    """The boolean of an ``ASK`` answer sent as a table of one cell."""
    cell = next((term for solution in table for term in solution), None)
    truth = cell is not None and cell.value.lower() in ("1", "true")
    result = ox.parse_query_results(
        f'{{"head": {{}}, "boolean": {str(truth).lower()}}}', ox.QueryResultsFormat.JSON
    )
    assert isinstance(result, ox.QueryBoolean)
    return result


def _reason(response: httpx.Response) -> str:
    """The first lines of an endpoint's error message, without the query it echoes."""
    text = response.text.split("SPARQL query:", 1)[0].strip()
    return " ".join(text.splitlines()[:3])[:500] or response.reason_phrase


class RemoteStore:
    """A finished build's graph, published to a SPARQL 1.1 endpoint by ``ndkg publish``.

    >>> store = RemoteStore("http://127.0.0.1:8890/sparql")  # doctest: +SKIP
    >>> store.version  # doctest: +SKIP
    '2026-11-25'

    :param endpoint: the query endpoint's URL.
    :param default_graph_uris: the published graphs; queries see their union by default.
    :param auth: credentials (:class:`Credentials`, or any :class:`httpx.Auth`), if needed.
    :param timeout: seconds to wait for each answer.
    :param path: the store folder of the local build the graph was published from, whose
        named questions and release files go with it.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        default_graph_uris: Sequence[str] = PUBLISHED_GRAPHS,
        auth: httpx.Auth | None = None,
        timeout: float = 60.0,
        path: Path | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.path = path
        self.store = SparqlEndpoint(
            endpoint, graphs=default_graph_uris, auth=auth, timeout=timeout
        )
        self._info: dict[str, Any] | None = None

    @classmethod
    def open(cls, endpoint: str, *, home: Path | str | None = None) -> RemoteStore:
        """The graph published at ``endpoint``, checked by reading its version.

        :param home: the build folder whose current build the graph was published from.
        :raises StoreError: if the endpoint cannot be reached or holds no published graph, or
            ``home`` holds no finished build.
        """
        path = None if home is None else current_build(Path(home)) / STORE_DIR
        store = cls(endpoint, path=path)
        _ = store.info
        return store

    @property
    def info(self) -> Mapping[str, Any]:
        """The published build's version and triples per graph, read once.

        :raises StoreError: if the endpoint cannot be reached or holds no published graph.
        """
        if self._info is None:
            metadata = str(Graphs.METADATA)
            rows = self.select(_INFO_QUERY, default_graph_uris=[metadata])
            version = next((row["version"] for row in rows if "version" in row), None)
            if version is None:
                raise StoreError(
                    f"no ndkg graph at {self.endpoint}: "
                    f"its graph {metadata} gives no version (run `ndkg publish`)"
                )
            triples = {
                row["graph"].rsplit("/", 1)[-1]: int(row["triples"])
                for row in rows if "graph" in row
            }
            self._info = {"version": version, "endpoint": self.endpoint, "triples": triples}
        return self._info

    @property
    def version(self) -> str:
        """The dated version of the published build (read once: restart after republishing)."""
        return str(self.info["version"])

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
        """Run a SPARQL query, as :meth:`ndkg.storage.store.EmbeddedStore.query` does: with
        ``default_graph_uris`` left ``None`` over the union of the published graphs, with an
        empty list over an empty default graph.

        :raises QueryError: if the query is malformed, or refused by the endpoint.
        :raises StoreError: if the endpoint cannot be reached, fails or does not answer.
        """
        default_graph: list[ox.NamedNode | ox.DefaultGraph] | None = None
        if default_graph_uris is not None:
            default_graph = [ox.NamedNode(u) for u in default_graph_uris] or [ox.DefaultGraph()]
        try:
            return self.store.query(
                sparql,
                base_iri=base_iri,
                use_default_graph_as_union=default_graph_uris is None,
                default_graph=default_graph,
                named_graphs=[ox.NamedNode(u) for u in named_graph_uris or ()] or None,
                substitutions={ox.Variable(k): v for k, v in (substitutions or {}).items()},
                prefixes=PREFIXES if use_prefixes else None,
            )
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc

    def select(self, sparql: str, **kwargs: Any) -> list[dict[str, Any]]:
        """Run a SELECT query and return its rows as dictionaries of Python values, as
        :meth:`ndkg.storage.store.EmbeddedStore.select` does. Options are those of :meth:`query`.
        """
        return frames.rows(frames.solutions(self.query(sparql, **kwargs), "select"))

    def dataframe(self, sparql: str, **kwargs: Any) -> pd.DataFrame:
        """Run a SELECT query and return its rows as a pandas DataFrame, as
        :meth:`ndkg.storage.store.EmbeddedStore.dataframe` does.

        :raises ImportError: if pandas is not installed.
        """
        return frames.to_pandas(frames.solutions(self.query(sparql, **kwargs), "dataframe"))

    def polars(self, sparql: str, **kwargs: Any) -> pl.DataFrame:
        """Run a SELECT query and return its rows as a polars DataFrame, as
        :meth:`ndkg.storage.store.EmbeddedStore.polars` does.

        :raises ImportError: if polars is not installed.
        """
        return frames.to_polars(frames.solutions(self.query(sparql, **kwargs), "polars"))

    def close(self) -> None:
        """Close the connections to the endpoint."""
        self.store.close()
