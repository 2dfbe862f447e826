"""JSON for the explorer's pages: search suggestions and the pictures' elements.

- ``GET /api/search?q=`` finds terms by label, lay label, synonym, CURIE or external ID;
- ``GET /api/neighbourhood/{curie}`` (or ``?iri=``) gives a term's direct relations;
- ``GET /api/chain`` gives the causal chain from triggers to leakage;

the last two as cytoscape elements (``{"nodes": [{"data": ...}], "edges": [...]}``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from ndkg.answers.lexicon import expand
from ndkg.explorer import Explorer
from ndkg.explorer.pictures import Picture
from ndkg.service.audience import Audience, AudienceParam
from ndkg.service.templating import ExplorerDep

router = APIRouter(prefix="/api", tags=["explorer"])


@router.get("/search", summary="Find terms by what people type")
def search(
    explorer: ExplorerDep,
    q: Annotated[str, Query(description="Words, a CURIE (ndkg's or a mapped one) or an IRI.")],
    limit: Annotated[int, Query(ge=1, le=50, description="At most this many results.")] = 10,
) -> dict[str, Any]:
    """The best matching terms: ``curie``, ``iri``, ``label``, the ``matched`` text, its
    ``kind`` (label, synonym, lay label, identifier, external ID), the term's ``type`` and the
    ``url`` of its page."""
    hits = explorer.search(q, limit)
    return {"query": q, "results": [hit.as_json() for hit in hits]}


@router.get("/neighbourhood/{curie}", summary="A term and its direct relations, by CURIE")
def neighbourhood_by_curie(
    curie: str, explorer: ExplorerDep, audience: AudienceParam = Audience.clinician
) -> dict[str, Any]:
    """The term, the terms it is directly related to (in and out) and its asserted parents and
    children, with labelled edges."""
    return _neighbourhood(explorer, expand(curie), audience)


@router.get("/neighbourhood", summary="A term and its direct relations, by IRI")
def neighbourhood_by_iri(
    explorer: ExplorerDep, iri: Annotated[str, Query(description="The IRI of the term.")],
    audience: AudienceParam = Audience.clinician,
) -> dict[str, Any]:
    """As ``/api/neighbourhood/{curie}``, for terms without a known prefix."""
    return _neighbourhood(explorer, iri, audience)


@router.get("/chain", summary="The causal chain from triggers to breast milk leakage")
def chain(explorer: ExplorerDep, audience: AudienceParam = Audience.clinician) -> dict[str, Any]:
    """The chain as the graph's edges give it; each node's ``role`` is its stage."""
    return _elements(explorer.chain_for(audience is Audience.patient))


def _neighbourhood(explorer: Explorer, iri: str | None, audience: Audience) -> dict[str, Any]:
    try:
        if iri is not None and explorer.knows(iri):
            return _elements(explorer.neighbourhood(iri, audience is Audience.patient))
    except ValueError:
        pass
    raise HTTPException(404, f"No term {iri} in the graph." if iri else "No such term.")


def _elements(picture: Picture) -> dict[str, Any]:
    return {"elements": picture.elements()}
