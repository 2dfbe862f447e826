"""The classification of a discharge that a question to ``/ask`` describes.

"bloody discharge from one breast, what should I do?" names a discharge and some of its
features: besides the named question it maps onto, the answer gives what ``/classify`` gives for
those features (the verdict, the bottom line, the next steps that apply) and links to the
classify page for them. A text describes a discharge when it names nipple discharge or one of
the presentation classes the classification uses, and at least one feature; the features are
read field by field, as the classify form reads them (:mod:`ndkg.answers.described`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ndkg.answers.ask import Asker
from ndkg.answers.classify import FEATURES, Classification, Classifier
from ndkg.answers.described import Features, read_features
from ndkg.answers.lexicon import compress
from ndkg.service.audience import Labeller
from ndkg.service.classify import render
from ndkg.vocab import DISCHARGE


@dataclass(frozen=True)
class Described:
    """The features a text gives and the classification of the presentation they make."""

    features: Features
    result: Classification

    @property
    def query(self) -> str:
        """The features as a query string of the classify page and of ``/classify``."""
        return urlencode([(name, compress(value)) for name, value in self.features.values.items()])

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
    none (it names no discharge, or none of its features)."""
    _, mentions = asker.mentions(text)
    named = {term for mention in mentions for term in mention.terms}
    classes = {str(DISCHARGE)} | set(classifier.class_sizes) | set(classifier.priorities)
    if named.isdisjoint(classes):
        return None
    lexicon = classifier.lexicon
    names = {value: [name for name, _ in lexicon.texts_by_term.get(value, [])]
             for values in classifier.feature_values.values() for value in values}
    found = read_features(text, classifier.feature_values, names)
    if not found.values:
        return None
    ordered = Features(
        {name: found.values[name] for name in FEATURES if name in found.values},
        {name: found.words[name] for name in FEATURES if name in found.words},
    )
    return Described(ordered, classifier.classify(ordered.values))


def as_json(found: Described, labels: Labeller) -> dict[str, Any]:
    """The classification as ``/ask`` answers it: the features read (with the words that gave
    each), the verdict, the bottom line, the next steps that apply, and where the whole
    answer is."""
    answer = render(found.result, labels)
    return {
        "presentation": {
            name: labels.term(value) | {"matched": found.features.words.get(name)}
            for name, value in found.features.values.items()
        },
        "verdict": answer["verdict"],
        "verdict_class": answer["verdict_class"],
        "bottom_line": answer["bottom_line"],
        "next_steps": [step for step in answer["next_steps"] if step["applies"]],
        "page": found.page,
        "classify": found.api,
    }
