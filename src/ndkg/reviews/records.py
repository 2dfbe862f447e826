"""Reviews of claims and statistics: which status a reviewer set, when, who, and why.

Every claim (``NDKG:0000107``) and statistic (``NDKG:0000108``) carries a curated review status
(``NDKG:0000003``: submitted, under review, approved or rejected) and its date
(``NDKG:0000004``). A reviewer sets a new status with a **review record** (``NDKG:0000130``),
written through the service into the contributed graph :data:`REVIEWS_GRAPH`, never into the
curated sources::

    <urn:uuid:...> a NDKG:0000130 ;
        NDKG:0000039 NDKG:0001031 ;                             # the statement reviewed
        NDKG:0000003 NDKG:0000602 ;                             # the status it sets
        NDKG:0000040 <https://orcid.org/0000-0002-1825-0097> ;  # the reviewer
        NDKG:0000041 "Checked against the source." ;            # a comment
        NDKG:0000042 "2026-12-04T16:07:39.120000+00:00"^^xsd:dateTime .

The records of a statement are its history; the latest (by ``NDKG:0000042``, records of the
same instant by IRI) sets its **current status**; a statement without one keeps its curated
status. :data:`STATEMENTS_QUERY` reads, for every statement, the curated status and the latest
record; :func:`history_query` reads every record of one statement.

>>> Status("under review").iri
'https://w3id.org/ndkg/NDKG_0000601'
>>> Status.of("https://w3id.org/ndkg/NDKG_0000602")
<Status.approved: 'approved'>
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property

import pyoxigraph as ox

from ndkg.storage.contributions import CONTRIBUTED, is_contributed
from ndkg.vocab import BASE, CLAIM, STATISTIC

REVIEWS_GRAPH = CONTRIBUTED + "/reviews"
"""The contributed graph that review records are written to."""

REVIEW_RECORD = BASE + "NDKG_0000130"
REVIEWED_STATEMENT = BASE + "NDKG_0000039"
REVIEWER = BASE + "NDKG_0000040"
REVIEW_COMMENT = BASE + "NDKG_0000041"
REVIEWED_AT = BASE + "NDKG_0000042"
REVIEW_STATUS = BASE + "NDKG_0000003"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DATE_TIME = "http://www.w3.org/2001/XMLSchema#dateTime"


class Status(StrEnum):
    """A review status, by the label of its term in the graph."""

    submitted = "submitted"
    under_review = "under review"
    approved = "approved"
    rejected = "rejected"

    @property
    def iri(self) -> str:
        """The term of the graph for this status."""
        return _STATUS_IRIS[self]

    @classmethod
    def of(cls, iri: str) -> Status:
        """The status whose term is ``iri``.

        :raises KeyError: if ``iri`` is none of the four.
        """
        return _STATUSES_BY_IRI[iri]


_STATUS_IRIS = {
    Status.submitted: BASE + "NDKG_0000600",
    Status.under_review: BASE + "NDKG_0000601",
    Status.approved: BASE + "NDKG_0000602",
    Status.rejected: BASE + "NDKG_0000603",
}
_STATUSES_BY_IRI = {iri: status for status, iri in _STATUS_IRIS.items()}


@dataclass(frozen=True)
class Review:
    """One review record: ``reviewer`` (an ORCID IRI) set ``statement`` to ``status`` at
    ``reviewed_at``, saying ``comment``."""

    iri: str
    statement: str
    status: Status
    reviewer: str
    reviewed_at: datetime
    comment: str | None = None

    @classmethod
    def new(
        cls, statement: str, status: Status, reviewer: str, comment: str | None,
        now: datetime | None = None,
    ) -> Review:
        """A new record with an IRI of its own (``urn:uuid:``), made at ``now`` (UTC by
        default)."""
        return cls(f"urn:uuid:{uuid.uuid4()}", statement, status, reviewer,
                   now or datetime.now(UTC), comment)

    @property
    def order(self) -> tuple[datetime, str]:
        """Where the record stands in a history: by time, then by IRI."""
        return self.reviewed_at, self.iri

    def triples(self) -> list[ox.Triple]:
        """The record as triples.

        >>> at = datetime(2026, 12, 4, 16, 7, 39, tzinfo=UTC)
        >>> record = Review("urn:uuid:1", BASE + "NDKG_0001031", Status.approved,
        ...                 "https://orcid.org/0000-0002-1825-0097", at)
        >>> print(record.triples()[-1])
        <urn:uuid:1> <https://w3id.org/ndkg/NDKG_0000042> "2026-12-04T16:07:39+00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>
        """
        record = ox.NamedNode(self.iri)
        triples = [
            ox.Triple(record, ox.NamedNode(_RDF_TYPE), ox.NamedNode(REVIEW_RECORD)),
            ox.Triple(record, ox.NamedNode(REVIEWED_STATEMENT), ox.NamedNode(self.statement)),
            ox.Triple(record, ox.NamedNode(REVIEW_STATUS), ox.NamedNode(self.status.iri)),
            ox.Triple(record, ox.NamedNode(REVIEWER), ox.NamedNode(self.reviewer)),
        ]
        if self.comment is not None:
            triples.append(ox.Triple(record, ox.NamedNode(REVIEW_COMMENT),
                                     ox.Literal(self.comment)))
        at = ox.Literal(self.reviewed_at.isoformat(), datatype=ox.NamedNode(_DATE_TIME))
        triples.append(ox.Triple(record, ox.NamedNode(REVIEWED_AT), at))
        return triples

    def n_triples(self) -> bytes:
        """The record as N-Triples, as a write sends it."""
        return ox.serialize(self.triples(), format=ox.RdfFormat.N_TRIPLES) or b""


@dataclass(frozen=True)
class Statement:
    """A claim or statistic: its curated review status (and date), and its latest review."""

    iri: str
    kind: str
    curated: Status
    curated_date: str | None = None
    latest: Review | None = None

    @property
    def current(self) -> Status:
        """The status of the latest review, else the curated one."""
        return self.latest.status if self.latest is not None else self.curated


@dataclass(frozen=True)
class Reviews:
    """The review statuses of every claim and statistic of one served store; ``store`` names
    that store (its path), so that answers made with these statuses can be kept under it."""

    statements: Mapping[str, Statement]
    store: str = ""

    def get(self, iri: str) -> Statement | None:
        """The statement ``iri``, if it is a claim or statistic of the graph."""
        return self.statements.get(iri)

    def current(self, iri: str) -> Status | None:
        """The current status of ``iri``; ``None`` if it is no claim or statistic."""
        statement = self.statements.get(iri)
        return None if statement is None else statement.current

    @cached_property
    def approved(self) -> frozenset[str]:
        """The statements whose current status is approved."""
        return frozenset(s.iri for s in self.statements.values() if s.current is Status.approved)


_RECORD_PATTERN = f"""
    GRAPH ?graph {{
      ?record a <{REVIEW_RECORD}> ; <{REVIEWED_STATEMENT}> ?statement ;
          <{REVIEW_STATUS}> ?status ; <{REVIEWED_AT}> ?reviewedAt .
      OPTIONAL {{ ?record <{REVIEWER}> ?reviewer }}
      OPTIONAL {{ ?record <{REVIEW_COMMENT}> ?comment }}
    }}
    FILTER(STRSTARTS(STR(?graph), "{CONTRIBUTED}"))"""

STATEMENTS_QUERY = f"""
SELECT DISTINCT ?statement ?kind ?curated ?curatedDate ?graph ?record ?status ?reviewer ?comment
       ?reviewedAt WHERE {{
  VALUES ?kind {{ <{CLAIM}> <{STATISTIC}> }}
  ?statement a ?kind ; <{REVIEW_STATUS}> ?curated .
  FILTER NOT EXISTS {{ GRAPH ?contributed {{ ?statement <{REVIEW_STATUS}> ?curated }}
                       FILTER(STRSTARTS(STR(?contributed), "{CONTRIBUTED}")) }}
  OPTIONAL {{ ?statement <{BASE}NDKG_0000004> ?curatedDate }}
  OPTIONAL {{
    {{
      SELECT ?statement (MAX(?at) AS ?reviewedAt) WHERE {{
        GRAPH ?anyGraph {{ ?anyRecord a <{REVIEW_RECORD}> ; <{REVIEWED_STATEMENT}> ?statement ;
                             <{REVIEWED_AT}> ?at }}
        FILTER(STRSTARTS(STR(?anyGraph), "{CONTRIBUTED}"))
      }} GROUP BY ?statement
    }}{_RECORD_PATTERN}
  }}
}}
"""
"""Every claim and statistic with its curated status and date and its latest review records
(those of the latest instant: usually one). The latest instant is found by aggregation, which
takes time in proportion to the number of records."""


def history_query(statement: str) -> str:
    """The query reading every review record of ``statement``.

    :raises ValueError: if ``statement`` is not a valid IRI.
    """
    return f"""
SELECT DISTINCT ?statement ?graph ?record ?status ?reviewer ?comment ?reviewedAt WHERE {{
  VALUES ?statement {{ {ox.NamedNode(statement)} }}{_RECORD_PATTERN}
}}
"""


Row = Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal]


def review_of(row: Row) -> Review | None:
    """The review record of a row of :data:`STATEMENTS_QUERY` or :func:`history_query`;
    ``None`` if the row has none, or one the shapes would refuse (a status outside the four,
    a time without a time zone), which a write cannot make."""
    record, graph = row.get("record"), row.get("graph")
    if record is None or graph is None or not is_contributed(graph.value):
        return None
    try:
        status = Status.of(row["status"].value)
        at = datetime.fromisoformat(row["reviewedAt"].value)
    except (KeyError, ValueError):
        return None
    if at.tzinfo is None:
        return None
    reviewer = row.get("reviewer")
    comment = row.get("comment")
    return Review(
        record.value, row["statement"].value, status,
        reviewer.value if reviewer is not None else "",
        at, comment.value if comment is not None else None,
    )


def reviews_from(rows: Iterable[Row], store: str = "") -> Reviews:
    """The statuses of every statement, from the rows of :data:`STATEMENTS_QUERY` read from
    ``store``."""
    found: dict[str, Statement] = {}
    for row in rows:
        iri = row["statement"].value
        try:
            curated = Status.of(row["curated"].value)
        except KeyError:
            continue
        kind = "claim" if row["kind"].value == str(CLAIM) else "statistic"
        date = row.get("curatedDate")
        statement = found.get(iri) or Statement(iri, kind, curated,
                                                 date.value if date is not None else None)
        review = review_of(row)
        if review is not None and (statement.latest is None
                                   or review.order > statement.latest.order):
            statement = Statement(iri, kind, statement.curated, statement.curated_date, review)
        found[iri] = statement
    return Reviews(found, store)


def history_from(rows: Iterable[Row]) -> list[Review]:
    """The review records in the rows of :func:`history_query`, oldest first."""
    records = {review.iri: review for row in rows if (review := review_of(row)) is not None}
    return sorted(records.values(), key=lambda review: review.order)
