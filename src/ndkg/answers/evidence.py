"""Claims, statistics and conflicts as answers read them from the graph, with their evidence.

A claim or statistic rests either on a sentence of its source quoted verbatim
(``NDKG:0000002``) or, for a work that is not quoted, on the curators' summary of what it
supports (``NDKG:0000045``); :attr:`Claim.quoted` says which.

>>> flag("true"), flag(False), flag(None)
(True, False, None)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ndkg.vocab import NDKG

CLAIM_EVIDENCE = """
      NDKG:0000006 ?citation ; RO:0002558 ?evidence ; NDKG:0000003 ?reviewStatus .
  { ?claim NDKG:0000002 ?text } UNION { ?claim NDKG:0000045 ?text BIND(true AS ?summary) }
  OPTIONAL { ?claim NDKG:0000029 ?qualifier }
  OPTIONAL { ?claim NDKG:0000037 ?primary }
  OPTIONAL { ?claim NDKG:0000032 ?reported }
  OPTIONAL { ?claim NDKG:0000050 ?order }
  OPTIONAL { ?claim NDKG:0000051 ?condition }
  OPTIONAL { ?claim rdfs:comment ?note }
  OPTIONAL { ?citation NDKG:0000024 ?pmid }
  OPTIONAL { ?citation NDKG:0000025 ?doi }
}
"""
"""The end of a query for claims (``?claim``): citation, evidence code, review status, the
quote or summary, and the optional parts. The variables :func:`read_claim` reads."""

EVIDENCE_VARIABLES = (
    "?claim ?citation ?evidence ?reviewStatus ?text ?summary ?qualifier ?primary ?reported "
    "?order ?condition ?note ?pmid ?doi"
)


@dataclass(frozen=True)
class Claim:
    """A claim (or statistic) with its evidence, as rows of the graph give it."""

    iri: str
    subject: str
    relation: str
    object: str
    citation: str
    evidence: str
    review_status: str
    text: str
    qualifier: str | None = None
    pmid: str | None = None
    doi: str | None = None
    primary: bool = False
    cited_work_reports: bool | None = None
    note: str | None = None
    quoted: bool = True
    order: int | None = None
    condition: str | None = None


@dataclass(frozen=True)
class Statistic:
    """A figure of the graph about a term."""

    iri: str
    about: str
    measure: str
    unit: str
    population: str
    time_point: str | None
    evidence: Claim
    value: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    months_postpartum: float | None = None
    approximate: bool = False
    outcome: str | None = None
    method: str | None = None
    numerator: int | None = None
    denominator: int | None = None


@dataclass(frozen=True)
class Conflict:
    """The curators' record that statements disagree, and how."""

    iri: str
    note: str
    statements: frozenset[str]


def number(value: object) -> float | None:
    """A number of a row (typed by the store, or its text)."""
    return None if value is None else float(str(value))


def flag(value: object) -> bool | None:
    """A boolean of a row (typed by the store, or its text)."""
    return None if value is None else value is True or str(value).lower() in ("true", "1")


def read_claim(row: Mapping[str, object]) -> Claim:
    """The claim of a row of a query ending in :data:`CLAIM_EVIDENCE`."""
    order = number(row.get("order"))
    return Claim(
        iri=str(row["claim"]), subject=str(row.get("claimSubject", row["subject"])),
        relation=str(row["relation"]), object=str(row["class"]),
        citation=str(row["citation"]), evidence=str(row["evidence"]),
        review_status=str(row["reviewStatus"]), text=str(row["text"]),
        qualifier=_text(row.get("qualifier")), pmid=_text(row.get("pmid")),
        doi=_text(row.get("doi")), primary=flag(row.get("primary")) or False,
        cited_work_reports=flag(row.get("reported")), note=_text(row.get("note")),
        quoted=not flag(row.get("summary")), order=None if order is None else int(order),
        condition=_text(row.get("condition")),
    )


def read_statistic(row: Mapping[str, object]) -> Statistic:
    """The statistic of a row of :data:`STATISTICS`."""
    evidence = Claim(
        iri=str(row["statistic"]), subject=str(row["statistic"]),
        relation=str(NDKG.NDKG_0000015), object=str(row["about"]),
        citation=str(row["citation"]), evidence=str(row["evidence"]),
        review_status=str(row["reviewStatus"]), text=str(row["text"]),
        quoted=not flag(row.get("summary")),
    )
    numerator, denominator = number(row.get("numerator")), number(row.get("denominator"))
    return Statistic(
        iri=str(row["statistic"]), about=str(row["about"]), measure=str(row["measure"]),
        unit=str(row["unit"]), population=str(row["population"]),
        time_point=_text(row.get("timePoint")), evidence=evidence,
        value=number(row.get("value")), minimum=number(row.get("minimum")),
        maximum=number(row.get("maximum")), months_postpartum=number(row.get("months")),
        approximate=flag(row.get("approximate")) or False, outcome=_text(row.get("outcome")),
        method=_text(row.get("method")),
        numerator=None if numerator is None else int(numerator),
        denominator=None if denominator is None else int(denominator),
    )


STATISTICS = """
SELECT ?statistic ?about ?measure ?value ?minimum ?maximum ?unit ?population ?timePoint
       ?months ?approximate ?outcome ?method ?numerator ?denominator
       ?citation ?evidence ?reviewStatus ?text ?summary WHERE {
  ?statistic a NDKG:0000108 ; NDKG:0000015 ?about ; NDKG:0000028 ?measure ;
      NDKG:0000019 ?unit ; NDKG:0000022 ?population ;
      NDKG:0000006 ?citation ; RO:0002558 ?evidence ; NDKG:0000003 ?reviewStatus .
  { ?statistic NDKG:0000002 ?text } UNION { ?statistic NDKG:0000045 ?text BIND(true AS ?summary) }
  OPTIONAL { ?statistic NDKG:0000023 ?timePoint }
  OPTIONAL { ?statistic NDKG:0000016 ?value }
  OPTIONAL { ?statistic NDKG:0000017 ?minimum ; NDKG:0000018 ?maximum }
  OPTIONAL { ?statistic NDKG:0000031 ?months }
  OPTIONAL { ?statistic NDKG:0000035 ?approximate }
  OPTIONAL { ?statistic NDKG:0000036 ?outcome }
  OPTIONAL { ?statistic NDKG:0000049 ?method }
  OPTIONAL { ?statistic NDKG:0000020 ?numerator ; NDKG:0000021 ?denominator }
}
"""
"""Every statistic of the graph, with its evidence (:func:`read_statistic` reads a row)."""

CONFLICTS = """
SELECT ?conflict ?note ?statement WHERE {
  ?conflict a NDKG:0000129 ; rdfs:comment ?note ; NDKG:0000034 ?statement .
}
"""
"""Every conflict between statements, a row per statement."""


def _text(value: object) -> str | None:
    return None if value is None else str(value)
