"""``GET /reviews/{curie}`` and ``POST /reviews/{curie}``: the review history of a claim or
statistic, and a reviewer's new status for it; see ``docs/review.md``.

A reviewer, holding the write token (:mod:`ndkg.service.auth`), sends the status, a comment and
their ORCID iD; the service adds the time and writes a review record (:mod:`ndkg.reviews.records`)
into the contributed graph ``.../contributed/reviews`` through the write path of every write
(:meth:`~ndkg.service.engine.Engine.write_async`): checked with the SHACL shapes, all or nothing,
durable once acknowledged. The history is public: every record, oldest first, with the current
status (the latest record's, else the curated one) and the curated one.
"""

from __future__ import annotations

from datetime import UTC
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from ndkg.answers.lexicon import compress, expand
from ndkg.errors import QueryError
from ndkg.explorer.names import Names
from ndkg.explorer.rdf import values
from ndkg.reviews.orcid import ORCID, orcid_iri
from ndkg.reviews.records import REVIEWS_GRAPH, Review, Reviews, Statement, Status
from ndkg.service.audience import Audience, AudienceParam, Labeller, envelope
from ndkg.service.auth import Writer
from ndkg.service.deps import StoreDep
from ndkg.service.engine import EngineDep
from ndkg.service.questions import AnsweringDep, labeller
from ndkg.service.sparql import content_type_of, read_body, require_utf8
from ndkg.service.statuses import StatusBoard
from ndkg.storage.store import Store
from ndkg.storage.writes import LoadGraph

router = APIRouter(tags=["review"])

JSON = "application/json"
MAX_COMMENT = 4000
"""The longest comment, in characters."""


class ReviewRequest(BaseModel):
    """A reviewer's status for a claim or statistic."""

    model_config = ConfigDict(extra="forbid")

    status: Status = Field(description="The status set: `submitted`, `under review`, "
                           "`approved` or `rejected`.", examples=["approved"])
    comment: str | None = Field(
        None, max_length=MAX_COMMENT, validate_default=True,
        description="Why; required when rejecting.", examples=["Checked against the source."],
    )
    orcid: str = Field(description="The reviewer's ORCID iD (`0000-0002-1825-0097`) or its "
                       "IRI; its check digit is verified.", examples=["0000-0002-1825-0097"])

    @field_validator("comment")
    @classmethod
    def _comment(cls, comment: str | None, info: ValidationInfo) -> str | None:
        text = comment.strip() if comment is not None else ""
        if not text and info.data.get("status") is Status.rejected:
            raise PydanticCustomError(
                "comment_required", "A rejection needs a comment saying why the claim or "
                "statistic is not supported as stated.",
            )
        return text or None

    @field_validator("orcid")
    @classmethod
    def _orcid(cls, orcid: str) -> str:
        try:
            return orcid_iri(orcid)
        except ValueError as exc:
            raise PydanticCustomError("orcid", str(exc)) from exc


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema with its local definitions (``$defs``) written where they are used, as a
    request body of an OpenAPI document needs them.

    >>> _inlined({"$defs": {"S": {"enum": ["a"]}}, "properties": {"s": {"$ref": "#/$defs/S"}}})
    {'properties': {'s': {'enum': ['a']}}}
    """
    definitions = schema.get("$defs", {})

    def inline(part: Any) -> Any:
        if isinstance(part, dict):
            reference = part.get("$ref", "")
            if reference.startswith("#/$defs/"):
                rest = {k: inline(v) for k, v in part.items() if k != "$ref"}
                return {**inline(definitions[reference.removeprefix("#/$defs/")]), **rest}
            return {k: inline(v) for k, v in part.items() if k != "$defs"}
        if isinstance(part, list):
            return [inline(item) for item in part]
        return part

    result: dict[str, Any] = inline(schema)
    return result


class Term(BaseModel):
    """A term of the graph, labelled for the audience."""

    id: str
    iri: str
    label: str | None


class ReviewRecord(BaseModel):
    """A review record."""

    record: str = Field(description="The record's IRI (`urn:uuid:...`).")
    statement: Term
    status: Term
    reviewer: str = Field(description="The IRI of the reviewer's ORCID record.")
    orcid: str = Field(description="The reviewer's ORCID iD.")
    comment: str | None
    reviewed_at: str = Field(description="When, set by the service (xsd:dateTime, UTC).")


class RecordAnswer(ReviewRecord):
    """The record just written, with the graph version and the disclaimer."""

    history: str = Field(description="Where the statement's history is read.")
    version: str
    disclaimer: str


class History(BaseModel):
    """The review history of a claim or statistic."""

    statement: Term
    kind: str = Field(description="`claim` or `statistic`.")
    status: Term = Field(description="The current status: the latest review's, else the "
                         "curated one.")
    curated_status: Term = Field(description="The status in the curated sources.")
    curated_date: str | None = Field(description="The day of the curated status.")
    history: list[ReviewRecord] = Field(description="Every review record, oldest first.")
    version: str
    disclaimer: str


CurieParam = Annotated[str, Path(description="The CURIE of a claim or statistic, for example "
                                 "`NDKG:0001031`.", examples=["NDKG:0001031"])]

_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "The term is not a claim or statistic of the graph."},
    410: {"description": "The claim or statistic is obsolete: the body names its replacement."},
    503: {"description": "No build, out of time, or every worker busy."},
}


def board(request: Request) -> StatusBoard:
    """The application's :class:`StatusBoard`."""
    found: StatusBoard = request.app.state.statuses
    return found


BoardDep = Annotated[StatusBoard, Depends(board)]


@router.get(
    "/reviews/{curie}", summary="The review history of a claim or statistic",
    response_model=History, responses=_FOUND,
)
def history(
    curie: CurieParam, answering: AnsweringDep, statuses: BoardDep, store: StoreDep,
    audience: AudienceParam = Audience.clinician,
) -> dict[str, Any]:
    """Every review record of the claim or statistic (who, when, which status, comment), oldest
    first, with its current status and its curated one."""
    reviews = statuses.reviews()
    statement = _statement(curie, reviews, store)
    labels = labeller(answering, audience)
    records = [_record(r, labels) for r in statuses.history(statement.iri)]
    return envelope(
        answering.questions().store.version,
        statement=labels.term(statement.iri), kind=statement.kind,
        status=labels.term(statement.current.iri),
        curated_status=labels.term(statement.curated.iri),
        curated_date=statement.curated_date, history=records,
    )


@router.post(
    "/reviews/{curie}", summary="Set the review status of a claim or statistic",
    status_code=201, response_model=RecordAnswer, dependencies=[Writer],
    responses={
        201: {"description": "The record written; `Location` is the statement's history."},
        400: {"description": "The body is not JSON."},
        401: {"description": "No write token: send `Authorization: Bearer <token>`."},
        403: {"description": "A wrong token, or writes are off; nothing changed."},
        415: {"description": "The body is not `application/json` in UTF-8."},
        422: {"description": "An unknown status, a bad ORCID iD (its check digit), a rejection "
              "without a comment, another field; or a record the SHACL shapes refuse."},
        429: {"description": "Too many wrong tokens from this client."},
        **_FOUND,
    },
    openapi_extra={"requestBody": {
        "required": True,
        "content": {JSON: {
            "schema": _inlined(ReviewRequest.model_json_schema()),
            "example": {"status": "approved", "comment": "Checked against the source.",
                        "orcid": "0000-0002-1825-0097"},
        }},
    }},
)
async def review(
    curie: CurieParam, request: Request, engine: EngineDep, answering: AnsweringDep,
    statuses: BoardDep, store: StoreDep, body: Annotated[bytes, Depends(read_body)],
    audience: AudienceParam = Audience.clinician,
) -> JSONResponse:
    """Record the status a reviewer sets for the claim or statistic, with their comment and
    ORCID iD; the service adds the time (UTC)."""
    sent = _request(request, body)
    reviews = await to_thread.run_sync(statuses.reviews)
    statement = await to_thread.run_sync(_statement, curie, reviews, store)
    record = Review.new(statement.iri, sent.status, sent.orcid, sent.comment)
    await engine.write_async(
        LoadGraph(REVIEWS_GRAPH, record.n_triples(), "application/n-triples", replace=False)
    )
    location = f"/reviews/{compress(statement.iri)}"

    def answer() -> dict[str, Any]:  # labels may be read from the store: not in the event loop
        labels = labeller(answering, audience)
        return envelope(answering.questions().store.version, **_record(record, labels),
                        history=location)

    written = await to_thread.run_sync(answer)
    return JSONResponse(written, status_code=201, headers={"Location": location})


def _request(request: Request, body: bytes) -> ReviewRequest:
    """The review sent in ``body``.

    :raises HTTPException: 415 for another content type; 400 if the body is not JSON.
    :raises RequestValidationError: 422 for a field that is missing, unknown or wrong.
    """
    content_type = content_type_of(request, JSON)
    if content_type.essence != JSON:
        raise HTTPException(415, f"Unsupported content type {content_type.essence}: send {JSON}.")
    require_utf8(content_type)
    try:
        return ReviewRequest.model_validate_json(body)
    except PydanticValidationError as exc:
        errors = exc.errors(include_url=False)
        invalid = [e for e in errors if e["type"] == "json_invalid"]
        if invalid:
            reason = str(invalid[0]["msg"]).removeprefix("Invalid JSON: ")
            raise HTTPException(400, f"The body is not JSON: {reason}.") from exc
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in errors]
        ) from exc


def _statement(curie: str, reviews: Reviews, store: Store) -> Statement:
    """The claim or statistic ``curie`` names.

    :raises HTTPException: 404 if it names none, 410 if it names an obsolete one.
    """
    iri = expand(curie)
    statement = reviews.get(iri) if iri else None
    if statement is not None:
        return statement
    if iri is not None:
        _refuse_obsolete(curie, iri, store)
    raise HTTPException(
        404, f"{curie} is not a claim or statistic of the graph: only claims (NDKG:0000107) and "
        "statistics (NDKG:0000108) have a review status.",
    )


def _refuse_obsolete(curie: str, iri: str, store: Store) -> None:
    """:raises HTTPException: 410 if ``iri`` is obsolete, naming its replacement."""
    try:
        query = f"""
            SELECT ?label ?replacement WHERE {{
              {values("term", [iri])}
              ?term owl:deprecated true .
              OPTIONAL {{ ?term rdfs:label ?label }}
              OPTIONAL {{ ?term obo:IAO_0100001 ?replacement }}
            }}"""
        rows = store.select(query, use_prefixes=True)
    except (QueryError, ValueError):  # not an IRI
        return
    if not rows:
        return
    label = rows[0].get("label")
    replaced = rows[0].get("replacement")
    named = f" ({label})" if label else ""
    then = (f" Review its replacement, {compress(replaced)}." if replaced
            else " It has no replacement.")
    raise HTTPException(
        410, f"{curie}{named} is obsolete: it states nothing and cannot be reviewed.{then}",
    )


def _record(record: Review, labels: Labeller) -> dict[str, Any]:
    return {
        "record": record.iri,
        "statement": labels.term(record.statement),
        "status": labels.term(record.status.iri),
        "reviewer": record.reviewer,
        "orcid": record.reviewer.removeprefix(ORCID),
        "comment": record.comment,
        "reviewed_at": record.reviewed_at.isoformat(),
    }


def history_view(statement: Statement, records: list[Review], names: Names) -> dict[str, Any]:
    """The review history of ``statement`` as a term page shows it, statuses named by
    ``names``."""
    def when(record: Review) -> str:
        return f"{record.reviewed_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"

    return {
        "current": names.ref(statement.current.iri),
        "curated": names.ref(statement.curated.iri),
        "curated_date": statement.curated_date,
        "records": [
            {"at": r.reviewed_at.isoformat(), "when": when(r), "status": names.ref(r.status.iri),
             "reviewer": r.reviewer, "orcid": r.reviewer.removeprefix(ORCID),
             "comment": r.comment}
            for r in records
        ],
        "url": f"/reviews/{compress(statement.iri)}",
    }
