"""Writes over HTTP: SPARQL 1.1 Update on ``/update`` and the Graph Store HTTP Protocol on
``/store``; see ``docs/writes.md``.

- ``POST /update`` with ``application/sparql-update`` (the body is the update) or a URL-encoded
  form with one ``update`` field;
- ``GET /store`` (public), ``PUT``, ``POST``, ``DELETE /store`` with ``?graph=IRI`` or
  ``?default``; graphs are sent as Turtle, N-Triples, RDF/XML or JSON-LD.

Writes need the write token (:mod:`ndkg.service.auth`) and may change only the contributed
graphs: ``<https://w3id.org/ndkg/graph/contributed>``, which is the default graph of writes and
of ``?default``, and graphs named under it. Each write is tried on a copy and checked with the
SHACL shapes (:mod:`ndkg.storage.writes`); one that breaks them is answered with 422 and the report,
and changes nothing. A valid write is applied whole, and answered with 204 (201 when it creates
a graph).

The write routes are coroutines: a writer waits for its turn in the event loop
(:meth:`~ndkg.service.engine.Engine.write_async`), not in one of the server's threads. Relative
IRIs in an update resolve against the configured public URL (``NDKG_PUBLIC_URL``), never
against the request's ``Host``.
"""

from __future__ import annotations

from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from ndkg.errors import ForbiddenError, TooLargeError
from ndkg.querying.guard import check_depth, check_entities
from ndkg.querying.worker import GraphJob
from ndkg.service.auth import Writer, client_of
from ndkg.service.engine import Engine, EngineDep, formats, not_acceptable, respond
from ndkg.service.middleware import note_query
from ndkg.service.negotiation import GRAPH_OFFERS
from ndkg.service.settings import ServiceSettings
from ndkg.service.sparql import (
    FORM,
    SPARQL_UPDATE,
    content_type_of,
    form_fields,
    read_body,
    require_utf8,
    utf8_text,
)
from ndkg.storage.contributions import CONTRIBUTED, is_contributed
from ndkg.storage.writes import GRAPH_FORMATS, DropGraph, LoadGraph, Update

router = APIRouter(tags=["writes"])

RDF_XML = "application/rdf+xml"

_WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Malformed update or data (line and column), or a refused LOAD."},
    401: {"description": "No write token: send `Authorization: Bearer <token>`."},
    403: {"description": "Wrong token, writes off, or a graph of the build named."},
    413: {"description": "Body or update larger than allowed."},
    415: {"description": "Unsupported content type or charset."},
    422: {
        "description": "The write would break the SHACL shapes; nothing changed.",
        "content": {"application/json": {"schema": {
            "type": "object",
            "required": ["detail", "violations", "report"],
            "properties": {
                "detail": {"type": "string"},
                "violations": {"type": "array", "items": {"type": "object"}},
                "report": {"type": "string", "description": "The SHACL report (Turtle)."},
            },
        }}},
    },
    503: {"description": "No build or no shapes, out of time, or every worker busy."},
}
_UPDATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            SPARQL_UPDATE: {"schema": {"type": "string"}},
            FORM: {
                "schema": {
                    "type": "object",
                    "required": ["update"],
                    "properties": {"update": {"type": "string"}},
                }
            },
        },
    }
}
_GRAPH_BODY = {
    "requestBody": {
        "required": True,
        "content": {media_type: {"schema": {"type": "string"}} for media_type in GRAPH_FORMATS},
    }
}

GraphParam = Annotated[str | None, Query(description="The IRI of the graph.")]
DefaultParam = Annotated[
    str | None,
    Query(description=f"Given (any value) to name the default graph of writes, <{CONTRIBUTED}>."),
]


@router.post(
    "/update",
    name="update",
    summary="Run a SPARQL Update on the contributed graphs",
    status_code=204,
    response_class=Response,
    responses=_WRITE_RESPONSES,
    openapi_extra=_UPDATE_BODY,
    dependencies=[Writer],
)
async def update(
    request: Request, engine: EngineDep, body: Annotated[bytes, Depends(read_body)]
) -> Response:
    """SPARQL Update; the default graph is the contributed graph, the build's graphs can be read
    with ``GRAPH`` or ``USING`` but not changed."""
    content_type = content_type_of(request, f"{SPARQL_UPDATE} or {FORM}")
    if content_type.essence == SPARQL_UPDATE:
        text = utf8_text(body, content_type)
    elif content_type.essence == FORM:
        fields = form_fields(body, content_type)
        texts = [value for name, value in fields if name == "update"]
        if len(texts) != 1:
            raise HTTPException(400, f"Give exactly one update; the request has {len(texts)}.")
        if any(name in ("using-graph-uri", "using-named-graph-uri") for name, _ in fields):
            raise HTTPException(400, "using-graph-uri and using-named-graph-uri are not supported.")
        text = texts[0]
    else:
        raise HTTPException(
            415, f"Unsupported content type {content_type.essence}: send {SPARQL_UPDATE} or {FORM}."
        )
    settings: ServiceSettings = request.app.state.settings
    note_query(request, text)
    if len(text) > settings.max_query_length:
        raise TooLargeError(
            f"The update has {len(text)} characters; the limit is {settings.max_query_length} "
            "(NDKG_MAX_QUERY_LENGTH)."
        )
    check_depth(text, limit=settings.max_query_depth)
    base_iri = f"{settings.base_url}/update"
    await engine.write_async(Update(text, base_iri, tuple(settings.service_allowlist)))
    return Response(status_code=204)


@router.get(
    "/store",
    summary="Read a graph (Graph Store Protocol)",
    response_class=Response,
    responses={
        200: {
            "description": "The graph, as negotiated.",
            "content": {offer.media_type: {} for offer in GRAPH_OFFERS},
        },
        400: {"description": "Not exactly one of `graph` and `default`, or not an IRI."},
        404: {"description": "No graph has that name."},
        406: {"description": "No offered format fits the Accept header."},
        503: {"description": "No build, out of time, or every worker busy."},
    },
)
def read_graph(
    request: Request, engine: EngineDep, graph: GraphParam = None, default: DefaultParam = None
) -> Response:
    """The triples of one graph: any graph of the build, or a contributed one."""
    name = _graph_name(graph, default)
    media_type = formats(request.headers.get("accept")).graph
    if media_type is None:
        raise not_acceptable("graph")
    max_rows = engine.settings.max_result_rows
    reply = engine.query(GraphJob(name, media_type, max_rows), client=client_of(request))
    return respond(reply, max_rows=max_rows)


_GRAPH_WRITE: dict[str, Any] = {
    "response_class": Response,
    "responses": {201: {"description": "The graph was created."}, **_WRITE_RESPONSES},
    "status_code": 204,
    "dependencies": [Writer],
}


@router.put(
    "/store", summary="Replace a contributed graph", openapi_extra=_GRAPH_BODY, **_GRAPH_WRITE
)
async def put_graph(
    request: Request,
    engine: EngineDep,
    body: Annotated[bytes, Depends(read_body)],
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    """Replace the graph with the one sent."""
    return await _load(request, engine, body, _writable(graph, default), replace=True)


@router.post(
    "/store", summary="Add to a contributed graph", openapi_extra=_GRAPH_BODY, **_GRAPH_WRITE
)
async def post_graph(
    request: Request,
    engine: EngineDep,
    body: Annotated[bytes, Depends(read_body)],
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    """Add the triples sent to the graph (their blank nodes are new ones)."""
    return await _load(request, engine, body, _writable(graph, default), replace=False)


@router.delete(
    "/store",
    summary="Remove a contributed graph",
    **{**_GRAPH_WRITE, "responses": {404: {"description": "No graph has that name."},
                                     **_WRITE_RESPONSES}},
)
async def delete_graph(
    engine: EngineDep, graph: GraphParam = None, default: DefaultParam = None
) -> Response:
    """Remove every triple of the graph."""
    await engine.write_async(DropGraph(_writable(graph, default)))
    return Response(status_code=204)


def _graph_name(graph: str | None, default: str | None) -> str:
    """The graph named by ``?graph=`` or ``?default``.

    :raises HTTPException: 400 unless exactly one is given, and ``graph`` is an IRI.
    """
    if (graph is None) == (default is None):
        raise HTTPException(400, "Name one graph: give either ?graph=IRI or ?default.")
    if graph is None:
        return CONTRIBUTED
    try:
        return ox.NamedNode(graph).value
    except ValueError as exc:
        raise HTTPException(400, f"Invalid graph IRI: {exc}") from exc


def _writable(graph: str | None, default: str | None) -> str:
    """The graph named, if writes may change it.

    :raises ForbiddenError: for a graph that is not a contributed one.
    """
    name = _graph_name(graph, default)
    if not is_contributed(name):
        raise ForbiddenError(
            f"<{name}> is read-only: writes may change only <{CONTRIBUTED}> and graphs named "
            "under it."
        )
    return name


async def _load(
    request: Request, engine: Engine, body: bytes, graph: str, *, replace: bool
) -> Response:
    content_type = content_type_of(request, " or ".join(GRAPH_FORMATS))
    if content_type.essence not in GRAPH_FORMATS:
        raise HTTPException(
            415,
            f"Unsupported content type {content_type.essence}: send "
            + ", ".join(GRAPH_FORMATS) + ".",
        )
    require_utf8(content_type)
    if content_type.essence == RDF_XML:
        check_entities(body, limit=engine.settings.max_body_bytes)
    reply = await engine.write_async(LoadGraph(graph, body, content_type.essence, replace))
    return Response(status_code=201 if reply.created and reply.changed else 204)
