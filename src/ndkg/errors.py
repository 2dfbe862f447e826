"""Errors raised by ndkg.

Every error the package raises on purpose derives from :class:`NdkgError`::

    NdkgError
    ├── SourceError            a curated file cannot be read or parsed (names file, line, column)
    ├── ValidationError        the data breaks a SHACL shape (carries the report)
    ├── ReasoningError         HermiT finds the ontology inconsistent or a class unsatisfiable
    ├── BuildError             the build cannot go on (another build holds the lock, ...)
    │   └── BuildLockedError
    ├── StoreError             the built store is missing or unreadable
    ├── QueryError             a SPARQL query is malformed or refused
    └── QuestionError          a named question or its parameters are wrong
        ├── UnknownQuestionError
        └── ParameterError

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
