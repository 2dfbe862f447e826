"""Answers for people: labels in a patient's or a clinician's words, the graph version, the
disclaimer.

One switch serves the whole site: ``?audience=patient|clinician`` on any page chooses the words,
and the choice is remembered in the :data:`COOKIE` while browsing (:func:`audience_of`); JSON
answers take ``?audience=`` alone, so the same URL always gives the same answer.

Every JSON answer of the question, ``/ask`` and ``/classify`` routers goes through
:func:`envelope`, so each one carries ``version`` and :data:`DISCLAIMER`. Terms are written as
``{"id": CURIE, "iri": IRI, "label": ...}``; the label is the lay label (``NDKG:0000001``) for
``audience=patient`` and the clinical label (``rdfs:label``) otherwise.

>>> from ndkg.answers.lexicon import Lexicon
>>> words = Lexicon()
>>> words.add("https://w3id.org/ndkg/NDKG_0000224", "intraductal papilloma", "label")
>>> words.add("https://w3id.org/ndkg/NDKG_0000224", "small growth inside a milk duct", "lay label")
>>> Labeller(words, Audience.patient).term("https://w3id.org/ndkg/NDKG_0000224")["label"]
'small growth inside a milk duct'
>>> Labeller(words, Audience.clinician).term("https://w3id.org/ndkg/NDKG_0000224")["id"]
'NDKG:0000224'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import Query, Request

from ndkg.answers.lexicon import Lexicon, compress

DISCLAIMER = "Educational use only; not a substitute for clinical judgement."
"""The notice every JSON answer carries."""

_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_NUMBERS = {
    "http://www.w3.org/2001/XMLSchema#integer": int,
    "http://www.w3.org/2001/XMLSchema#decimal": float,
    "http://www.w3.org/2001/XMLSchema#double": float,
}


class Audience(StrEnum):
    """Whose words the labels of an answer are in."""

    patient = "patient"
    clinician = "clinician"


COOKIE = "ndkg-audience"
"""The cookie that remembers the audience chosen on a page."""


def chosen_audience(request: Request) -> Audience | None:
    """The audience a request asks for with ``?audience=``, if it names one."""
    try:
        return Audience(request.query_params.get("audience", ""))
    except ValueError:
        return None


def audience_of(request: Request) -> Audience:
    """The audience of a page: ``?audience=``, else the one remembered, else clinician."""
    chosen = chosen_audience(request)
    if chosen is not None:
        return chosen
    try:
        return Audience(request.cookies.get(COOKIE, ""))
    except ValueError:
        return Audience.clinician


AudienceParam = Annotated[
    Audience,
    Query(description="`patient`: everyday words (lay labels); `clinician`: clinical labels."),
]


@dataclass(frozen=True)
class Labeller:
    """Writes terms and values of the graph as JSON, labelled for one audience."""

    lexicon: Lexicon
    audience: Audience = Audience.clinician

    def label(self, iri: str) -> str | None:
        """The label of ``iri`` for the audience (a lay label falls back to the clinical one)."""
        if iri not in self.lexicon.texts_by_term:
            return None
        if self.audience is Audience.patient:
            return self.lexicon.lay_label(iri)
        return self.lexicon.label(iri)

    def term(self, iri: str) -> dict[str, Any]:
        """``{"id", "iri", "label"}`` for a term."""
        return {"id": compress(iri), "iri": iri, "label": self.label(iri)}

    def value(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
        """A term of a query solution: IRIs as :meth:`term`, numbers as numbers, booleans as
        booleans, else text."""
        if isinstance(term, ox.NamedNode):
            return self.term(term.value)
        if isinstance(term, ox.Literal):
            if term.datatype.value == _BOOLEAN:  # "1" and "true" alike (Virtuoso writes "1")
                return term.value in ("1", "true")
            number = _NUMBERS.get(term.datatype.value)
            if number is not None:
                try:
                    return number(term.value)
                except ValueError:
                    return term.value
            return term.value
        return str(term)


def envelope(version: str, **body: Any) -> dict[str, Any]:
    """``body`` with the graph ``version`` and the :data:`DISCLAIMER`."""
    return {**body, "version": version, "disclaimer": DISCLAIMER}
