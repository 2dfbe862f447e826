"""Named questions over HTTP: ``GET /questions`` lists them, ``GET /questions/{name}`` answers one.

:func:`router` makes one documented route per ``.rq`` file of the build, with its parameters as
typed query-string arguments, so the OpenAPI schema shows each question; a hidden catch-all
route answers questions added to the build later and names the known ones for an unknown name
(404). Parameter values (CURIEs, IRIs, or labels, synonyms and lay labels of an allowed value)
are resolved to RDF terms and written into the question's text
(:func:`ndkg.questions.text.bind_text`); a value that is unknown or not
allowed is refused with 422, the body listing the allowed values.

Results are negotiated as on ``/sparql`` (SPARQL JSON by default, XML, CSV, TSV), and
``application/json`` gives the answer for people, and so does a browser's request (an
``Accept`` that prefers ``text/html``), so that a link to a question reads as it is::

    {"question", "parameters", "sparql": {"query", "endpoint"}, "rows", "evidence",
     "version", "disclaimer"}

where every IRI is ``{"id", "iri", "label"}`` (labels in the words of ``?audience=``),
``sparql.query`` is the query that ran with its values written in (it gives the same rows on
``/sparql``), and ``evidence`` gathers, once per claim
and citation, the columns the ``.rq`` files project by convention (:data:`CLAIM_COLUMNS`,
:data:`EVIDENCE_COLUMNS`).

Each row resting on a claim or statistic shows its current review status
(:mod:`ndkg.reviews.records`) as ``reviewStatus`` and its curated one as ``curatedReviewStatus``.
``?status=approved`` keeps only the rows resting on approved claims and statistics: the query that
runs (and is shown) ends with a ``VALUES`` clause of them, and the answer's ``filter`` says how
many rows were left out.
"""

from __future__ import annotations

import dataclasses
import inspect
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from ndkg.answers.ask import Asked, Asker, Solutions, run
from ndkg.answers.classify import Classifier
from ndkg.answers.lexicon import compress
from ndkg.errors import ParameterError, StoreError
from ndkg.model.sources import QUERIES_DIR
from ndkg.querying.worker import Reply
from ndkg.questions import Parameter, Question, Questions, parse_question
from ndkg.questions.model import Kind
from ndkg.reviews.overlay import projected, restricted, reviewed_rows
from ndkg.reviews.records import Reviews
from ndkg.service.answers import AnswerCache
from ndkg.service.audience import Audience, AudienceParam, Labeller, envelope
from ndkg.service.deps import StoreSlot
from ndkg.service.negotiation import SELECT_OFFERS, choose
from ndkg.service.statuses import (
    STATUS,
    StatusFilter,
    StatusParam,
    get_reviews,
)
from ndkg.storage.store import EmbeddedStore, build_of, current_build

ANSWER = "application/json"
"""The media type of the answer for people; the other offers are SPARQL results formats."""
OFFERS = tuple(offer.media_type for offer in SELECT_OFFERS)
AUDIENCE = "audience"
SPARQL_ENDPOINT = "/sparql"
"""Where the query of an answer can be run again, as it is."""

CLAIM_COLUMNS = ("claim", "statement", "statistic")
"""Columns naming the claim or statistic a row rests on."""
EVIDENCE_COLUMNS = (
    "citation", "pmid", "doi", "evidence", "reviewStatus", "reviewDate", "curatedReviewStatus",
    "curatedReviewDate", "qualifier", "text",
)
"""Columns that describe the evidence for that claim or statistic."""

_TYPES: Mapping[Kind, type] = {Kind.IRI: str, Kind.LITERAL: str, Kind.INTEGER: int,
                               Kind.NUMBER: float}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The answer: SPARQL results, or the answer for people "
        "(`application/json`).",
        "content": {media_type: {} for media_type in OFFERS},
    },
    404: {"description": "No question has that name."},
    406: {"description": "No offered format fits the Accept header."},
    422: {"description": "A parameter is unknown, missing or not allowed (`status` allows "
          "`approved` only); the body lists the allowed values."},
}


class Answering:
    """The named questions of the served store, what maps words and presentations onto them
    (each built on first use, then only read), and the answers kept for repeated requests."""

    def __init__(self, slot: StoreSlot, answers: AnswerCache) -> None:
        self._slot = slot
        self.answers = answers
        self._lock = threading.Lock()
        self._questions: Questions | None = None
        self._asker: Asker | None = None
        self._classifier: Classifier | None = None

    def questions(self) -> Questions:
        """The named questions of the build being served (made again for a new build).

        :raises StoreError: if there is no usable build.
        """
        store = self._slot.get()
        if self._questions is None or self._questions.store is not store:
            with self._lock:  # the first use, or a new build is served
                if self._questions is None or self._questions.store is not store:
                    self._questions = Questions(store, build_of(store) / QUERIES_DIR)
                    self._asker = self._classifier = None
        return self._questions

    def asker(self) -> Asker:
        """What maps texts onto the named questions."""
        if self._asker is None:
            questions = self.questions()
            with self._lock:
                self._asker = self._asker or Asker(questions)
        return self._asker

    def classifier(self) -> Classifier:
        """What classifies presentations with the build's classification."""
        if self._classifier is None:
            questions = self.questions()
            with self._lock:
                self._classifier = self._classifier or Classifier(
                    questions.store, questions.lexicon
                )
        return self._classifier


def get_answering(request: Request) -> Answering:
    """The application's :class:`Answering`."""
    answering: Answering = request.app.state.answering
    return answering


AnsweringDep = Annotated[Answering, Depends(get_answering)]


def labeller(answering: Answering, audience: Audience) -> Labeller:
    """A labeller with the graph's words, for ``audience``."""
    return Labeller(answering.questions().lexicon, audience)


def question_url(question: Question, values: Mapping[str, str] | None = None) -> str:
    """The path that answers ``question`` with ``values`` (in the order of its parameters)."""
    given = values or {}
    query = urlencode({p.name: compress(given[p.name]) for p in question.parameters
                       if p.name in given})
    return f"/questions/{question.name}" + (f"?{query}" if query else "")


def describe(question: Question, questions: Questions, labels: Labeller) -> dict[str, Any]:
    """A question as ``GET /questions`` lists it."""
    return {
        "name": question.name,
        "summary": question.summary,
        "description": question.description,
        "tags": list(question.tags),
        "url": question_url(question),
        "parameters": [
            {
                "name": parameter.name,
                "type": parameter.kind.value,
                "required": parameter.required,
                "default": compress(parameter.default) if parameter.default else None,
                "description": parameter.description,
                "allowed": [labels.term(a.iri) for a in questions.allowed(question, parameter)],
            }
            for parameter in question.parameters
        ],
    }


def answer_body(solutions: Solutions, labels: Labeller) -> dict[str, Any]:
    """The answer for people (without ``version`` and ``disclaimer``)."""
    question = solutions.question
    rows = [{name: labels.value(term) for name, term in row.items()} for row in solutions.rows]
    by_variable = {parameter.variable: parameter.name for parameter in question.parameters}
    return {
        "question": {"name": question.name, "summary": question.summary},
        "parameters": {
            by_variable[variable]: labels.value(term)
            for variable, term in solutions.bindings.items()
        },
        "sparql": {"query": solutions.sparql, "endpoint": SPARQL_ENDPOINT},
        "rows": rows,
        "evidence": evidence(solutions.rows, labels),
    }


def evidence(
    rows: Iterable[Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal]], labels: Labeller
) -> list[dict[str, Any]]:
    """The evidence in ``rows``: one entry per claim (or statistic) and citation."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        claim = next((row[c] for c in CLAIM_COLUMNS if c in row), None)
        if claim is None or not any(c in row for c in EVIDENCE_COLUMNS):
            continue
        key = (str(claim), str(row.get("citation", "")))
        if key not in found:
            found[key] = {"claim": labels.value(claim)} | {
                column: labels.value(row[column]) for column in EVIDENCE_COLUMNS if column in row
            }
    return list(found.values())


def unprocessable(
    error: ParameterError, question: Question, questions: Questions, labels: Labeller,
    value: str | None,
) -> RequestValidationError:
    """A 422 for ``error`` in FastAPI's own shape, listing what is allowed in ``ctx``."""
    parameter = question.parameter(error.name)
    context: dict[str, list[Any]]
    if parameter is None:
        context = {"parameters": [p.name for p in question.parameters]}
    else:
        context = {"allowed": [labels.term(a.iri) for a in questions.allowed(question, parameter)]}
    return RequestValidationError([{
        "type": "value_error", "loc": ("query", error.name), "msg": str(error), "input": value,
        "ctx": context,
    }])


def raw_parameters(
    request: Request, ignore: Iterable[str] = (AUDIENCE, STATUS)
) -> dict[str, str]:
    """The query-string arguments of ``request`` but ``ignore``; each may be given once.

    :raises RequestValidationError: for an argument given more than once.
    """
    raw: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in ignore:
            continue
        if key in raw:
            raise RequestValidationError([{
                "type": "value_error", "loc": ("query", key), "input": value,
                "msg": f"parameter {key!r} is given more than once", "ctx": {},
            }])
        raw[key] = value
    return raw


def status_filter(request: Request) -> StatusFilter | None:
    """The review status ``?status=`` limits the answer to, if any.

    :raises RequestValidationError: for a status that answers cannot be limited to.
    """
    given = request.query_params.get(STATUS)
    if given is None:
        return None
    try:
        return StatusFilter(given)
    except ValueError:
        allowed = [f.value for f in StatusFilter]
        raise RequestValidationError([{
            "type": "enum", "loc": ("query", STATUS), "input": given,
            "msg": f"Input should be {' or '.join(repr(a) for a in allowed)}",
            "ctx": {"allowed": allowed},
        }]) from None


def claim_column(question: Question) -> str | None:
    """The column naming the claim or statistic each row of ``question`` rests on, if any."""
    columns = projected(question.sparql)
    return next((c for c in CLAIM_COLUMNS if c in columns), None)


def approved_rows(question: Question, reviews: Reviews) -> Callable[[str], str] | None:
    """What limits the query of ``question`` to the rows resting on approved claims and
    statistics; ``None`` for a question whose rows rest on none."""
    column = claim_column(question)
    if column is None:
        return None
    return lambda sparql: restricted(sparql, column, reviews.approved)


def reviewed(solutions: Solutions, reviews: Reviews) -> Solutions:
    """``solutions`` with the current review status of the claims its rows rest on."""
    rows = reviewed_rows(solutions.rows, reviews, CLAIM_COLUMNS)
    return dataclasses.replace(solutions, rows=rows)


def reviewed_answer(
    answering: Answering, asked: Asked, reviews: Reviews, status: StatusFilter | None
) -> Solutions:
    """The rows answering ``asked`` (by :mod:`ndkg.answers.ask`), with the current review status of
    each claim; with ``status``, the question asked again keeping only rows resting on
    approved claims and statistics."""
    solutions = asked.solutions
    restrict = approved_rows(solutions.question, reviews) if status else None
    if restrict is not None:
        raw = dict(asked.interpretation.values)
        solutions = run(answering.questions(), solutions.question, raw, restrict)
    return reviewed(solutions, reviews)


def filter_note(question: Question, kept: int, of: int) -> dict[str, Any]:
    """What an answer limited to approved claims and statistics says of the rows left out."""
    column = claim_column(question)
    left_out = of - kept
    if column is None:
        note = "The rows of this question rest on no claim or statistic: none is left out."
    elif left_out:
        rows = "row rests" if left_out == 1 else "rows rest"
        note = (f"{left_out} {rows} on claims or statistics that are not approved and "
                f"{'is' if left_out == 1 else 'are'} left out; ask without status=approved to "
                "see them.")
    else:
        note = "Every row rests on approved claims or statistics."
    return {"status": StatusFilter.approved.value, "column": column, "left_out": left_out,
            "note": note}


def respond(request: Request, answering: Answering, name: str, audience: Audience) -> Response:
    """Answer the named question ``name`` with the request's query-string arguments."""
    questions = answering.questions()
    question = questions.get(name)
    media_type = choose(request.headers.get("accept"), OFFERS)
    accept = request.headers.get("accept") or ""
    if "text/html" in accept and choose(accept, ("text/html", *OFFERS)) == "text/html":
        media_type = ANSWER  # a browser: the answer for people, readable as it is
    if media_type is None:
        raise HTTPException(406, f"Not acceptable: answers can be sent as {', '.join(OFFERS)}.")
    raw = raw_parameters(request)
    only = status_filter(request)
    reviews = get_reviews(request) if media_type == ANSWER or only else None
    headers = {"Vary": "Accept"}
    # Answers from a remote backend are not kept: its data may change at any time.
    key = (questions.store.path, name, tuple(sorted(raw.items())), media_type,
           audience if media_type == ANSWER else None, only,
           reviews.store if reviews is not None else None)
    embedded = isinstance(questions.store, EmbeddedStore)
    if (cached := answering.answers.get(key) if embedded else None) is None:
        try:
            body = _answer(answering, question, raw, media_type, audience, reviews, only)
        except ParameterError as exc:
            labels = labeller(answering, audience)
            raise unprocessable(exc, question, questions, labels, raw.get(exc.name)) from exc
        cached = Reply(media_type, body)
        if embedded:
            answering.answers.put(key, cached)
    return Response(cached.body, media_type=media_type, headers=headers)


def _answer(
    answering: Answering, question: Question, raw: dict[str, str], media_type: str,
    audience: Audience, reviews: Reviews | None, only: StatusFilter | None,
) -> bytes:
    """The body answering ``question`` with ``raw`` in ``media_type``, limited to approved
    claims and statistics with ``only``.

    :raises ParameterError: for a parameter value that is unknown or not allowed.
    """
    questions = answering.questions()
    restrict = approved_rows(question, reviews) if only and reviews is not None else None
    if media_type == ANSWER:
        assert reviews is not None
        solutions = run(questions, question, raw, restrict)
        body = answer_body(reviewed(solutions, reviews), labeller(answering, audience))
        if only:
            everything = run(questions, question, raw) if restrict else solutions
            body["filter"] = filter_note(question, len(solutions.rows), len(everything.rows))
        return bytes(JSONResponse(envelope(questions.store.version, **body)).body)
    offer = next(o for o in SELECT_OFFERS if o.media_type == media_type)
    sparql = questions.sparql(question, questions.bind(question, raw))
    result = questions.execute(restrict(sparql) if restrict else sparql)
    return result.serialize(format=offer.format) or b""


def list_questions(
    answering: AnsweringDep, audience: AudienceParam = Audience.clinician
) -> dict[str, Any]:
    """Every named question with its parameters and their allowed values."""
    questions = answering.questions()
    labels = labeller(answering, audience)
    listed = [describe(q, questions, labels) for q in questions.by_name.values()]
    return envelope(questions.store.version, questions=listed)


def any_question(
    name: str, request: Request, answering: AnsweringDep,
    audience: AudienceParam = Audience.clinician, status: StatusParam = None,
) -> Response:
    """Answer a named question of the build (those of the build at start have routes of their
    own)."""
    return respond(request, answering, name, audience)


def question_endpoint(question: Question) -> Callable[..., Response]:
    """A route handler for ``question`` whose signature declares its parameters, typed."""

    def endpoint(
        request: Request, answering: Answering, audience: Audience, **_: object
    ) -> Response:
        return respond(request, answering, question.name, audience)

    keyword = inspect.Parameter.KEYWORD_ONLY
    signature = [
        inspect.Parameter("request", keyword, annotation=Request),
        inspect.Parameter("answering", keyword, annotation=AnsweringDep),
        *(_query_parameter(f"p{i}", parameter) for i, parameter in enumerate(question.parameters)),
        inspect.Parameter("audience", keyword, annotation=AudienceParam,
                          default=Audience.clinician),
        inspect.Parameter("status", keyword, annotation=StatusParam, default=None),
    ]
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        signature, return_annotation=Response
    )
    endpoint.__doc__ = question.description
    return endpoint


def _query_parameter(name: str, parameter: Parameter) -> inspect.Parameter:
    kind = _TYPES[parameter.kind]
    text = parameter.description or f"A {parameter.kind.value}."
    if parameter.kind is Kind.IRI:
        text += " An IRI, a CURIE, or a label, synonym or lay label of an allowed value."
    query = Query(alias=parameter.name, description=text)
    if parameter.required:
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY,
                                 annotation=Annotated[kind, query])
    default = compress(parameter.default) if parameter.default else None
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY,
                             annotation=Annotated[kind | None, query], default=default)


def build_questions(home: Path, store: EmbeddedStore | None) -> list[Question]:
    """The named questions of the build in ``home`` (or of ``store``); none without a build."""
    try:
        build = store.path.parent if store is not None else current_build(home)
    except StoreError:
        return []
    return [parse_question(path) for path in sorted((build / QUERIES_DIR).glob("*.rq"))]


def router(home: Path, store: EmbeddedStore | None = None) -> APIRouter:
    """The questions router, with a documented route for each question of the current build."""
    routes = APIRouter(tags=["questions"])
    routes.add_api_route(
        "/questions", list_questions, methods=["GET"], summary="List the named questions",
        description="Each question with its summary, description, tags and parameters (type, "
        "required, default, description and allowed values).",
    )
    for question in build_questions(home, store):
        routes.add_api_route(
            question_url(question), question_endpoint(question), methods=["GET"],
            name=f"question-{question.name}", summary=question.summary,
            description=question.description, response_class=Response, responses=_RESPONSES,
        )
    routes.add_api_route("/questions/{name}", any_question, methods=["GET"],
                         response_class=Response, include_in_schema=False)
    return routes
