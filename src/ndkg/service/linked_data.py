"""Entity pages with Linked Data content negotiation: one URL per term, HTML or RDF.

``https://w3id.org/ndkg/NDKG_0000224`` is served at ``/NDKG_0000224`` (and a presentation
``.../presentation/...`` at ``/presentation/...``), so a w3id redirect keeps the path; terms
of other ontologies are at ``/term/{CURIE}`` or ``/term?iri=...``. The ``Accept`` header
chooses (:func:`ndkg.service.negotiation.choose`, q-values honoured): HTML for browsers, or
the term's description in Turtle, N-Triples, JSON-LD, RDF/XML (and the other graph formats of
the SPARQL endpoint); ``?format=ttl|nt|jsonld|rdf`` overrides the header, for links. The
description is the term's Concise Bounded Description (``DESCRIBE``) with the statements that
reify its own (the claims about it, the OWL axioms annotating its mappings). An unknown term is
404 (an HTML page for browsers), a format nobody asked for 406.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from ndkg.answers.lexicon import expand
from ndkg.explorer import Explorer
from ndkg.explorer.entity import Kind
from ndkg.reviews.overlay import with_current_statuses
from ndkg.reviews.records import Reviews
from ndkg.service.errors import error_response
from ndkg.service.negotiation import GRAPH_OFFERS, choose, negotiate
from ndkg.service.reviews import history_view
from ndkg.service.statuses import ReviewsDep, StatusBoard
from ndkg.service.templating import ExplorerDep, lay, render
from ndkg.vocab import BASE, PREFIXES

router = APIRouter(tags=["linked data"])

HTML = "text/html"
OFFERS = (HTML, "application/xhtml+xml", *(offer.media_type for offer in GRAPH_OFFERS))
"""What a term's URL can answer with; HTML first, so ``*/*`` and no header get the page."""

STATEMENT_KINDS = (Kind.CLAIM, Kind.STATISTIC, Kind.CONFLICT, Kind.CITATION, Kind.PRESENTATION)
"""Kinds of term whose page tells its own evidence rather than what the sources say of it."""

DESCRIBE = "DESCRIBE ?term WHERE { %s }"
REIFICATIONS = """
DESCRIBE ?statement WHERE {
  %s
  { ?statement rdf:subject ?term } UNION { ?statement owl:annotatedSource ?term }
}
"""


class Format(StrEnum):
    """Short names of the RDF formats, for ``?format=``."""

    ttl = "ttl"
    nt = "nt"
    jsonld = "jsonld"
    rdf = "rdf"


FORMAT_TYPES = {
    Format.ttl: "text/turtle",
    Format.nt: "application/n-triples",
    Format.jsonld: "application/ld+json",
    Format.rdf: "application/rdf+xml",
}

FormatParam = Annotated[
    Format | None,
    Query(alias="format", description="An RDF format that overrides the Accept header: "
          "`ttl`, `nt`, `jsonld` or `rdf` (RDF/XML)."),
]

_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The term's page (HTML), or its description in an RDF format.",
        "content": {media_type: {} for media_type in OFFERS},
    },
    404: {"description": "The graph does not mention this term."},
    406: {"description": "No offered format fits the Accept header."},
}


@router.get(
    "/NDKG_{number}", summary="An ndkg term: its page or its RDF", response_class=Response,
    responses=_RESPONSES,
)
def ndkg_term(
    number: str, request: Request, explorer: ExplorerDep, reviews: ReviewsDep,
    rdf_format: FormatParam = None,
) -> Response:
    """The term ``https://w3id.org/ndkg/NDKG_{number}``."""
    iri = f"{BASE}NDKG_{number}" if re.fullmatch(r"\d{7}", number) else None
    return answer(request, explorer, iri, rdf_format, reviews)


@router.get(
    "/presentation/{key:path}", summary="A classified presentation: its page or its RDF",
    response_class=Response, responses=_RESPONSES,
)
def presentation(
    key: str, request: Request, explorer: ExplorerDep, reviews: ReviewsDep,
    rdf_format: FormatParam = None,
) -> Response:
    """The presentation ``https://w3id.org/ndkg/presentation/{key}``."""
    return answer(request, explorer, f"{BASE}presentation/{key}", rdf_format, reviews)


@router.get(
    "/term/{curie}", summary="Any term by CURIE: its page or its RDF", response_class=Response,
    responses=_RESPONSES,
)
def term_by_curie(
    curie: str, request: Request, explorer: ExplorerDep, reviews: ReviewsDep,
    rdf_format: FormatParam = None,
) -> Response:
    """A term named by a CURIE with one of ndkg's prefixes (``HP:0100829``)."""
    return answer(request, explorer, expand(curie), rdf_format, reviews)


@router.get(
    "/term", summary="Any term by IRI: its page or its RDF", response_class=Response,
    responses=_RESPONSES,
)
def term_by_iri(
    request: Request,
    explorer: ExplorerDep,
    reviews: ReviewsDep,
    iri: Annotated[str, Query(description="The IRI of the term.")],
    rdf_format: FormatParam = None,
) -> Response:
    """A term named by its IRI."""
    return answer(request, explorer, iri, rdf_format, reviews)


def answer(
    request: Request, explorer: Explorer, iri: str | None, rdf_format: Format | None,
    reviews: Reviews,
) -> Response:
    """The page or the RDF description of ``iri``, as the request prefers; a page shows the
    current review status of each claim and statistic, and that of a claim or statistic shows
    its review history."""
    if rdf_format is not None:
        media_type: str | None = FORMAT_TYPES[rdf_format]
    else:
        media_type = choose(request.headers.get("accept"), OFFERS)
    wants_html = media_type in (HTML, "application/xhtml+xml")
    entity = None
    if iri is not None:
        try:
            entity = explorer.describe(iri, lay(request))
        except ValueError:
            entity = None
    if entity is None:
        detail = f"No term {iri} in the graph." if iri else "No such term in the graph."
        if wants_html:
            return render(request, "not_found.html", 404, detail=detail)
        return error_response(request, 404, detail, {"Vary": "Accept"})
    if media_type is None:
        raise HTTPException(406, f"Not acceptable: a term can be sent as {', '.join(OFFERS)}.")
    if wants_html:
        names = explorer.namer(lay(request))
        statement = reviews.get(entity.ref.iri)
        review = None
        if statement is not None:
            board: StatusBoard = request.app.state.statuses
            review = history_view(statement, board.history(statement.iri), names)
        shown = [c.ref.iri for c in (entity.conflict, *entity.conflicts) if c is not None]
        conflicts = {c: explorer.conflict(c, lay(request)) for c in shown}
        sources = None
        if entity.kind not in STATEMENT_KINDS:
            sources = explorer.sources_say(entity.ref.iri, lay(request))
        page = render(request, "entity.html", entity=with_current_statuses(entity, reviews, names),
                      on_chain=iri in explorer.chain.nodes, formats=FORMAT_TYPES, review=review,
                      sources=sources, conflicts=conflicts)
        page.headers["Vary"] = "Accept"
        return page
    offer = negotiate(media_type, GRAPH_OFFERS)
    assert offer is not None, "every offer but HTML is a graph format"
    body = ox.serialize(description(explorer, entity.ref.iri), format=offer.format,
                        prefixes=PREFIXES)
    return Response(body, media_type=offer.media_type, headers={"Vary": "Accept"})


def description(explorer: Explorer, iri: str) -> list[ox.Triple]:
    """The Concise Bounded Description of ``iri`` and the statements reifying its own."""
    binding = f"VALUES ?term {{ {ox.NamedNode(iri)} }}"
    triples: dict[ox.Triple, None] = {}
    for query in (DESCRIBE % binding, REIFICATIONS % binding):
        result = explorer.store.query(query, use_prefixes=True)
        assert isinstance(result, ox.QueryTriples), "a DESCRIBE query"
        triples.update(dict.fromkeys(result))
    return list(triples)
