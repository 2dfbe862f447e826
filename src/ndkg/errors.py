"""Errors raised by ndkg.

Every error the package raises on purpose derives from :class:`NdkgError`::

    NdkgError
    ├── SourceError            a curated file cannot be read or parsed (names file, line, column)
    │   └── SourcesNotFoundError   no curated sources where they were looked for
    ├── ValidationError        the data breaks a SHACL shape (carries the report)
    ├── ReasoningError         HermiT finds the ontology inconsistent or a class unsatisfiable
    ├── BuildError             the build cannot go on (another build holds the lock, ...)
    │   ├── BuildLockedError
    │   └── JavaNotFoundError      the reasoner needs Java and there is none
    ├── StoreError             the built store is missing or unreadable
    ├── QueryError             a SPARQL query is malformed or refused
    │   └── OutboundRequestError   it would contact an endpoint that is not allowed
    ├── QuestionError          a named question or its parameters are wrong
    │   ├── UnknownQuestionError
    │   └── ParameterError
    ├── LimitError             a request goes beyond one of the service's limits
    │   ├── TooLargeError          a body, query text or upload larger than allowed
    │   ├── TooDeepError           a query nested deeper than allowed
    │   ├── QueryTimeoutError      a query ran out of time and was stopped
    │   ├── MemoryLimitError       a query or write needed more memory than allowed; stopped
    │   ├── BusyError              every query worker is busy and the queue is full
    │   └── TooManyAttemptsError   too many wrong write tokens from one client
    ├── EngineError            the query engine failed on a request (its worker was replaced)
    ├── AccessError            a write without a valid token
    │   └── ForbiddenError         a wrong token, or a write to a read-only graph
    ├── DataError              uploaded RDF cannot be parsed (names line and column)
    ├── ConflictError          a write would copy triples of the build into contributed graphs
    ├── AddressInUseError      the service cannot listen on its address
    └── GraphNotFoundError     no graph has that name

Library errors (rdflib, pyoxigraph, owlready2) are converted where they enter, ``raise ... from``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class NdkgError(Exception):
    """Root of every error ndkg raises on purpose."""


@dataclass
class SourceError(NdkgError):
    """A curated source file cannot be parsed.

    >>> str(SourceError(Path("ontology/x.ttl"), 3, 7, "unexpected token"))
    'ontology/x.ttl:3:7: unexpected token'
    """

    path: Path
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class SourcesNotFoundError(SourceError):
    """No curated sources where they were looked for (a folder without ``ontology/*.ttl``)."""


class ValidationError(NdkgError):
    """The data does not conform to the SHACL shapes."""

    def __init__(self, message: str, report_turtle: str, violations: list[dict[str, str]]) -> None:
        super().__init__(message)
        self.report_turtle = report_turtle
        self.violations = violations


class ReasoningError(NdkgError):
    """The reasoner found the ontology inconsistent or some class unsatisfiable."""


class BuildError(NdkgError):
    """The build cannot go on."""


class BuildLockedError(BuildError):
    """Another build holds the lock on the output folder."""


class JavaNotFoundError(BuildError):
    """HermiT runs on Java, and no ``java`` command was found."""


class StoreError(NdkgError):
    """The built store is missing or cannot be read."""


class QueryError(NdkgError):
    """A SPARQL query is malformed or refused."""


class QuestionError(NdkgError):
    """A named question or its parameters are wrong."""


class UnknownQuestionError(QuestionError):
    """No named question has that name."""


class ParameterError(QuestionError):
    """A parameter of a named question is missing or has a value outside its allowed set."""

    def __init__(self, name: str, message: str, allowed: list[str] | None = None) -> None:
        super().__init__(message)
        self.name = name
        self.allowed = allowed or []


class OutboundRequestError(QueryError):
    """A query or update would make the engine contact an endpoint that is not allowed."""


class LimitError(NdkgError):
    """A request goes beyond one of the service's configured limits; the message names it."""


class TooLargeError(LimitError):
    """A request body, query text or upload is larger than allowed."""


class TooDeepError(LimitError):
    """A query nests brackets deeper than allowed."""


class QueryTimeoutError(LimitError):
    """A query ran longer than the time limit and was stopped."""


class MemoryLimitError(LimitError):
    """A query or write needed more memory than its worker may use, and was stopped."""


class BusyError(LimitError):
    """Every query worker is busy and the queue of waiting requests is full."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooManyAttemptsError(BusyError):
    """A client sent too many wrong write tokens; it must wait ``retry_after`` seconds."""


class EngineError(NdkgError):
    """The query engine failed on a request (its worker process died and was replaced)."""


class AccessError(NdkgError):
    """A write came without a valid token."""


class ForbiddenError(AccessError):
    """A write came with a wrong token, or would change a graph that is read-only."""


class DataError(NdkgError):
    """Uploaded RDF cannot be parsed; the message names the line and column."""


class ConflictError(NdkgError):
    """A write would put into contributed graphs triples that the build already holds."""


class AddressInUseError(NdkgError):
    """The service cannot listen on its host and port (another process holds them)."""


class GraphNotFoundError(NdkgError):
    """No graph has that name."""
