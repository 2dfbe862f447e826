"""Find and parse the curated sources: ``ontology/``, ``shapes/`` and the SSSOM mappings.

Turtle is checked with Oxigraph's parser first, whose errors carry line and column, then read
into rdflib (which pySHACL and the release writers use).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ndkg.errors import QueryError, SourceError, SourcesNotFoundError
from ndkg.querying.guard import check_outbound

ONTOLOGY_DIR = "ontology"
SHAPES_DIR = "shapes"
MAPPINGS_DIR = "ontology/mappings"
QUERIES_DIR = "queries"
_POSITION = re.compile(
    r"^Parser error (at|between) line \d+ column \d+( and line \d+ column \d+)?: "
)


@dataclass(frozen=True)
class Sources:
    """The curated files of a project, in a stable order."""

    root: Path
    ontology: tuple[Path, ...]
    shapes: tuple[Path, ...]
    mappings: tuple[Path, ...]
    queries: tuple[Path, ...] = ()

    @classmethod
    def discover(cls, root: Path) -> Sources:
        """Collect the curated files under ``root``.

        :raises SourcesNotFoundError: if ``root`` has no ontology files.
        """
        root = Path(root)
        ontology = tuple(sorted((root / ONTOLOGY_DIR).rglob("*.ttl")))
        if not ontology:
            raise SourcesNotFoundError(
                root / ONTOLOGY_DIR, None, None,
                "no Turtle files found: give --root a folder holding ontology/, or run "
                "`ndkg init DIR` to copy the sources out",
            )
        return cls(
            root=root,
            ontology=ontology,
            shapes=tuple(sorted((root / SHAPES_DIR).glob("*.ttl"))),
            mappings=tuple(sorted((root / MAPPINGS_DIR).glob("*.sssom.tsv"))),
            queries=tuple(sorted((root / QUERIES_DIR).glob("*.rq"))),
        )

    @property
    def files(self) -> tuple[Path, ...]:
        """Every input file of a build."""
        return self.ontology + self.shapes + self.mappings + self.queries

    def hashes(self) -> dict[str, str]:
        """SHA-256 of each input file, keyed by its path relative to the root."""
        return {
            str(path.relative_to(self.root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in self.files
        }


def parse_turtle(path: Path) -> Graph:
    """Parse one Turtle file.

    :raises SourceError: naming the file, line and column of the first syntax error.
    """
    data = path.read_bytes()
    try:
        for _ in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as exc:
        message = _POSITION.sub("", str(exc.msg or exc))
        raise SourceError(path, exc.lineno, exc.offset, message) from exc
    graph = Graph()
    graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    return graph


def check_query(path: Path) -> None:
    """Check that a named question is valid SPARQL (by running it on an empty store) and
    contacts no other endpoint (``SERVICE`` would make the engine send HTTP requests).

    :raises SourceError: naming the file and the parser's message.
    """
    text = path.read_text(encoding="utf-8")
    try:
        check_outbound(text, allowlist=())
    except QueryError as exc:
        raise SourceError(path, None, None, str(exc)) from exc
    try:
        ox.Store().query(text)
    except SyntaxError as exc:
        raise SourceError(path, exc.lineno, exc.offset, _POSITION.sub("", str(exc))) from exc


def parse_all(paths: tuple[Path, ...]) -> Graph:
    """Parse several Turtle files into one graph.

    :raises SourceError: for the first file with a syntax error.
    """
    graph = Graph()
    for path in paths:
        graph += parse_turtle(path)
    return graph
