"""The review statuses of the served store, read once per generation and kept.

The statuses (:class:`ndkg.reviews.records.Reviews`) are read from the store queries are served
from: the current generation of contributed data, which holds the review records and the build's
graphs (:mod:`ndkg.storage.contributions`). A generation never changes once served, so its statuses
are read once, with one query, and kept under its path; an accepted review makes a new generation,
and the next request (in this process or in another serving the same folder, which sees the
new generation on its next request too) reads the statuses of that one. With a remote backend
there are no contributed data: the curated statuses are read from the endpoint on each request,
as its data may change at any time.

Routes take them as the dependency :data:`ReviewsDep` (or :data:`ReviewingDep`, with the
classifier of approved statements); ``?status=approved`` is :data:`StatusParam`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
from fastapi import Depends, Query, Request

from ndkg.answers.classify import Classifier
from ndkg.errors import StoreError
from ndkg.querying.worker import Formats, QueryJob, Reply
from ndkg.reviews.overlay import ApprovedOnly, approved_only
from ndkg.reviews.records import (
    STATEMENTS_QUERY,
    Review,
    Reviews,
    history_from,
    history_query,
    reviews_from,
)
from ndkg.service.engine import Engine

KEPT = 4
"""Generations whose statuses are kept: the one served and a few before it, for requests still
running on them."""
_JSON = ox.QueryResultsFormat.JSON


class StatusBoard:
    """The statuses of each served generation, read on first need; safe to use from the
    server's threads."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._kept: OrderedDict[Path, Reviews] = OrderedDict()
        self._approved: tuple[Classifier, Reviews, ApprovedOnly] | None = None

    def reviews(self) -> Reviews:
        """The statuses of every claim and statistic in the store served now.

        :raises StoreError: if there is no usable build.
        """
        served = self._engine.served()
        if served is None:  # a remote backend: nothing is kept
            return reviews_from(self._rows(STATEMENTS_QUERY))
        with self._lock:
            found = self._kept.get(served)
            if found is not None:
                self._kept.move_to_end(served)
                return found
        found = reviews_from(self._rows(STATEMENTS_QUERY), str(served))
        with self._lock:
            self._kept[served] = found
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        return found

    def history(self, statement: str) -> list[Review]:
        """Every review record of ``statement`` in the store served now, oldest first (the
        answer is kept with the engine's answers, under the store it was read from)."""
        return history_from(self._rows(history_query(statement)))

    def approved_only(self, classifier: Classifier, reviews: Reviews) -> ApprovedOnly:
        """``classifier`` limited to the approved statements of ``reviews`` (made once for
        each pair)."""
        with self._lock:
            kept = self._approved
            if kept is not None and kept[0] is classifier and kept[1] is reviews:
                return kept[2]
            made = approved_only(classifier, reviews)
            self._approved = (classifier, reviews, made)  # the latest pair is asked for again
        return made

    def _rows(self, query: str) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
        settings = self._engine.settings
        job = QueryJob(query, Formats(), base_iri=f"{settings.base_url}/sparql",
                       max_rows=settings.max_result_rows)
        reply = self._engine.query(job)
        if not isinstance(reply, Reply):  # pragma: no cover - SPARQL JSON is always on offer
            raise StoreError("The review statuses could not be read.")
        solutions = ox.parse_query_results(reply.body, format=_JSON)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [variable.value for variable in solutions.variables]
        return [
            {name: term for name in names
             if (term := solution[name]) is not None and not isinstance(term, ox.Triple)}
            for solution in solutions
        ]


def get_reviews(request: Request) -> Reviews:
    """The statuses of the store served now (a plain function: reading them may block).

    :raises StoreError: if there is no usable build (answered with 503).
    """
    board: StatusBoard = request.app.state.statuses
    return board.reviews()


ReviewsDep = Annotated[Reviews, Depends(get_reviews)]


class StatusFilter(StrEnum):
    """The review statuses an answer may be limited to."""

    approved = "approved"


STATUS = "status"
"""The query-string argument that limits an answer to approved claims and statistics."""
STATUS_DESCRIPTION = (
    "`approved`: only claims and statistics whose current review status is approved (the "
    "latest review, else the curated status; see /reviews). Rows resting on other claims are "
    "left out."
)
StatusParam = Annotated[
    StatusFilter | None, Query(alias=STATUS, description=STATUS_DESCRIPTION),
]


@dataclass(frozen=True)
class Reviewing:
    """The review statuses an answer shows, and the status it is limited to (``None``: every
    claim and statistic)."""

    reviews: Reviews
    board: StatusBoard
    status: StatusFilter | None = None

    def only(self, status: StatusFilter | None) -> Reviewing:
        """The same, limited to ``status``."""
        return Reviewing(self.reviews, self.board, status)

    def classifier(self, classifier: Classifier) -> Classifier:
        """``classifier``, or, limited to approved statements, one that knows only those."""
        if self.status is None:
            return classifier
        return self.board.approved_only(classifier, self.reviews)


def get_reviewing(request: Request, reviews: ReviewsDep) -> Reviewing:
    """The review statuses of the store served now, with what limits answers to approved
    statements."""
    board: StatusBoard = request.app.state.statuses
    return Reviewing(reviews, board)


ReviewingDep = Annotated[Reviewing, Depends(get_reviewing)]
