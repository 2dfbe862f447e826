"""The SPARQL 1.1 Protocol endpoint, ``/sparql``: queries only, over the built graph.

Requests, as https://www.w3.org/TR/sparql11-protocol/ defines them:

- ``GET /sparql?query=...``, a ``POST`` of ``application/x-www-form-urlencoded`` (``query=...``),
  or a ``POST`` of ``application/sparql-query`` (the body is the query), in UTF-8;
- ``default-graph-uri`` and ``named-graph-uri`` (repeatable) give the dataset and override the
  query's ``FROM`` / ``FROM NAMED``; a query with neither sees its own ``FROM`` graphs, and one
  without any dataset sees the union of the named graphs as its default graph;
- ``GET /sparql`` without a query answers with a SPARQL 1.1 Service Description, VoID
  statistics included;
- ``format=`` (in the URL or the form) chooses the format instead of ``Accept``, as Fuseki and
  Virtuoso accept it, for links and for clients that cannot set headers
  (``pandas.read_csv(".../sparql?query=...&format=csv")``): ``json``, ``xml``, ``csv``,
  ``tsv`` for results, ``ttl``, ``nt``, ``jsonld``, ``rdf`` (RDF/XML) for graphs, or a media
  type; ``json`` and ``xml`` give JSON-LD and RDF/XML for a graph; a value it does not know
  is ignored (``Accept`` decides), as other endpoints ignore it;
- ``HEAD`` answers as ``GET`` does, without the body (:mod:`ndkg.service.head`).

Queries run in worker processes (:mod:`ndkg.service.engine`) within the limits of
``docs/limits.md``; results are negotiated (:mod:`ndkg.service.negotiation`) and written by
pyoxigraph there. Relative IRIs in a query resolve against the endpoint URL, and ndkg's prefixes
(``NDKG:``, ``RO:`` ...) are predeclared. Refused with 400: malformed queries (the body gives
pyoxigraph's message with line and column), SPARQL Update in any form, ``SERVICE`` to an
endpoint not on the allow-list (:mod:`ndkg.querying.guard`), queries nested too deep, zero or
several queries; 406 when no offered format is acceptable; 413 for a query too long; 415 for other
content types or charsets.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from ndkg.errors import QueryError, TooLargeError
from ndkg.querying.guard import check_depth
from ndkg.querying.worker import QueryJob
from ndkg.service.auth import client_of, holds_token
from ndkg.service.deps import StoreDep
from ndkg.service.engine import Engine, EngineDep, formats, respond
from ndkg.service.middleware import note_query
from ndkg.service.negotiation import (
    GRAPH_OFFERS,
    SELECT_OFFERS,
    F,
    MediaType,
    Offer,
    negotiate,
    parse_media_type,
)
from ndkg.service.settings import ServiceSettings
from ndkg.storage.store import Store

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

UPDATE_REFUSED = "SPARQL Update is not accepted: this endpoint answers queries only."

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
_A = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_DESCRIPTION_PREFIXES = {"sd": SD, "void": VOID, "formats": "http://www.w3.org/ns/formats/"}


# --- What a query's text says before it is parsed ------------------------------------------

_LEXEMES = re.compile(
    r"""
    (?P<skip>
        \#[^\n\r]*                                  # comment
      | '''(?:[^'\\]|\\.|'(?!''))*'''               # long strings
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\n\r]|\\.)*'                       # strings
      | "(?:[^"\\\n\r]|\\.)*"
      | <[^<>"{}|^`\\\x00-\x20]*>                   # IRIs
      | [?$]\w+                                     # variables
      | (?:[^\W\d][\w.-]*)?:[\w.:%\\-]*             # prefixed names, blank node labels
      | \d[\w.]*                                    # numbers
    )
  | (?P<word>[^\W\d]\w*)
  | (?P<open>\{)
  | (?P<close>\})
    """,
    re.VERBOSE,
)
_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_VOLATILE = frozenset({"RAND", "NOW", "UUID", "STRUUID", "BNODE", "SERVICE"})


@dataclass(frozen=True)
class QueryOutline:
    """What a scan of a query's keywords tells, without parsing it.

    ``first_keyword`` follows the ``BASE`` / ``PREFIX`` declarations; ``has_dataset_clause``
    says the query names its own graphs (``FROM``, ``FROM NAMED``); ``volatile`` says its
    answer may change from one run to the next over the same store (it calls ``RAND``, ``NOW``,
    ``UUID``, ``STRUUID``, ``BNODE`` or a ``SERVICE``), so it is not cached. A scan cannot
    always tell an IRI from a ``<`` comparison, so it decides nothing that matters for safety.
    """

    first_keyword: str | None
    has_dataset_clause: bool
    volatile: bool = False

    @property
    def is_update(self) -> bool:
        """Whether the text is a SPARQL Update request rather than a query."""
        return self.first_keyword in _UPDATE_KEYWORDS


@functools.lru_cache(maxsize=256)
def outline(text: str) -> QueryOutline:
    """Scan ``text``: keywords count outside comments, strings, IRIs and names (memoised, as
    clients repeat their queries).

    >>> outline('PREFIX from: <urn:x:> SELECT ?from FROM <urn:g> { ?s from:p "FROM" }')
    QueryOutline(first_keyword='SELECT', has_dataset_clause=True, volatile=False)
    >>> outline("SELECT * { ?s ?p ?o } # FROM <urn:g>").has_dataset_clause
    False
    >>> outline("SELECT (rand() AS ?r) {}").volatile
    True
    >>> outline('SELECT ?now { ?s ?p "NOW()" }').volatile
    False
    >>> outline("prefix ex: <urn:ex:> insert data { ex:a ex:b ex:c }").is_update
    True
    """
    first = None
    has_dataset_clause = volatile = False
    depth = 0
    for lexeme in _LEXEMES.finditer(text):
        kind = lexeme.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word":
            word = lexeme.group().upper()
            if first is None and word not in ("BASE", "PREFIX"):
                first = word
            has_dataset_clause = has_dataset_clause or (word == "FROM" and depth == 0)
            volatile = volatile or word in _VOLATILE
    return QueryOutline(first, has_dataset_clause, volatile)


# --- format= --------------------------------------------------------------------------------

FORMAT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json, application/ld+json;q=0.9",
    "xml": "application/sparql-results+xml, application/rdf+xml;q=0.9",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}
"""What each ``format=`` name asks for, as an ``Accept`` header."""
FORMAT_ALIASES = {
    "turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld",
    "rdf+xml": "rdf", "rdfxml": "rdf", "text/tsv": "tsv",
}
"""Other names clients send (SPARQLWrapper sends ``format=turtle``, ``format=rdf+xml``)."""


def accept_of(request: Request, fmt: str | None) -> str | None:
    """The ``Accept`` a request stands for: its ``format=`` if that names a format, else its
    ``Accept`` header (a value the endpoint does not know is ignored, as Virtuoso and Fuseki
    ignore it: SPARQLWrapper sends its own names in ``format``, ``output`` and ``results``).

    >>> from starlette.requests import Request
    >>> plain = Request({"type": "http", "headers": [(b"accept", b"text/turtle")]})
    >>> accept_of(plain, "csv"), accept_of(plain, "turtle"), accept_of(plain, "excel")
    ('text/csv', 'text/turtle', 'text/turtle')
    >>> accept_of(plain, "text/csv; charset=utf-8")
    'text/csv; charset=utf-8'
    """
    if fmt:
        name = fmt.strip().lower()
        name = FORMAT_ALIASES.get(name, name)
        if name in FORMAT_TYPES:
            return FORMAT_TYPES[name]
        if "/" in name and _is_media_type(name):
            return name
    return request.headers.get("accept")


def _is_media_type(text: str) -> bool:
    try:
        parse_media_type(text)
    except ValueError:
        return False
    return True


# --- Running a query --------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """The graphs a request names with ``default-graph-uri`` and ``named-graph-uri``."""

    default_graphs: tuple[ox.NamedNode, ...] = ()
    named_graphs: tuple[ox.NamedNode, ...] = ()

    @classmethod
    def from_iris(cls, default_graphs: Iterable[str], named_graphs: Iterable[str]) -> Dataset:
        """Validate the IRIs.

        :raises HTTPException: 400 if one is not an absolute IRI.
        """
        return cls(_graph_names(default_graphs), _graph_names(named_graphs))

    @property
    def given(self) -> bool:
        """Whether the request names any graph."""
        return bool(self.default_graphs or self.named_graphs)


def _graph_names(iris: Iterable[str]) -> tuple[ox.NamedNode, ...]:
    try:
        return tuple(ox.NamedNode(iri) for iri in iris)
    except ValueError as exc:
        raise HTTPException(400, f"Invalid graph IRI: {exc}") from exc


def query_job(
    request: Request, text: str, dataset: Dataset, *, accept: str | None = None
) -> QueryJob:
    """The job that runs the query ``text`` over the dataset the protocol says applies, with
    its result in the format ``accept`` prefers (default: the request's ``Accept``).

    The request's graphs, if it names any, are the whole dataset (an empty default graph when
    it names only named graphs); otherwise the query's ``FROM`` / ``FROM NAMED``; otherwise the
    union of the named graphs is the default graph.

    :raises TooLargeError: if the query is longer than allowed.
    :raises TooDeepError: if it nests brackets deeper than allowed.
    :raises QueryError: if ``text`` is an update.
    """
    settings: ServiceSettings = request.app.state.settings
    if len(text) > settings.max_query_length:
        raise TooLargeError(
            f"The query has {len(text)} characters; the limit is {settings.max_query_length} "
            "(NDKG_MAX_QUERY_LENGTH)."
        )
    check_depth(text, limit=settings.max_query_depth)
    shape = outline(text)
    if shape.is_update:
        raise QueryError(UPDATE_REFUSED)
    return QueryJob(
        text,
        formats=formats(accept if accept is not None else request.headers.get("accept")),
        base_iri=_endpoint(request),
        max_rows=settings.max_result_rows,
        allowlist=tuple(settings.service_allowlist),
        dataset=(
            (tuple(g.value for g in dataset.default_graphs),
             tuple(g.value for g in dataset.named_graphs))
            if dataset.given else None
        ),
        union=not shape.has_dataset_clause,
        volatile=shape.volatile,
    )


# --- VoID statistics and the service description -------------------------------------------


@dataclass(frozen=True)
class GraphStatistics:
    """VoID statistics of one graph."""

    triples: int = 0
    classes: int = 0
    properties: int = 0
    distinct_subjects: int = 0
    distinct_objects: int = 0


@dataclass(frozen=True)
class DatasetStatistics:
    """VoID statistics of the default graph (the union) and of each named graph."""

    default_graph: GraphStatistics
    named_graphs: Mapping[str, GraphStatistics]


_COLUMNS = """(COUNT(*) AS ?triples) (COUNT(DISTINCT ?p) AS ?properties)
    (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)"""
# The union default graph repeats a triple found in several graphs: count it once.
_UNION_COUNTS = f"SELECT {_COLUMNS} WHERE {{ SELECT DISTINCT * {{ ?s ?p ?o }} }}"
_UNION_CLASSES = "SELECT (COUNT(DISTINCT ?class) AS ?classes) WHERE { ?s a ?class }"
_GRAPH_COUNTS = f"SELECT ?g {_COLUMNS} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
_GRAPH_CLASSES = """SELECT ?g (COUNT(DISTINCT ?class) AS ?classes)
    WHERE { GRAPH ?g { ?s a ?class } } GROUP BY ?g"""


def compute_statistics(store: Store) -> DatasetStatistics:
    """Count the triples, classes, properties, subjects and objects of every graph."""
    union = {**store.select(_UNION_COUNTS)[0], **store.select(_UNION_CLASSES)[0]}
    classes = {row["g"]: row["classes"] for row in store.select(_GRAPH_CLASSES)}
    named_graphs = {
        row["g"]: _graph_statistics({**row, "classes": classes.get(row["g"], 0)})
        for row in sorted(store.select(_GRAPH_COUNTS), key=lambda row: row["g"])
    }
    return DatasetStatistics(_graph_statistics(union), named_graphs)


def _graph_statistics(row: Mapping[str, Any]) -> GraphStatistics:
    return GraphStatistics(
        triples=int(row["triples"]),
        classes=int(row["classes"]),
        properties=int(row["properties"]),
        distinct_subjects=int(row["subjects"]),
        distinct_objects=int(row["objects"]),
    )


class StatisticsCache:
    """The statistics of an application's store, computed once for each store served: a store
    is read-only, and a new build is served from a new one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._statistics: tuple[Store, DatasetStatistics] | None = None

    def get(self, store: Store) -> DatasetStatistics:
        """The statistics of ``store``, computed on the first call for it."""
        with self._lock:
            if self._statistics is None or self._statistics[0] is not store:
                self._statistics = (store, compute_statistics(store))
            return self._statistics[1]


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _void(name: str) -> ox.NamedNode:
    return ox.NamedNode(VOID + name)


def _format_iri(fmt: ox.QueryResultsFormat | ox.RdfFormat) -> ox.NamedNode:
    # pyoxigraph names JSON-LD with an IRI outside the W3C formats namespace.
    if fmt == ox.RdfFormat.JSON_LD:
        return ox.NamedNode("http://www.w3.org/ns/formats/JSON-LD")
    return ox.NamedNode(fmt.iri)


def describe_service(endpoint: str, statistics: DatasetStatistics) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint``."""
    service, dataset, default_graph = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    offers: tuple[Offer[Any], ...] = (*SELECT_OFFERS, *GRAPH_OFFERS)
    formats = sorted({_format_iri(o.format) for o in offers}, key=str)
    named = {name: (ox.BlankNode(), ox.BlankNode()) for name in statistics.named_graphs}
    return [
        ox.Triple(service, _A, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        *(ox.Triple(service, _sd("resultFormat"), iri) for iri in formats),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, _A, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        *(ox.Triple(dataset, _sd("namedGraph"), node) for node, _ in named.values()),
        *_graph_description(default_graph, statistics.default_graph),
        *(
            triple
            for name, (node, graph) in named.items()
            for triple in (
                ox.Triple(node, _A, _sd("NamedGraph")),
                ox.Triple(node, _sd("name"), ox.NamedNode(name)),
                ox.Triple(node, _sd("graph"), graph),
                *_graph_description(graph, statistics.named_graphs[name]),
            )
        ),
    ]


def _graph_description(node: ox.BlankNode, statistics: GraphStatistics) -> list[ox.Triple]:
    return [
        ox.Triple(node, _A, _sd("Graph")),
        ox.Triple(node, _A, _void("Dataset")),
        ox.Triple(node, _void("triples"), ox.Literal(statistics.triples)),
        ox.Triple(node, _void("classes"), ox.Literal(statistics.classes)),
        ox.Triple(node, _void("properties"), ox.Literal(statistics.properties)),
        ox.Triple(node, _void("distinctSubjects"), ox.Literal(statistics.distinct_subjects)),
        ox.Triple(node, _void("distinctObjects"), ox.Literal(statistics.distinct_objects)),
    ]


# --- HTTP -----------------------------------------------------------------------------------

QueryParam = Annotated[list[str] | None, Query(description="The SPARQL query; give exactly one.")]
UpdateParam = Annotated[
    list[str] | None, Query(description="Refused: this endpoint does not accept SPARQL Update.")
]
DefaultGraphParam = Annotated[
    list[str] | None,
    Query(alias="default-graph-uri", description="Graphs merged into the default graph."),
]
NamedGraphParam = Annotated[
    list[str] | None,
    Query(alias="named-graph-uri", description="Graphs the query may name with GRAPH."),
]
FormatParam = Annotated[
    str | None,
    Query(
        alias="format",
        description="The result format, instead of the Accept header: `json`, `xml`, `csv`, "
        "`tsv` (results), `ttl`, `nt`, `jsonld`, `rdf` (graphs), or a media type.",
    ),
]

_ALL_OFFERS: tuple[Offer[Any], ...] = (*SELECT_OFFERS, *GRAPH_OFFERS)
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Results: SELECT and ASK as SPARQL results, CONSTRUCT and DESCRIBE as RDF.",
        "content": {offer.media_type: {} for offer in _ALL_OFFERS},
    },
    400: {
        "description": "Malformed or refused query (update, SERVICE not allowed, nested too "
        "deep), or not exactly one."
    },
    406: {"description": "No offered format fits the Accept header or `format=`."},
    413: {"description": "Request body or query larger than allowed."},
    415: {"description": "Unsupported content type or charset (POST)."},
    503: {"description": "No build, the query ran out of time, or every worker is busy."},
}
_POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            FORM: {
                "schema": {
                    "type": "object",
                    "required": ["query"],
                    "properties": {
                        "query": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "format": {"type": "string"},
                    },
                }
            },
            SPARQL_QUERY: {"schema": {"type": "string"}},
        },
    }
}


async def read_body(request: Request) -> bytes:
    """The request body (a dependency: FastAPI reads it before the handler's thread runs)."""
    return await request.body()


@router.get(
    "/sparql",
    name="sparql",
    summary="Run a SPARQL query, or describe the service",
    description="Without `query`, answers with the SPARQL 1.1 Service Description (RDF).",
    response_class=Response,
    responses=_RESPONSES,
)
def sparql_get(
    request: Request,
    store: StoreDep,
    engine: EngineDep,
    query: QueryParam = None,
    update: UpdateParam = None,
    default_graph_uri: DefaultGraphParam = None,
    named_graph_uri: NamedGraphParam = None,
    fmt: FormatParam = None,
) -> Response:
    """GET: a query in the URL, or the service description."""
    accept = accept_of(request, fmt)
    if not query and not update:
        return _describe(request, store, accept)
    dataset = Dataset.from_iris(default_graph_uri or (), named_graph_uri or ())
    return _answer(request, engine, query or [], update or [], dataset, accept)


@router.post(
    "/sparql",
    summary="Run a SPARQL query sent in the request body",
    response_class=Response,
    responses=_RESPONSES,
    openapi_extra=_POST_BODY,
)
def sparql_post(
    request: Request,
    engine: EngineDep,
    body: Annotated[bytes, Depends(read_body)],
    query: QueryParam = None,
    update: UpdateParam = None,
    default_graph_uri: DefaultGraphParam = None,
    named_graph_uri: NamedGraphParam = None,
    fmt: FormatParam = None,
) -> Response:
    """POST: a URL-encoded form or the query itself as the body."""
    content_type = content_type_of(request, f"{FORM} or {SPARQL_QUERY}")
    queries, updates = list(query or []), list(update or [])
    default_graphs, named_graphs = list(default_graph_uri or []), list(named_graph_uri or [])
    format_fields = [fmt] if fmt else []
    if content_type.essence == FORM:
        fields = {
            "query": queries,
            "update": updates,
            "default-graph-uri": default_graphs,
            "named-graph-uri": named_graphs,
            "format": format_fields,
        }
        for name, value in form_fields(body, content_type):
            if name in fields:
                fields[name].append(value)
    elif content_type.essence == SPARQL_QUERY:
        queries.append(utf8_text(body, content_type))
    elif content_type.essence == SPARQL_UPDATE:
        raise QueryError(UPDATE_REFUSED)
    else:
        raise HTTPException(
            415, f"Unsupported content type {content_type.essence}: send {FORM} or {SPARQL_QUERY}."
        )
    dataset = Dataset.from_iris(default_graphs, named_graphs)
    accept = accept_of(request, format_fields[-1] if format_fields else None)
    return _answer(request, engine, queries, updates, dataset, accept)


def content_type_of(request: Request, expected: str) -> MediaType:
    """The request's ``Content-Type``.

    :raises HTTPException: 415 if it is missing (the body says to send ``expected``) or invalid.
    """
    header = request.headers.get("content-type")
    if not header:
        raise HTTPException(415, f"Missing Content-Type: send {expected}.")
    try:
        return parse_media_type(header)
    except ValueError as exc:
        raise HTTPException(415, f"Invalid Content-Type: {header!r}.") from exc


def require_utf8(content_type: MediaType) -> None:
    """:raises HTTPException: 415 if the body declares a charset other than UTF-8."""
    charset = content_type.param("charset")
    if charset is not None and charset.lower() not in ("utf-8", "utf8"):
        raise HTTPException(415, f"Unsupported charset {charset}: send UTF-8.")


def form_fields(body: bytes, content_type: MediaType) -> list[tuple[str, str]]:
    """The fields of a URL-encoded form, in order.

    :raises HTTPException: 400 if the body is not URL-encoded UTF-8.
    """
    require_utf8(content_type)
    try:
        return parse_qsl(body.decode(), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(400, "The form is not URL-encoded UTF-8.") from exc


def utf8_text(body: bytes, content_type: MediaType) -> str:
    """The body as text.

    :raises HTTPException: 400 if it is not UTF-8.
    """
    require_utf8(content_type)
    try:
        return body.decode()
    except UnicodeDecodeError as exc:
        raise HTTPException(400, "The query is not valid UTF-8.") from exc


def _answer(
    request: Request,
    engine: Engine,
    queries: Sequence[str],
    updates: Sequence[str],
    dataset: Dataset,
    accept: str | None,
) -> Response:
    if updates:
        raise QueryError(UPDATE_REFUSED)
    if len(queries) != 1:
        raise HTTPException(400, f"Give exactly one query; the request has {len(queries)}.")
    note_query(request, queries[0])
    client = None if holds_token(request) else client_of(request)
    reply = engine.query(query_job(request, queries[0], dataset, accept=accept), client=client)
    return respond(reply, max_rows=engine.settings.max_result_rows)


def _describe(request: Request, store: Store, accept: str | None) -> Response:
    offer = _negotiate(accept, GRAPH_OFFERS)
    cache: StatisticsCache = request.app.state.void_statistics
    triples = describe_service(_endpoint(request), cache.get(store))
    body = ox.serialize(triples, format=offer.format, prefixes=_DESCRIPTION_PREFIXES)
    return _respond(body, offer)


def _endpoint(request: Request) -> str:
    return str(request.url_for("sparql"))


def _negotiate(accept: str | None, offers: Sequence[Offer[F]]) -> Offer[F]:
    offer = negotiate(accept, offers)
    if offer is None:
        types = ", ".join(offer.media_type for offer in offers)
        raise HTTPException(406, f"Not acceptable: this result can be sent as {types}.")
    return offer


def _respond(body: bytes | None, offer: Offer[Any]) -> Response:
    return Response(body, media_type=offer.media_type, headers={"Vary": "Accept"})
