"""``GET /classify`` and ``POST /classify``: what a nipple discharge is, and what to do next.

The presentation is given by its features (laterality, ducts, character, onset, lactating),
each as an IRI, a CURIE or words the graph knows (``unilateral``, ``one breast``,
``HP:0012833``), and optionally the weeks since childbirth; a missing feature means any value.
The answer (:mod:`ndkg.answers.classify`) is read from the build's classification of every
combination of features::

    {"presentation", "weeks_postpartum", "verdict", "verdict_class", "bottom_line", "settled",
     "combinations", "patterns", "deciding_features", "presentation_classes", "causes",
     "next_steps", "statistics", "time_course", "conflicts", "version", "disclaimer"}

The verdict is one of ``pathologic``, ``needs_evaluation``, ``galactorrhea``, ``physiologic``,
``outside_patterns`` and ``insufficient_information``: every presentation, however few of its
features are given, gets one, and at least one next step that applies.

Each claim and statistic shows its current review status (the latest review, else the curated
one: :mod:`ndkg.reviews.records`) as ``reviewStatus``, and the curated one as
``curatedReviewStatus``. With ``?status=approved``, causes, next steps and figures come from
approved claims and statistics only; ``filter`` counts what was left out and, when no approved next
step applies, says so (the bottom line too).

An unknown value is refused with 422, the body listing the allowed values of that feature.

A presentation has one address: :func:`presentation_query` writes its features and the
patient's details in the order of :data:`PARAMETERS`, as the classify page and ``/ask`` link to
it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field

from ndkg.answers.classify import (
    FEATURES,
    RELATION_STRENGTH,
    Classification,
    Classifier,
    FeatureCheck,
    LactationWindow,
    TimePoint,
    Verdict,
    conflicts_of,
)
from ndkg.answers.evidence import Claim, Conflict, Statistic
from ndkg.answers.imaging import Imaging, Rating
from ndkg.answers.lexicon import compress
from ndkg.errors import ParameterError
from ndkg.reviews.overlay import no_approved_step, reviewed_json
from ndkg.service.audience import Audience, AudienceParam, Labeller, envelope
from ndkg.service.questions import AnsweringDep, labeller
from ndkg.service.statuses import (
    STATUS_DESCRIPTION,
    Reviewing,
    ReviewingDep,
    StatusFilter,
    StatusParam,
)

router = APIRouter(tags=["classify"])

_WORDS = "An IRI, a CURIE, or a label, synonym or lay label of one of its values."
_NAMES = {iri: name for name, iri in FEATURES.items()}


class Presentation(BaseModel):
    """A nipple discharge, by its features; a feature left out may take any value."""

    model_config = ConfigDict(extra="forbid")

    laterality: str | None = Field(None, description=f"One breast or both. {_WORDS}",
                                   examples=["unilateral"])
    ducts: str | None = Field(None, description=f"One duct opening or several. {_WORDS}",
                              examples=["single duct"])
    character: str | None = Field(None, description=f"Colour or character. {_WORDS}",
                                  examples=["bloody"])
    onset: str | None = Field(None, description=f"Spontaneous or provoked. {_WORDS}",
                              examples=["spontaneous"])
    lactating: str | None = Field(None, description=f"During lactation or unrelated to it. "
                                  f"{_WORDS}", examples=["not lactating"])
    weeks_postpartum: float | None = Field(
        None, ge=0, le=520, description="Weeks since childbirth, for the time course."
    )
    age: float | None = Field(
        None, ge=0, le=120, description="The patient's age in years: with `sex`, the imaging "
        "the criteria give for a discharge needing evaluation.", examples=[45],
    )
    sex: Literal["female", "male"] | None = Field(
        None, description="The patient's sex, as the imaging criteria distinguish it.",
        examples=["female"],
    )
    months_since_weaning: float | None = Field(
        None, ge=0, le=1200, description="Months since the last pregnancy or since "
        "breastfeeding stopped: within the window of the sources, a milky discharge is read "
        "as during lactation, after it as unrelated to lactation.",
    )


PATIENT = ("weeks_postpartum", "age", "sex", "months_since_weaning")
"""What a presentation is given with besides its features, in the order of its address."""
PARAMETERS = (*FEATURES, *PATIENT)
"""Every parameter of a presentation, in the order of its address."""


def presentation_query(features: Mapping[str, str], patient: Mapping[str, Any]) -> str:
    """The query string of a presentation: its ``features`` (name -> IRI) as CURIEs, then the
    details of the ``patient`` that are given (weeks postpartum, age, sex, months since
    weaning), each in the order of :data:`PARAMETERS`, so that a presentation has one address
    however it was reached.

    >>> presentation_query({"character": "http://purl.obolibrary.org/obo/PATO_0002105",
    ...     "laterality": "http://purl.obolibrary.org/obo/HP_0012833"},
    ...     {"sex": "female", "age": 45.0, "months_since_weaning": None})
    'laterality=HP%3A0012833&character=PATO%3A0002105&age=45&sex=female'
    """
    pairs = [(name, compress(features[name])) for name in FEATURES if features.get(name)]
    pairs += [(name, value if isinstance(value, str) else f"{value:g}")
              for name in PATIENT if (value := patient.get(name)) is not None]
    return urlencode(pairs)


class PresentationQuery(Presentation):
    """A presentation in a query string, with the audience of the answer."""

    audience: Audience = Field(Audience.clinician, description="`patient`: everyday words "
                               "(lay labels); `clinician`: clinical labels.")
    status: StatusFilter | None = Field(None, description=STATUS_DESCRIPTION)


_DESCRIPTION = (
    "Classifies the presentation with the classification computed at build time: the verdict "
    "(pathologic, needs_evaluation, galactorrhea, physiologic, outside_patterns or "
    "insufficient_information) with a bottom line, the defining features met or missing, "
    "the features that would decide when some are missing, "
    "the candidate causes ranked with their evidence, the recommended next steps, the figures "
    "about the presentation and, given the weeks since childbirth, the time course."
)
_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"description": "An unknown feature or value; the body lists the allowed values."}
}


@router.get("/classify", summary="Classify a nipple discharge presentation",
            description=_DESCRIPTION, responses=_RESPONSES)
def classify_get(
    presentation: Annotated[PresentationQuery, Query()], answering: AnsweringDep,
    reviewing: ReviewingDep,
) -> dict[str, Any]:
    """Classify a presentation given in the query string."""
    labels = labeller(answering, presentation.audience)
    return _classify(presentation, answering.classifier(), labels, "query",
                     reviewing.only(presentation.status))


@router.post("/classify", summary="Classify a nipple discharge presentation (JSON body)",
             description=_DESCRIPTION, responses=_RESPONSES)
def classify_post(
    presentation: Presentation, answering: AnsweringDep, reviewing: ReviewingDep,
    audience: AudienceParam = Audience.clinician, status: StatusParam = None,
) -> dict[str, Any]:
    """Classify a presentation given as a JSON object."""
    return _classify(presentation, answering.classifier(), labeller(answering, audience), "body",
                     reviewing.only(status))


def _classify(
    presentation: Presentation, classifier: Classifier, labels: Labeller, where: str,
    reviewing: Reviewing,
) -> dict[str, Any]:
    features = presentation.model_dump(include=set(FEATURES))

    def classified(by: Classifier) -> Classification:
        return by.classify(
            features, presentation.weeks_postpartum, age=presentation.age, sex=presentation.sex,
            months_since_weaning=presentation.months_since_weaning,
        )

    try:
        result = classified(reviewing.classifier(classifier))
    except ParameterError as exc:
        allowed = [labels.term(v) for v in classifier.feature_values.get(exc.name, ())]
        raise RequestValidationError([{
            "type": "value_error", "loc": (where, exc.name), "msg": str(exc),
            "input": features.get(exc.name), "ctx": {"allowed": allowed},
        }]) from exc
    body = render(result, labels)
    everything = classified(classifier) if reviewing.status else result
    with_reviews(body, result, everything, reviewing, labels)
    return envelope(classifier.store.version, **body)


def render(result: Classification, labels: Labeller) -> dict[str, Any]:
    """A classification as JSON, labelled for the audience of ``labels``."""
    term = labels.term
    return {
        "presentation": {
            name: term(result.given[name]) if name in result.given else None for name in FEATURES
        },
        "weeks_postpartum": result.weeks_postpartum,
        "verdict": result.verdict.value,
        "verdict_class": term(result.verdict_class),
        "bottom_line": bottom_line(result, labels),
        "settled": result.settled,
        "combinations": {"matching": len(result.completions), **result.counts()},
        "patterns": [
            {"pattern": term(pattern), **_checks(checks, labels)}
            for pattern, checks in result.patterns.items()
        ],
        "deciding_features": [
            {
                "feature": decider.feature,
                "property": term(FEATURES[decider.feature]),
                "decides_verdict": decider.decides_verdict,
                "values": [
                    {"value": term(value), "verdicts": sorted(o.verdicts),
                     "classes": [term(c) for c in sorted(o.classes)]}
                    for value, o in decider.outcomes.items()
                ],
            }
            for decider in result.deciders
        ],
        "presentation_classes": [
            {"class": term(c.iri), "share": round(c.share, 3), "certain": c.certain,
             "combinations": c.size}
            for c in result.classes
        ],
        "causes": [
            {
                "rank": rank,
                "cause": term(cause.iri),
                "via": term(cause.presentation.iri),
                "share": round(cause.presentation.share, 3),
                "class_combinations": cause.presentation.size,
                "inherited": cause.inherited,
                "relation": term(min(
                    (c.relation for c in cause.claims),
                    key=lambda r: RELATION_STRENGTH.get(r, len(RELATION_STRENGTH)),
                )),
                "primary": cause.primary,
                "reasons": [_claim(claim, labels) for claim in cause.claims],
            }
            for rank, cause in enumerate(result.causes, start=1)
        ],
        "next_steps": [
            {
                "action": term(step.action),
                "for": term(step.presentation.iri),
                "applies": step.applies,
                "conditions": list(step.conditions),
                "order": step.order,
                "evidence": [_claim(claim, labels) for claim in step.claims],
            }
            for step in result.steps
        ],
        "statistics": [_statistic(s, result, labels) for s in result.statistics],
        "time_course": [
            _time_point(point, result, labels) for point in result.time_course
        ],
        "conflicts": [_conflict(conflict, labels) for conflict in result.conflicts],
        "imaging": _imaging(result.imaging, labels) if result.imaging else None,
        "lactation_window": _window(result.lactation_window, labels)
        if result.lactation_window else None,
    }


def _imaging(imaging: Imaging, labels: Labeller) -> dict[str, Any]:
    """The imaging of the criteria for the patient, in order, with ratings and sources."""
    term = labels.term
    groups: dict[int, list[dict[str, Any]]] = {1: [], 2: [], 3: []}
    for step in imaging.steps:
        groups.setdefault(step.order, []).append({
            "procedure": term(step.procedure),
            "conditions": list(step.conditions),
            "rating": _rating(step.rating, labels) if step.rating else None,
            "evidence": [_claim(claim, labels) for claim in step.claims],
        })
    return {
        "for": term(imaging.setting),
        "reading": _claim(imaging.reading, labels) if imaging.reading else None,
        "age": imaging.age,
        "sex": imaging.sex,
        "needed": list(imaging.needed),
        "first": groups[1],
        "together_with_first": groups[2],
        "added_when": groups[3],
        "ratings": [_rating(r, labels) for r in imaging.ratings],
        "note": imaging_note(imaging),
    }


def imaging_note(imaging: Imaging) -> str:
    """What the imaging section says when it cannot give steps."""
    if imaging.needed:
        needed = " and ".join(imaging.needed)
        return f"The criteria choose the imaging by age and sex: give {needed} to see it."
    if not imaging.steps and imaging.ratings:
        return "The criteria rate these procedures for such patients; they give no imaging steps."
    if not imaging.steps:
        return "The criteria give no imaging for a patient of this age and sex."
    return ""


def _rating(rating: Rating, labels: Labeller) -> dict[str, Any]:
    return {
        "statistic": labels.term(rating.statistic),
        "procedure": labels.term(rating.procedure),
        "value": rating.value,
        "category": labels.term(rating.category) if rating.category else None,
        "citation": labels.term(rating.citation),
    }


def _window(window: LactationWindow, labels: Labeller) -> dict[str, Any]:
    statistic = window.statistic
    return {
        "months_since_weaning": window.months_since_weaning,
        "window_months": window.window_months,
        "context": labels.term(window.context),
        "statistic": labels.term(statistic.iri),
        "citation": labels.term(statistic.evidence.citation),
        "text": statistic.evidence.text,
    }


def bottom_line(result: Classification, labels: Labeller, no_step: str = "") -> str:
    """One sentence for the person asking: what the presentation is and what to do next (the
    steps that apply without a condition, or ``no_step`` when none does), or which features
    would decide."""
    steps = [labels.label(s.action) or s.action for s in result.steps
             if s.applies and not s.conditions]
    todo = "; ".join(steps) or no_step
    deciding = [_feature_words(d.feature, labels) for d in result.deciders if d.decides_verdict]
    if result.verdict is Verdict.insufficient_information:
        return (
            f"Not enough is known to decide: tell us {_joined(deciding)}. "
            f"Until then: {todo}."
        )
    what = labels.label(result.verdict_class) or result.verdict_class
    line = f"{what[:1].upper()}{what[1:]}. Next: {todo}."
    if deciding:
        line += f" Knowing {_joined(deciding)} could change this."
    return line


def _feature_words(name: str, labels: Labeller) -> str:
    """A feature in the audience's words: the lay label of its property for patients, its
    label without "has" for clinicians."""
    words = labels.label(FEATURES[name]) or name
    return words.removeprefix("has ")


def _joined(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _checks(checks: tuple[FeatureCheck, ...], labels: Labeller) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {"met": [], "not met": [], "missing": []}
    for check in checks:
        found[check.status].append({
            "feature": _NAMES.get(check.feature),
            "property": labels.term(check.feature),
            "given": labels.term(check.given) if check.given else None,
            "allowed": [labels.term(v) for v in check.allowed],
        })
    return {"met": found["met"], "not_met": found["not met"], "missing": found["missing"]}


def _claim(claim: Claim, labels: Labeller) -> dict[str, Any]:
    return {
        "claim": labels.term(claim.iri),
        "relation": labels.term(claim.relation),
        "object": labels.term(claim.object),
        "qualifier": claim.qualifier,
        "citation": labels.term(claim.citation) | {"pmid": claim.pmid, "doi": claim.doi},
        "cited_work_reports": claim.cited_work_reports,
        "evidence": labels.term(claim.evidence),
        "reviewStatus": labels.term(claim.review_status),
        "text": claim.text,
        "text_is": "quote" if claim.quoted else "curators' summary",
        "condition": claim.condition,
        "note": claim.note,
    }


def _statistic(statistic: Statistic, result: Classification, labels: Labeller) -> dict[str, Any]:
    evidence = _claim(statistic.evidence, labels)
    return {
        "statistic": labels.term(statistic.iri),
        "about": labels.term(statistic.about),
        "measure": statistic.measure,
        "value": statistic.value,
        "minimum": statistic.minimum,
        "maximum": statistic.maximum,
        "approximate": statistic.approximate,
        "numerator": statistic.numerator,
        "denominator": statistic.denominator,
        "unit": statistic.unit,
        "population": statistic.population,
        "timePoint": statistic.time_point,
        "method": statistic.method,
        "outcome": labels.term(statistic.outcome) if statistic.outcome else None,
        "citation": evidence["citation"],
        "evidence": evidence["evidence"],
        "reviewStatus": evidence["reviewStatus"],
        "text": evidence["text"],
        "conflicts": [
            labels.term(c.iri) for c in conflicts_of(statistic.iri, result.conflicts)
        ],
    }


def _time_point(point: TimePoint, result: Classification, labels: Labeller) -> dict[str, Any]:
    statistic = point.statistic
    weeks = result.weeks_postpartum or 0.0
    figure = statistic.measure
    if statistic.months_postpartum is not None:
        when = statistic.time_point or f"{statistic.months_postpartum:g} months postpartum"
        if statistic.value is not None:
            figure += f": {statistic.value:g} {statistic.unit}"
    elif statistic.minimum is not None and statistic.maximum is not None:
        when = f"{statistic.minimum:g}–{statistic.maximum:g} {statistic.unit}s"
    else:
        when = f"{statistic.value:g} {statistic.unit}s"
    about = labels.label(statistic.about) or statistic.about
    conflicts = conflicts_of(statistic.iri, result.conflicts)
    note = (f"{weeks:g} weeks postpartum is {point.position} {when}: {figure} "
            f"({about}; {statistic.population}).")
    if conflicts:
        note += " The sources disagree here: see conflicts."
    return {
        "statistic": labels.term(statistic.iri),
        "about": labels.term(statistic.about),
        "weeks": list(point.weeks),
        "position": point.position,
        "note": note,
        "conflicts": [labels.term(c.iri) for c in conflicts],
    }


def _conflict(conflict: Conflict, labels: Labeller) -> dict[str, Any]:
    return {
        "conflict": labels.term(conflict.iri),
        "note": conflict.note,
        "statements": [labels.term(s) for s in sorted(conflict.statements)],
    }


def _imaging_steps(result: Classification) -> int:
    return len(result.imaging.steps) if result.imaging else 0


def with_reviews(
    body: dict[str, Any], result: Classification, everything: Classification,
    reviewing: Reviewing, labels: Labeller,
) -> None:
    """Show the current review status of every claim and statistic of the answer ``body`` (in
    place); limited to approved ones, say what was left out of ``everything``, and say so
    explicitly when no approved next step applies."""
    reviewed_json(body, reviewing.reviews, labels.term)
    if reviewing.status is None:
        return
    applies = [step for step in result.steps if step.applies]
    pending = [step for step in everything.steps if step.applies]
    note = None
    if not applies:
        words = no_approved_step(len(pending))
        body["bottom_line"] = bottom_line(result, labels, no_step=words)
        note = words[:1].upper() + words[1:] + "."
    body["filter"] = {
        "status": reviewing.status.value,
        "left_out": {
            "causes": len(everything.causes) - len(result.causes),
            "next_steps": len(everything.steps) - len(result.steps),
            "statistics": len(everything.statistics) - len(result.statistics),
            "imaging_steps": _imaging_steps(everything) - _imaging_steps(result),
        },
        "no_approved_next_step": note,
    }
