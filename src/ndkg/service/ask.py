"""``GET /ask?q=...``: a question in everyday or clinical words, answered through a named question.

The text is mapped onto a named question and its parameters with the graph's own words
(:mod:`ndkg.answers.ask`); the answer says how it was understood and carries the rows, the SPARQL
that ran with its bindings, and the evidence::

    {"query", "interpretation": {"question", "parameters", "ignored"}, "rows", "sparql",
     "evidence", "classification", "version", "disclaimer"}

Rows and evidence show the current review status of each claim (see
:mod:`ndkg.service.questions`); ``?status=approved`` keeps only the rows resting on approved
claims and statistics, and ``filter`` says how many were left out.

A text that cannot be mapped is not an error: the answer is 200 with ``interpretation`` null
and ``suggestions`` (similar named questions, terms that nearly match the words).

A text that describes a discharge ("bloody discharge from one breast, what should I do?") also
gets ``classification``: what ``/classify`` answers for the features it gives (the verdict, the
bottom line, the next steps that apply) and the classify page for them
(:mod:`ndkg.service.ask_classification`); otherwise ``classification`` is null.

A browser (``Accept`` preferring ``text/html``) gets the same answer as a page: how the
question was understood, the rows as sentences with their evidence, "did you mean" when
nothing matched, and the SPARQL that ran.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from ndkg.answers.ask import Asked, Mention, Suggestions
from ndkg.service.answer_page import answer_page
from ndkg.service.ask_classification import as_json, described
from ndkg.service.audience import Audience, Labeller, chosen_audience, envelope
from ndkg.service.negotiation import choose
from ndkg.service.questions import (
    AnsweringDep,
    answer_body,
    filter_note,
    labeller,
    question_url,
    reviewed_answer,
)
from ndkg.service.statuses import Reviewing, ReviewingDep, StatusParam
from ndkg.service.templating import ExplorerDep

router = APIRouter(tags=["ask"])

HTML = "text/html"
QuestionText = Annotated[
    str,
    Query(max_length=500, description="A question in everyday or clinical words, "
          "for example `blood-stained discharge from one breast` or `what treats galactorrhea`."),
]


@router.get(
    "/ask",
    summary="Ask a question in everyday or clinical words",
    description="Maps the question onto a named question and its parameters with the graph's "
    "labels, synonyms and lay labels, and answers it; when it cannot, suggests questions and "
    "terms. Browsers (`Accept: text/html`) get the answer as a page.",
    response_model=None,
    responses={200: {"content": {"application/json": {}, HTML: {}}}},
)
def ask(
    request: Request, answering: AnsweringDep, explorer: ExplorerDep, reviewing: ReviewingDep,
    q: QuestionText = "",
    audience: Annotated[Audience | None, Query(
        description="`patient`: everyday words (lay labels); `clinician`: clinical labels.",
    )] = None,
    status: StatusParam = None,
) -> Response:
    """Answer ``q`` through the named question that fits it best, or suggest some."""
    page = choose(request.headers.get("accept"), ("application/json", HTML)) == HTML
    if page:
        return answer_page(request, answering, explorer, q, reviewing.only(status))
    if not q.strip():
        raise RequestValidationError([{
            "type": "missing", "loc": ("query", "q"), "input": q,
            "msg": "a question is needed: ?q=...", "ctx": {},
        }])
    chosen = audience or chosen_audience(request) or Audience.clinician
    return JSONResponse(answer(answering, q, labeller(answering, chosen), reviewing.only(status)))


def answer(
    answering: AnsweringDep, q: str, labels: Labeller, reviewing: Reviewing,
) -> dict[str, Any]:
    """The JSON answer to ``q``, with the current review status of each claim; limited to
    approved claims and statistics when ``reviewing`` is."""
    outcome = answering.asker().ask(q)
    version = answering.questions().store.version
    classification = classification_of(answering, q, labels, reviewing)
    if isinstance(outcome, Suggestions):
        return envelope(version, query=q, interpretation=None,
                        suggestions=suggestions(outcome, labels), rows=[], evidence=[],
                        classification=classification)
    status, reviews = reviewing.status, reviewing.reviews
    solutions = reviewed_answer(answering, outcome, reviews, status)
    body = answer_body(solutions, labels)
    extra = {}
    if status:
        question = outcome.interpretation.question
        extra["filter"] = filter_note(question, len(solutions.rows), len(outcome.solutions.rows))
    return envelope(version, query=q, interpretation=interpretation(outcome, labels),
                    rows=body["rows"], sparql=body["sparql"], evidence=body["evidence"],
                    classification=classification, **extra)


def classification_of(
    answering: AnsweringDep, q: str, labels: Labeller, reviewing: Reviewing,
) -> dict[str, Any] | None:
    """The classification of the discharge ``q`` describes, as ``/classify`` gives it under
    the same review filter, with the current status of each claim; ``None`` when it
    describes none."""
    found = described(q, answering.asker(), reviewing.classifier(answering.classifier()))
    if found is None:
        return None
    return as_json(found, labels, reviewing.reviews)


def interpretation(asked: Asked, labels: Labeller) -> dict[str, Any]:
    """How the text was understood: the question, each parameter with the words that gave it,
    and the mentions no parameter took."""
    understood = asked.interpretation
    question = understood.question
    return {
        "question": {"name": question.name, "summary": question.summary,
                     "url": question_url(question, understood.values)},
        "parameters": {
            name: labels.term(value) | {"matched": understood.mentions[name].text}
            for name, value in understood.values.items()
        },
        "ignored": [_mention(mention, labels) for mention in understood.unused],
    }


def suggestions(found: Suggestions, labels: Labeller) -> dict[str, Any]:
    """The suggestions for a text that could not be mapped."""
    return {
        "questions": [
            {"name": q.name, "summary": q.summary, "url": question_url(q)} for q in found.questions
        ],
        "terms": [labels.term(iri) | {"matched": words} for words, iri in found.terms],
    }


def _mention(mention: Mention, labels: Labeller) -> dict[str, Any]:
    return {"matched": mention.text, "terms": [labels.term(t) for t in mention.terms]}
