"""The explorer's pages for people: home, search, categories, the causal chain, named questions
with forms, presentation classification, and the downloads of the current build.

Every page is HTML rendered from :mod:`ndkg.service.templating`; the term pages themselves are
in :mod:`ndkg.service.linked_data`, the JSON they use in :mod:`ndkg.service.explorer_api`. The
pages' own CSS and JavaScript are served under ``/static/explorer``, the JavaScript libraries
they use (cytoscape, with its licence) under ``/static/vendor``: nothing comes from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError

from ndkg.answers.classify import FEATURES, VERDICT_CLASSES, Classification, Classifier, Verdict
from ndkg.answers.imaging import SEXES
from ndkg.answers.lexicon import compress
from ndkg.errors import ParameterError, UnknownQuestionError
from ndkg.explorer import Explorer, TermRef, entity, figures
from ndkg.explorer.categories import CATEGORIES, category
from ndkg.explorer.downloads import GROUPS
from ndkg.explorer.spread import SpreadChart
from ndkg.questions import Parameter, Question
from ndkg.reviews.overlay import reviewed_rows, with_current_statuses
from ndkg.reviews.records import Reviews
from ndkg.service.audience import Audience, Labeller
from ndkg.service.classify import (
    PARAMETERS,
    Presentation,
    bottom_line,
    imaging_note,
    presentation_query,
)
from ndkg.service.questions import CLAIM_COLUMNS
from ndkg.service.statuses import ReviewsDep
from ndkg.service.templating import ExplorerDep, lay, render

STATIC = Path(__file__).parent / "static"

router = APIRouter(tags=["explorer"], default_response_class=HTMLResponse, include_in_schema=False)
router.mount("/static/explorer", StaticFiles(directory=STATIC / "explorer"), name="explorer")
router.mount("/static/vendor", StaticFiles(directory=STATIC / "vendor"), name="vendor")

SEARCH_LIMIT = 50
ESTIMATES = "estimates"
"""The named question whose answer the question page also draws as a chart."""
ESTIMATE_COLUMN = "statistic"
"""The column of its answer that names each estimate."""
PAGE_ARGUMENTS = frozenset({"format", "audience"})
"""Query-string arguments of a question page that are not parameters of its question."""


@dataclass(frozen=True)
class Field:
    """A parameter of a question as its form shows it."""

    parameter: Parameter
    options: tuple[tuple[str, str], ...]
    value: str
    default: str


@dataclass(frozen=True)
class Cell:
    """A cell of a results table: a term with its page, or text."""

    text: str
    ref: TermRef | None = None


@router.get("/", summary="The explorer's home page")
def home(request: Request, explorer: ExplorerDep) -> HTMLResponse:
    """Search, categories, the causal chain, questions and downloads."""
    return render(request, "home.html", questions=explorer.questions.by_name.values())


@router.get("/search", summary="Search results page")
def search_page(
    request: Request, explorer: ExplorerDep, q: Annotated[str, Query()] = ""
) -> HTMLResponse:
    """Terms matching ``q`` (the search box's answer without JavaScript)."""
    found = explorer.search_page(q, SEARCH_LIMIT)
    return render(request, "search.html", query=q, found=found, names=explorer.namer(lay(request)))


@router.get("/chain", summary="The causal chain from triggers to leakage")
def chain_page(request: Request, explorer: ExplorerDep) -> HTMLResponse:
    """The chain as a diagram and as text, computed from the graph's edges."""
    return render(request, "chain.html", chain=explorer.chain_for(lay(request)))


@router.get("/browse", summary="Categories to browse")
def browse_index(request: Request, explorer: ExplorerDep) -> HTMLResponse:
    """Every category with its definition and how many classes it holds."""
    listed = [
        (c, explorer.describe(c.iri, lay(request)), len(explorer.members(c))) for c in CATEGORIES
    ]
    return render(request, "browse_index.html", listed=listed)


@router.get("/browse/{slug}", summary="The classes of one category")
def browse(slug: str, request: Request, explorer: ExplorerDep) -> HTMLResponse:
    """The members of a category, read from the class hierarchy."""
    browsed = category(slug)
    if browsed is None:
        known = ", ".join(c.slug for c in CATEGORIES)
        detail = f"No category {slug!r}; known: {known}."
        return render(request, "not_found.html", 404, detail=detail)
    return render(
        request, "browse.html", category=browsed,
        entity=explorer.describe(browsed.iri, lay(request)),
        members=explorer.members(browsed, lay(request)),
    )


@router.get("/explore/questions", summary="The named questions, each with a form")
def questions_index(request: Request, explorer: ExplorerDep) -> HTMLResponse:
    """Every named question with its summary."""
    return render(request, "questions.html", questions=explorer.questions.by_name.values())


@router.get(
    "/explore/questions/{name}", summary="A named question: form, results, SPARQL, CSV",
    response_model=None,
)
def question_page(
    name: str,
    request: Request,
    explorer: ExplorerDep,
    reviews: ReviewsDep,
    output: Annotated[Literal["html", "csv"], Query(alias="format")] = "html",
) -> Response:
    """The question's form; with its parameters, the results table (the current review status
    of each claim) and the query that ran, complete with its values.

    ``?format=csv`` answers with the results as CSV instead.
    """
    questions = explorer.questions
    try:
        question = questions.get(name)
    except UnknownQuestionError as exc:
        return render(request, "not_found.html", 404, detail=str(exc))
    raw = {k: v for k, v in request.query_params.items()
           if k not in PAGE_ARGUMENTS and v != ""}
    if output == "csv":
        result = questions.run(name, raw)
        return Response(
            result.serialize(format=ox.QueryResultsFormat.CSV),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    submitted = bool(raw) or all(not p.required for p in question.parameters)
    error, bindings, table, chart = None, {}, None, None
    sparql = questions.example(question)
    if submitted:
        try:
            bindings = questions.bind(question, raw)
            sparql = questions.sparql(question, bindings)
            table = _table(explorer, questions.execute(sparql), reviews, lay(request))
            chart = _estimates_chart(explorer, question, bindings, table, lay(request))
        except ParameterError as exc:
            error = str(exc)
    fields = [_field(explorer, question, p, raw, bindings, lay(request))
              for p in question.parameters]
    return render(
        request, "question.html", 400 if error else 200, question=question, fields=fields,
        error=error, table=table, sparql=sparql, raw=raw, chart=chart,
    )


def _estimates_chart(
    explorer: Explorer,
    question: Question,
    bindings: dict[str, ox.NamedNode | ox.Literal],
    table: tuple[list[str], list[list[Cell]]],
    lay: bool,
) -> SpreadChart | None:
    """The estimates of an answer of :data:`ESTIMATES` side by side (its statistics, by the
    column :data:`ESTIMATE_COLUMN`), titled by the term they are about."""
    columns, rows = table
    if question.name != ESTIMATES or ESTIMATE_COLUMN not in columns:
        return None
    at = columns.index(ESTIMATE_COLUMN)
    statistics = [ref.iri for row in rows if (ref := row[at].ref) is not None]
    about = next((bound.value for p in question.parameters if p.name == "about"
                  and isinstance(bound := bindings.get(p.variable), ox.NamedNode)), None)
    return explorer.estimates_chart(statistics, about, lay)


@router.get("/explore/classify", summary="Classify a presentation: form and answer")
def classify_page(request: Request, explorer: ExplorerDep, reviews: ReviewsDep) -> HTMLResponse:
    """A form for the features of a nipple discharge and the patient; with some given, the
    classification computed at build time: the verdict and its bottom line first, what would
    decide it when the features do not, next steps, the imaging for the patient, the lactation
    context the months since weaning imply, causes, figures; each claim with its current review
    status.

    The values are checked as ``/classify`` checks them: a value it refuses is answered with
    the same status (422) and message, the form keeping what was typed.
    """
    classifier = explorer.classifier
    names = explorer.namer(lay(request))
    typed = {name: request.query_params.get(name, "").strip() for name in PARAMETERS}
    options = {
        name: sorted(((compress(v), _option_words(explorer, v, lay(request))) for v in values),
                     key=lambda option: option[1].lower())
        for name, values in classifier.feature_values.items()
    }
    submitted = "classify" in request.query_params or any(typed.values())
    result, patient, errors = None, None, []
    verdict, conflicts, citations = None, [], {}
    if submitted:
        try:
            patient = Presentation.model_validate({k: v for k, v in typed.items() if v})
            result = with_current_statuses(classifier.classify(
                {name: typed[name] for name in FEATURES}, patient.weeks_postpartum,
                age=patient.age, sex=patient.sex,
                months_since_weaning=patient.months_since_weaning,
            ), reviews)
            verdict = _verdict(explorer, result, lay(request))
            conflicts = _conflicts(explorer, result, lay(request))
            citations = explorer.citations(_cited(result), lay(request))
        except ValidationError as exc:
            errors = [FieldError(str(e["loc"][-1]), e["msg"]) for e in exc.errors()]
        except ParameterError as exc:
            errors = [FieldError(exc.name, str(exc))]
    return render(
        request, "classify.html", 422 if errors else 200, options=options,
        given={name: _form_value(classifier, name, typed[name]) for name in FEATURES},
        typed=typed,
        result=result, errors=errors, fields=FIELDS, ref=names.ref, verdict=verdict,
        conflicts=conflicts,
        in_conflict={s for c in conflicts for s in (st.ref.iri for st in c.statements)},
        feature_names={iri: name for name, iri in FEATURES.items()},
        figure=figures.figure, number=figures.number, curators=entity.CURATOR_INFERENCE,
        address=lambda *more: _query(result, patient, *more), citations=citations,
        imaging_note=imaging_note, sexes=SEXES,
    )


@dataclass(frozen=True)
class FieldError:
    """A value of the form that ``/classify`` refuses: the parameter and why."""

    name: str
    message: str

    @property
    def field(self) -> str:
        """The id of the form's control for the parameter."""
        return FIELDS.get(self.name, ("", "verdict"))[1]

    @property
    def label(self) -> str:
        """The name of the parameter as the form labels it."""
        return FIELDS.get(self.name, (self.name, ""))[0]


FIELDS: dict[str, tuple[str, str]] = {
    **{name: (name.capitalize(), f"feature-{name}") for name in FEATURES},
    "weeks_postpartum": ("Weeks since childbirth", "weeks"),
    "age": ("Age", "age"),
    "sex": ("Sex", "sex"),
    "months_since_weaning": ("Months since the last pregnancy or since breastfeeding stopped",
                             "months-since-weaning"),
}
"""Each parameter of the classify form: its label and the id of its control."""


def _cited(result: Classification) -> set[str]:
    """The works the imaging and the lactation window of ``result`` cite."""
    cited = set()
    if result.imaging is not None:
        imaging = result.imaging
        cited |= {claim.citation for step in imaging.steps for claim in step.claims}
        cited |= {rating.citation for rating in imaging.ratings}
        if imaging.reading is not None:
            cited.add(imaging.reading.citation)
    if result.lactation_window is not None:
        cited.add(result.lactation_window.statistic.evidence.citation)
    return cited


def _query(result: Classification | None, patient: Presentation | None, *more: str) -> str:
    """The query string of the classification ``result`` (its features, then the patient's
    details, in the order of :data:`PARAMETERS`) with the feature ``more`` (a name and a value)
    added: one address for each presentation, however it was reached. The lactation context
    the months since weaning imply is left out: the months decide it."""
    given = dict(result.given) if result else {}
    if result and result.lactation_window:
        given.pop("lactating", None)
    if more:
        given[more[0]] = more[1]
    return presentation_query(given, patient.model_dump() if patient else {})


@dataclass(frozen=True)
class VerdictView:
    """The verdict of a classification as a person reads it: the class it names, a bottom line
    in the audience's words, and why it holds: the verdict class's defining rule in words (or
    its definition, for a class the build gives rather than the reasoner) and the claims the
    rule rests on, with their evidence."""

    ref: TermRef
    bottom_line: str
    decided: bool
    rule: str | None
    kinds: tuple[TermRef, ...]
    grounds: tuple[entity.Evidence, ...]


def _verdict(explorer: Explorer, result: Classification, lay: bool) -> VerdictView:
    """The verdict class of ``result``, its bottom line (the same as the JSON answer's) and why
    it holds: the verdict class's defining rule, or, when the features given do not decide,
    the kinds of discharge they still fit."""
    labels = Labeller(explorer.lexicon, Audience.patient if lay else Audience.clinician)
    names = explorer.namer(lay)
    rule, grounds = explorer.why(result.verdict_class, lay)
    counts = result.counts()
    kinds = tuple(names.ref(cls) for cls, verdict in VERDICT_CLASSES.items()
                  if counts.get(verdict.value))
    return VerdictView(
        names.ref(result.verdict_class), bottom_line(result, labels),
        result.verdict is not Verdict.insufficient_information,
        rule.words(properties=not lay) if rule else None, kinds, grounds,
    )


def _conflicts(
    explorer: Explorer, result: Classification, lay: bool
) -> list[entity.Conflict]:
    """The conflicts between statements the answer shows, each with both statements and their
    sources."""
    found = []
    for conflict in result.conflicts:
        described = explorer.describe(conflict.iri, lay)
        if described is not None and described.conflict is not None:
            found.append(described.conflict)
    return found


def _option_words(explorer: Explorer, iri: str, lay: bool) -> str:
    """An option of the form: its everyday name for patients; for clinicians its label, with
    the everyday name beside it when that differs."""
    clinical, everyday = explorer.lexicon.label(iri), explorer.lexicon.lay_label(iri)
    if lay:
        return everyday
    return clinical if everyday == clinical else f"{clinical} ({everyday})"


@router.get("/downloads", summary="The release files of the current build")
def downloads(request: Request, explorer: ExplorerDep) -> HTMLResponse:
    """Each file of the build, grouped (release, metadata, reports), with what it is for, the
    tools that read it, its media type and size."""
    files = explorer.release_files()
    groups = [(group, [f for f in files if f.group == group]) for group in GROUPS]
    return render(request, "downloads.html", groups=[(g, fs) for g, fs in groups if fs])


@router.get(
    "/downloads/{name}", summary="One release file", response_class=FileResponse,
    response_model=None,
)
def download(name: str, request: Request, explorer: ExplorerDep) -> Response:
    """The release file ``name`` of the current build."""
    found = next((f for f in explorer.release_files() if f.name == name), None)
    if found is None:
        return render(request, "not_found.html", 404, detail=f"No release file {name!r}.")
    return FileResponse(found.path, media_type=found.media_type, filename=found.name)


def _form_value(classifier: Classifier, name: str, text: str) -> str:
    """A submitted feature as the form's options write it: the CURIE of the value its words
    name, or the words themselves when they name none."""
    if not text:
        return ""
    try:
        return compress(classifier.resolve(name, text))
    except ParameterError:
        return text


def _field(
    explorer: Explorer,
    question: Question,
    parameter: Parameter,
    raw: dict[str, str],
    bindings: dict[str, ox.NamedNode | ox.Literal],
    lay: bool,
) -> Field:
    allowed = explorer.questions.allowed(question, parameter)
    names = explorer.namer(lay)
    labelled = sorted(((a.curie, names.label(a.iri)) for a in allowed),
                      key=lambda option: option[1].lower())
    default = compress(parameter.default) if parameter.default else ""
    bound = bindings.get(parameter.variable)
    if bound is not None:
        value = compress(bound.value) if isinstance(bound, ox.NamedNode) else bound.value
    else:
        value = raw.get(parameter.name) or default
    return Field(parameter, tuple(labelled), value, default)


def _table(
    explorer: Explorer, result: ox.QuerySolutions, reviews: Reviews, lay: bool
) -> tuple[list[str], list[list[Cell]]]:
    names = explorer.namer(lay)
    columns = [v.value for v in result.variables]
    solutions = [{c: t for c in columns if (t := s[c]) is not None and not isinstance(t, ox.Triple)}
                 for s in result]
    rows = []
    for solution in reviewed_rows(solutions, reviews, CLAIM_COLUMNS):
        row = []
        for column in columns:
            term = solution.get(column)
            if isinstance(term, ox.NamedNode):
                ref = names.ref(term.value)
                row.append(Cell(ref.label, ref))
            else:
                row.append(Cell("" if term is None else term.value))
        rows.append(row)
    return columns, rows
