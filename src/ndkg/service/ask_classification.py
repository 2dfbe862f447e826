"""The classification of a discharge that a question to ``/ask`` describes.

"45 year old woman with bloody discharge from one breast" names a discharge, some of its
features and the patient: besides the named question it maps onto, the answer gives what
``/classify`` gives for them (the verdict, the bottom line, the next steps that apply, the
imaging for the patient, the lactation context the months since weaning imply) and links to
the classify page for them. A text describes a discharge when it names nipple discharge or one
of the presentation classes the classification uses, and at least one feature or detail of the
patient; the features are read field by field, as the classify form reads them
(:mod:`ndkg.answers.described`), the patient from clear phrases only (:mod:`ndkg.answers.patient`),
and the features are not read from the phrases that gave the patient.

A detail of the patient that ``/classify`` would refuse is left out with a note: an age out of
range, or months since weaning that contradict the lactation context the words give.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ndkg.answers.ask import Asker
from ndkg.answers.classify import FEATURES, Classification, Classifier
from ndkg.answers.described import Features, read_features
from ndkg.answers.imaging import SEXES
from ndkg.answers.patient import LeftOut, Patient, masked, read_patient
from ndkg.errors import ParameterError
from ndkg.reviews.overlay import reviewed_json
from ndkg.reviews.records import Reviews
from ndkg.service.audience import Labeller
from ndkg.service.classify import presentation_query, render
from ndkg.vocab import DISCHARGE


@dataclass(frozen=True)
class Described:
    """The features and the patient a text gives, and the classification of the presentation
    they make."""

    features: Features
    patient: Patient
    result: Classification

    @property
    def query(self) -> str:
        """The features and the patient as a query string of the classify page and of
        ``/classify``."""
        patient = self.patient
        return presentation_query(self.features.values, {
            "age": patient.age, "sex": patient.sex,
            "months_since_weaning": patient.months_since_weaning,
        })

    @property
    def page(self) -> str:
        """The classify page for these features, scrolled to its verdict."""
        return f"/explore/classify?{self.query}#verdict"

    @property
    def api(self) -> str:
        """``/classify`` for these features."""
        return f"/classify?{self.query}"


def described(text: str, asker: Asker, classifier: Classifier) -> Described | None:
    """The classification of the discharge ``text`` describes, or ``None`` when it describes
    none (it names no discharge, or neither a feature nor the patient)."""
    _, mentions = asker.mentions(text)
    named = {term for mention in mentions for term in mention.terms}
    classes = {str(DISCHARGE)} | set(classifier.class_sizes) | set(classifier.priorities)
    if named.isdisjoint(classes):
        return None
    patient = read_patient(text)
    lexicon = classifier.lexicon
    names = {value: [name for name, _ in lexicon.texts_by_term.get(value, [])]
             for values in classifier.feature_values.values() for value in values}
    found = read_features(masked(text, patient.spans), classifier.feature_values, names)
    if not found.values and not patient.given:
        return None
    ordered = Features(
        {name: found.values[name] for name in FEATURES if name in found.values},
        {name: found.words[name] for name in FEATURES if name in found.words},
    )
    try:
        result = _classified(classifier, ordered, patient)
    except ParameterError as exc:
        patient = _without(patient, exc)
        result = _classified(classifier, ordered, patient)
    return Described(ordered, patient, result)


def _classified(classifier: Classifier, features: Features, patient: Patient) -> Classification:
    return classifier.classify(features.values, age=patient.age, sex=patient.sex,
                               months_since_weaning=patient.months_since_weaning)


def _without(patient: Patient, refused: ParameterError) -> Patient:
    """``patient`` without the detail the classifier refused, with a note saying why.

    :raises ParameterError: if the refused parameter is no detail of the patient.
    """
    name = refused.name
    if name not in patient.words:
        raise refused
    changes: dict[str, Any] = {
        name: None, "words": {k: v for k, v in patient.words.items() if k != name},
        "left_out": (*patient.left_out, LeftOut(name, patient.words[name], str(refused))),
    }
    return dataclasses.replace(patient, **changes)


def as_json(found: Described, labels: Labeller, reviews: Reviews) -> dict[str, Any]:
    """The classification as ``/ask`` answers it: the features and the patient read (each with
    the words that gave it) and what was left out, the verdict, the bottom line, the next steps
    that apply, the imaging for the patient, the lactation window, and where the whole answer
    is; each claim with its current review status, as ``/classify`` gives it."""
    answer = render(found.result, labels)
    reviewed_json(answer, reviews, labels.term)
    patient, words = found.patient, found.patient.words
    return {
        "presentation": {
            name: labels.term(value) | {"matched": found.features.words.get(name)}
            for name, value in found.features.values.items()
        },
        "age": {"value": patient.age, "matched": words["age"]}
        if patient.age is not None else None,
        "sex": labels.term(SEXES[patient.sex]) | {"value": patient.sex, "matched": words["sex"]}
        if patient.sex is not None else None,
        "months_since_weaning": {"value": patient.months_since_weaning,
                                 "matched": words["months_since_weaning"]}
        if patient.months_since_weaning is not None else None,
        "left_out": [dataclasses.asdict(note) for note in patient.left_out],
        "verdict": answer["verdict"],
        "verdict_class": answer["verdict_class"],
        "bottom_line": answer["bottom_line"],
        "next_steps": [step for step in answer["next_steps"] if step["applies"]],
        "imaging": answer["imaging"],
        "lactation_window": answer["lactation_window"],
        "page": found.page,
        "classify": found.api,
    }
