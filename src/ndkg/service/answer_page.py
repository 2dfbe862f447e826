"""The page answering a question in words (``/ask`` for browsers): the classification of a
discharge the question describes (verdict, bottom line, next steps, a link to the classify
page), how the question was understood, the rows as sentences with their evidence, "did you
mean" when nothing matched, and the SPARQL that ran, complete.

A row becomes a sentence from its terms, in the order the question projects them: the first
term, the relation (a column named ``relation``) when there is one, and the other terms; the
columns of evidence (:data:`ndkg.service.questions.CLAIM_COLUMNS` and
:data:`~ndkg.service.questions.EVIDENCE_COLUMNS`) and labels of terms already named are not
repeated; other text (a definition, a qualifier, a value) follows as notes. A row about a
statistic is the statistic's sentence, as on its page ("Prevalence of dysphoric milk ejection
reflex: about 14.2% (209/1469) of lactating women."); a row whose only term is the claim it
rests on is told by the claim. Rows that make the same sentence are shown once, with the
evidence of each.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import HTMLResponse

from ndkg.answers.ask import Asked, Solutions, Suggestions
from ndkg.answers.classify import conflicts_of
from ndkg.answers.evidence import Conflict
from ndkg.answers.imaging import SEXES
from ndkg.answers.lexicon import compress, expand
from ndkg.explorer import Explorer
from ndkg.explorer.figures import number
from ndkg.explorer.names import Names, local_path
from ndkg.service.ask_classification import Described, described
from ndkg.service.audience import Audience, Labeller, audience_of
from ndkg.service.classify import bottom_line, imaging_note
from ndkg.service.questions import (
    CLAIM_COLUMNS,
    EVIDENCE_COLUMNS,
    Answering,
    filter_note,
    reviewed_answer,
)
from ndkg.service.statuses import Reviewing
from ndkg.service.templating import render, words

LABEL_SUFFIXES = ("Label", "LayLabel")
NUMERIC = ("#integer", "#decimal", "#double", "#float")


@dataclass(frozen=True)
class Named:
    """A term named in an answer: its words for the audience, its page, its CURIE."""

    label: str
    href: str
    curie: str


@dataclass
class Sentence:
    """One statement of an answer: its terms and notes, and the evidence of each row behind it."""

    parts: list[Named | str]
    notes: list[tuple[str, str]]
    evidence: list[dict[str, str]] = field(default_factory=list)
    conflicts: list[Named] = field(default_factory=list)


def answer_page(
    request: Request, answering: Answering, explorer: Explorer, text: str, reviewing: Reviewing,
) -> HTMLResponse:
    """The page answering ``text``, each claim with its current review status; limited to
    approved claims and statistics when ``reviewing`` is."""
    audience = audience_of(request)
    labels = Labeller(answering.questions().lexicon, audience)
    names = explorer.namer(audience is Audience.patient)
    context: dict[str, Any] = {"asked": text, "examples": EXAMPLES, "ref": names.ref,
                               "number": number}
    if text.strip():
        outcome = answering.asker().ask(text)
        found = described(text, answering.asker(), reviewing.classifier(answering.classifier()))
        if found is not None:
            context["described"] = found
            context["bottom_line"] = bottom_line(found.result, labels)
            context["read"] = read_from_words(found, names)
            if found.result.imaging is not None:
                context["imaging_note"] = imaging_note(found.result.imaging)
        if isinstance(outcome, Suggestions):
            context["suggestions"] = _suggestions(outcome, labels, text)
        else:
            solutions = reviewed_answer(answering, outcome, reviewing.reviews, reviewing.status)
            if reviewing.status:
                context["filter"] = filter_note(
                    outcome.interpretation.question, len(solutions.rows),
                    len(outcome.solutions.rows),
                )
            asked = dataclasses.replace(outcome, solutions=solutions)
            context.update(_answer(asked, labels, audience, names))
            _mark_conflicts(context["sentences"], answering.classifier().conflicts, names)
    return render(request, "ask.html", **context)


@dataclass(frozen=True)
class Read:
    """What was read from the words of a question: a feature or a detail of the patient, its
    value (a term, or a number), and the words that gave it."""

    name: str
    value: str
    matched: str
    term: Named | None = None


def read_from_words(found: Described, names: Names) -> list[Read]:
    """The features and the details of the patient read from the question, in the order of the
    classify form."""
    read = []
    for name, value in found.features.values.items():
        ref = names.ref(value)
        read.append(Read(name, ref.label, found.features.words[name],
                         Named(ref.label, ref.href, ref.curie)))
    patient = found.patient
    if patient.age is not None:
        read.append(Read("age", number(patient.age), patient.words["age"]))
    if patient.sex is not None:
        ref = names.ref(SEXES[patient.sex])
        read.append(Read("sex", ref.label, patient.words["sex"],
                         Named(ref.label, ref.href, ref.curie)))
    if patient.months_since_weaning is not None:
        read.append(Read("months since the last pregnancy or since breastfeeding stopped",
                         number(patient.months_since_weaning),
                         patient.words["months_since_weaning"]))
    return read


EXAMPLES = (
    "what helps with leaking breasts",
    "which nipple discharge needs a scan",
    "blood-stained discharge from one breast",
    "why do I leak milk when I'm not breastfeeding",
    "how common is leaking",
    "what triggers let-down",
)
"""Questions offered on the empty page (each is answered from the graph; the tests check)."""


def _named(labels: Labeller, iri: str, names: Names | None = None) -> Named:
    label = names.described.get(iri) if names is not None else None
    return Named(label or labels.label(iri) or compress(iri), local_path(iri), compress(iri))


def _answer(
    asked: Asked, labels: Labeller, audience: Audience, names: Names
) -> dict[str, Any]:
    understood = asked.interpretation
    lexicon = labels.lexicon
    terms = []
    for name, iri in understood.values.items():
        mention = understood.mentions[name]
        terms.append({
            "parameter": name, "matched": mention.text, "term": _named(labels, iri),
            "clinical": lexicon.label(iri), "lay": lexicon.lay_label(iri),
        })
    return {
        "question": understood.question,
        "understood": terms,
        "ignored": [m.text for m in understood.unused],
        "sentences": sentences(asked.solutions, labels, names),
        "solutions": asked.solutions,
        "question_url": "/explore/questions/" + understood.question.name,
        "question_query": {n: compress(v) for n, v in understood.values.items()},
        "lay": audience is Audience.patient,
    }


def sentences(
    solutions: Solutions, labels: Labeller, names: Names | None = None
) -> list[Sentence]:
    """The rows of ``solutions`` as sentences, rows saying the same thing merged; a row about
    a statistic is its sentence from ``names`` (:attr:`Names.described`)."""
    evidence_columns = set(CLAIM_COLUMNS) | set(EVIDENCE_COLUMNS) | {
        f"{c}{suffix}" for c in (*CLAIM_COLUMNS, *EVIDENCE_COLUMNS) for suffix in LABEL_SUFFIXES
    }
    found: dict[tuple[Any, ...], Sentence] = {}
    for row in solutions.rows:
        parts: list[Named | str]
        notes: list[tuple[str, str]]
        claim = next((row[c] for c in CLAIM_COLUMNS if isinstance(row.get(c), ox.NamedNode)),
                     None)
        if claim is not None and names is not None and claim.value in names.described:
            parts, notes = [_named(labels, claim.value, names)], []
        else:
            parts, notes = _parts(row, solutions.variables, labels, evidence_columns)
            if claim is not None and not any(isinstance(p, Named) for p in parts):
                parts.insert(0, _named(labels, claim.value, names))
        key = (tuple(str(p) for p in parts), tuple(notes))
        sentence = found.setdefault(key, Sentence(parts, notes))
        evidence = {c: _text(t) if isinstance(t, ox.Literal) else (labels.label(t.value) or "")
                    for c, t in row.items() if c in EVIDENCE_COLUMNS and not isinstance(
                        t, ox.BlankNode)}
        if claim is not None:
            evidence["record"] = local_path(claim.value)
            evidence["recordId"] = compress(claim.value)
            evidence["recordLabel"] = _named(labels, claim.value, names).label
        if evidence and evidence not in sentence.evidence:
            sentence.evidence.append(evidence)
    return list(found.values())


def _mark_conflicts(
    sentences: list[Sentence], conflicts: Iterable[Conflict], names: Names
) -> None:
    """Give each sentence about a statement the curators record a conflict for that record."""
    for sentence in sentences:
        for record in sentence.evidence:
            iri = expand(record.get("recordId", ""))
            if iri is not None:
                sentence.conflicts += [
                    Named(names.label(c.iri), local_path(c.iri), compress(c.iri))
                    for c in conflicts_of(iri, conflicts)
                ]


def _parts(
    row: Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal], variables: list[str],
    labels: Labeller, evidence_columns: set[str],
) -> tuple[list[Named | str], list[tuple[str, str]]]:
    """The terms of a row (first term, relation, other terms) and its other text as notes."""
    iris = {c for c, t in row.items() if isinstance(t, ox.NamedNode)}
    parts: list[Named | str] = []
    relation = row.get("relation")
    for column in variables:
        term = row.get(column)
        if column in evidence_columns or column == "relation" or term is None:
            continue
        if isinstance(term, ox.NamedNode):
            parts.append(_named(labels, term.value))
            if isinstance(relation, ox.NamedNode) and len(parts) == 1:
                parts.append((labels.label(relation.value) or "").strip())
    notes = [
        (_words(column), _text(term))
        for column, term in row.items()
        if isinstance(term, ox.Literal) and column not in evidence_columns
        and not any(column == f"{c}{s}" for c in iris | {"relation"} for s in LABEL_SUFFIXES)
    ]
    return parts, notes


def _text(term: ox.Literal) -> str:
    if term.datatype.value.endswith(NUMERIC):
        return number(term.value)
    return term.value


def _words(column: str) -> str:
    return words(column)


def _suggestions(found: Suggestions, labels: Labeller, text: str) -> dict[str, Any]:
    meant = []
    for typed, iri in found.terms:
        name = labels.lexicon.label(iri)
        corrected = text.lower().replace(typed, name) if typed in text.lower() else name
        meant.append({"term": _named(labels, iri), "typed": typed, "ask": corrected})
    return {"terms": meant, "questions": list(found.questions)}
