"""The current review status of claims and statistics, shown wherever they are used.

Named questions, the classifier and the explorer read the build's store, whose claims carry
their curated status. The current status (:mod:`ndkg.reviews.records`: the latest review, else the
curated one) is laid over what they return:

- :func:`reviewed_rows`: the rows of a named question: ``reviewStatus`` (and
  ``reviewStatusLabel``, ``reviewDate``) become the current ones, ``curatedReviewStatus`` (and
  ``curatedReviewDate``) keep the curated ones;
- :func:`with_current_statuses`: any structure holding claims of a classification
  (:class:`ndkg.answers.classify.Claim`) or evidence of the explorer
  (:class:`ndkg.explorer.entity.Evidence`);
- :func:`reviewed_json`: a JSON answer of ``/classify``: each claim or statistic in it.

Answers limited to approved statements (``?status=approved``): :func:`restricted` ends a named
question with a ``VALUES`` clause of the approved statements, and :func:`approved_only` makes a
classifier that knows only approved claims and statistics.

>>> print(restricted("SELECT ?claim WHERE { ?claim ?p ?o }", "claim",
...                  {"https://w3id.org/ndkg/NDKG_0001003"}))
SELECT ?claim WHERE { ?claim ?p ?o }
VALUES ?claim { <https://w3id.org/ndkg/NDKG_0001003> }
>>> projected("SELECT DISTINCT ?a (COUNT(?b) AS ?n) WHERE { ?a ?p ?b } GROUP BY ?a")
['a', 'n']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from functools import cached_property
from typing import Any, TypeVar

import pyoxigraph as ox

from ndkg.answers.classify import Classifier
from ndkg.answers.evidence import Claim, Statistic
from ndkg.answers.imaging import ImagingCriteria
from ndkg.explorer.entity import Evidence
from ndkg.explorer.names import Names
from ndkg.querying.query_text import tokens
from ndkg.questions.text import declared_prefixes, write_term
from ndkg.reviews.records import Reviews, Statement

Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]
T = TypeVar("T")

_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


def projected(sparql: str) -> list[str]:
    """The variables the top-level ``SELECT`` of ``sparql`` projects (``SELECT *`` gives
    none)."""
    found: list[str] = []
    depth, selecting, after_as = 0, False, False
    for token in tokens(sparql):
        if not selecting:
            selecting = token.is_word("SELECT")
            continue
        if token.is_word("WHERE") or (token.text == "{" and depth == 0):
            break
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.is_word("AS"):
            after_as = True
        elif token.kind == "var" and (depth == 0 or after_as):
            found.append(token.text[1:])
            after_as = False
    return found


def restricted(sparql: str, column: str, statements: Iterable[str]) -> str:
    """``sparql`` (a named question with its values written in) keeping only the rows whose
    ``column`` is one of ``statements``: a ``VALUES`` clause after the query, which joins its
    rows before they are ordered and cut, so that the query shown gives the same rows anywhere.
    The IRIs are written as CURIEs where the query declares their prefix. ``column`` must be
    bound in every row (as the claim column of every named question is): a row without it
    would join with each value.
    """
    prefixes = declared_prefixes(sparql)
    terms = " ".join(write_term(ox.NamedNode(iri), prefixes) for iri in sorted(statements))
    return f"{sparql.rstrip()}\nVALUES ?{column} {{ {terms} }}"


def reviewed_rows(rows: Iterable[Row], reviews: Reviews, claim_columns: Iterable[str]) -> list[Row]:
    """``rows`` with the current review status of the claim (or statistic) each rests on."""
    columns = tuple(claim_columns)
    reviewed = []
    for row in rows:
        claim = next((row[c] for c in columns if c in row), None)
        statement = reviews.get(claim.value) if isinstance(claim, ox.NamedNode) else None
        reviewed.append(row if statement is None else _reviewed_row(row, statement))
    return reviewed


def _reviewed_row(row: Row, statement: Statement) -> Row:
    out = dict(row)
    out["reviewStatus"] = ox.NamedNode(statement.current.iri)
    out["curatedReviewStatus"] = ox.NamedNode(statement.curated.iri)
    if "reviewStatusLabel" in row:
        out["reviewStatusLabel"] = ox.Literal(statement.current.value)
    if "reviewDate" in row:
        out["curatedReviewDate"] = row["reviewDate"]
        if statement.latest is not None:
            day = statement.latest.reviewed_at.astimezone(UTC).date().isoformat()
            out["reviewDate"] = ox.Literal(day, datatype=_DATE)
    return out


def with_current_statuses(found: T, reviews: Reviews, names: Names | None = None) -> T:
    """``found`` (a classification, an explorer entity, ...) with every claim and piece of
    evidence in it showing the current status of its statement; the evidence of a reviewed
    statement shows the day of its latest review. ``names`` label the statuses of evidence.
    """
    def claim(found: Claim) -> Claim:
        current = reviews.current(found.iri)
        if current is None or current.iri == found.review_status:
            return found
        return dataclasses.replace(found, review_status=current.iri)

    def evidence(found: Evidence) -> Evidence:
        statement = reviews.get(found.source.iri)
        if statement is None or statement.latest is None or names is None:
            return found
        day = statement.latest.reviewed_at.astimezone(UTC).date().isoformat()
        return dataclasses.replace(found, status=names.ref(statement.current.iri), date=day)

    return _replaced(_replaced(found, Claim, claim), Evidence, evidence)


def _replaced(found: T, kind: type[Any], change: Callable[[Any], Any]) -> T:
    """``found`` with each ``kind`` in it (in dataclasses, tuples, lists and mappings) changed
    by ``change``; what holds nothing changed is returned as it is."""
    if isinstance(found, kind):
        return change(found)  # type: ignore[no-any-return]
    if dataclasses.is_dataclass(found) and not isinstance(found, type):
        changes = {}
        for part in dataclasses.fields(found):
            if part.init:
                value = getattr(found, part.name)
                new = _replaced(value, kind, change)
                if new is not value:
                    changes[part.name] = new
        return dataclasses.replace(found, **changes) if changes else found
    if isinstance(found, tuple | list):
        items = [_replaced(item, kind, change) for item in found]
        if all(new is old for new, old in zip(items, found, strict=True)):
            return found
        return type(found)(items) if isinstance(found, list) else tuple(items)  # type: ignore[return-value]
    if isinstance(found, Mapping):
        pairs = {key: _replaced(value, kind, change) for key, value in found.items()}
        if all(pairs[key] is value for key, value in found.items()):
            return found
        return pairs  # type: ignore[return-value]
    return found


def reviewed_json(answer: Any, reviews: Reviews, term: Callable[[str], dict[str, Any]]) -> None:
    """Show the current status in a JSON answer, in place: each object naming a claim or
    statistic (``claim`` or ``statistic``, a term with its ``iri``) and its ``reviewStatus``
    gets the current status there, and the curated one as ``curatedReviewStatus``."""
    if isinstance(answer, list):
        for item in answer:
            reviewed_json(item, reviews, term)
        return
    if not isinstance(answer, dict):
        return
    named = answer.get("claim") or answer.get("statistic")
    if "reviewStatus" in answer and isinstance(named, dict):
        statement = reviews.get(str(named.get("iri")))
        if statement is not None:
            answer["reviewStatus"] = term(statement.current.iri)
            answer["curatedReviewStatus"] = term(statement.curated.iri)
    for value in answer.values():
        reviewed_json(value, reviews, term)


SHARED = ("feature_values", "combinations", "complete", "priorities", "definitions",
          "conflicts", "class_sizes")
"""What an :class:`ApprovedOnly` classifier takes from the classifier it is made from, once
read there: the classification of features, which no review changes."""


@dataclass
class ApprovedOnly(Classifier):
    """A classifier that knows only the ``approved`` claims and statistics of ``base``: its
    causes, next steps and figures rest on approved statements alone."""

    base: Classifier | None = None
    approved: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, base: Classifier, approved: frozenset[str]) -> ApprovedOnly:
        """The classifier of ``base`` limited to ``approved``."""
        made = cls(base.store, base.lexicon, base, approved)
        made.__dict__.update({name: vars(base)[name] for name in SHARED if name in vars(base)})
        return made

    def _base(self) -> Classifier:
        assert self.base is not None, "made with ApprovedOnly.of"
        return self.base

    @cached_property
    def cause_claims(self) -> tuple[tuple[str, Claim], ...]:
        """The base's cause claims that are approved."""
        return tuple(pair for pair in self._base().cause_claims if pair[1].iri in self.approved)

    @cached_property
    def management_claims(self) -> tuple[Claim, ...]:
        """The base's management claims that are approved."""
        return tuple(c for c in self._base().management_claims if c.iri in self.approved)

    @cached_property
    def statistics(self) -> tuple[Statistic, ...]:
        """The base's figures that are approved."""
        return tuple(s for s in self._base().statistics if s.iri in self.approved)

    @cached_property
    def criteria(self) -> ImagingCriteria:
        """The base's imaging criteria with their approved recommendations, readings and
        ratings only."""
        base = self._base().criteria
        kept = ImagingCriteria(base.store)
        kept.__dict__.update(
            rules=tuple(pair for pair in base.rules if pair[1].iri in self.approved),
            readings={c: claim for c, claim in base.readings.items()
                      if claim.iri in self.approved},
            ratings=tuple(r for r in base.ratings if r.statistic in self.approved),
        )
        return kept


def approved_only(classifier: Classifier, reviews: Reviews) -> ApprovedOnly:
    """``classifier`` limited to the statements ``reviews`` gives as approved."""
    return ApprovedOnly.of(classifier, reviews.approved)


def no_approved_step(pending: int) -> str:
    """What an answer limited to approved statements says when no next step is left, with the
    number of recommended steps ``pending`` review.

    >>> no_approved_step(2)  # doctest: +ELLIPSIS
    'no next step ... approved yet (2 recommended steps are not approved: ask without status=...)'
    """
    if pending == 0:
        return "no next step for this presentation is approved yet"
    steps = "step is" if pending == 1 else "steps are"
    return (
        f"no next step for this presentation is approved yet ({pending} recommended {steps} "
        "not approved: ask without status=approved to see them)"
    )
