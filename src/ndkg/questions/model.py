"""What a named question is: its text, metadata and typed parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """The type of a parameter, from the suffix of its grlc variable name."""

    IRI = "iri"
    LITERAL = "literal"
    INTEGER = "integer"
    NUMBER = "number"


@dataclass(frozen=True)
class Parameter:
    """A parameter of a named question.

    grlc names it ``?_name_kind`` (required) or ``?__name_kind`` (optional).
    """

    name: str
    variable: str
    kind: Kind
    required: bool
    description: str = ""
    default: str | None = None
    values_query: str | None = None
    example: str | None = None


@dataclass(frozen=True)
class Question:
    """A named question parsed from a ``.rq`` file."""

    name: str
    summary: str
    description: str
    sparql: str
    parameters: tuple[Parameter, ...] = ()
    tags: tuple[str, ...] = field(default_factory=tuple)

    def parameter(self, name: str) -> Parameter | None:
        """The parameter called ``name``, if any."""
        return next((p for p in self.parameters if p.name == name), None)
