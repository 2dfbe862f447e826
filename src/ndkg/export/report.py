"""Quality checks of the OWL release, in the manner of ``robot report``.

Each check is a SPARQL query in ``checks/`` (written for ndkg after reading ROBOT's report
queries) whose rows are problems: ``?entity``, ``?property`` and ``?value``. Its ``#+ level:``
header says how serious a problem is; ``ERROR`` is what ROBOT's default profile fails on.
The checks respect the obsoletion policy: a deprecated entity (``owl:deprecated true``) needs
no label check, may share its label with another deprecated one, and must not take part in a
logical axiom; ``IAO:0100001`` (term replaced by) belongs on deprecated entities only.

>>> sorted(check.name for check in CHECKS)[:3]
['built_in_vocabulary', 'deprecated_boolean', 'deprecated_reference']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ndkg.vocab import PREFIXES

CHECKS_DIR = Path(__file__).with_name("checks")
ERROR = "ERROR"


@dataclass(frozen=True)
class Check:
    """One check: its name, level, what it finds, and its query."""

    name: str
    level: str
    description: str
    query: str

    @classmethod
    def read(cls, path: Path) -> Check:
        """Read a check from its ``.rq`` file."""
        text = path.read_text(encoding="utf-8")
        header = {
            key.strip(): value.strip()
            for key, _, value in (
                line.removeprefix("#+").partition(":")
                for line in text.splitlines() if line.startswith("#+")
            )
        }
        return cls(path.stem, header.get("level", ERROR), header.get("description", ""), text)


@dataclass(frozen=True)
class Problem:
    """A row of a check: the entity, property and value it is about."""

    check: str
    level: str
    entity: str
    property: str
    value: str

    def __str__(self) -> str:
        return f"{self.level}\t{self.check}\t{self.entity}\t{self.property}\t{self.value}"


CHECKS = tuple(Check.read(path) for path in sorted(CHECKS_DIR.glob("*.rq")))


def report(path: Path, checks: tuple[Check, ...] = CHECKS) -> list[Problem]:
    """Run ``checks`` over the RDF file at ``path`` (its format from its extension).

    :raises SyntaxError: if the file does not parse.
    """
    store = ox.Store()
    fmt = ox.RdfFormat.RDF_XML if path.suffix in (".owl", ".rdf") else None
    store.load(path=str(path), format=fmt)
    prefixes = {**PREFIXES, "dcterms": "http://purl.org/dc/terms/"}
    problems = []
    for check in checks:
        result = store.query(check.query, prefixes=prefixes)
        assert isinstance(result, ox.QuerySolutions), check.name
        for row in result:
            problems.append(Problem(
                check.name, check.level,
                *(_text(row[name]) for name in ("entity", "property", "value")),
            ))
    return problems


def _text(term: object) -> str:
    return "" if term is None else getattr(term, "value", str(term))
