"""Run what ``ndkg query`` is given and print the result.

The source is a ``.rq`` file, ``-`` (the query text comes from standard input) or the name of a
named question of the current build (``OUT/current/queries``), run with its parameters. Free
queries may use ndkg's prefixes (``NDKG:``, ``RO:``, ``rdfs:`` ...) without declaring them.

Formats: ``table`` prints SELECT results as a table, ASK as ``true`` or ``false`` and a graph
(CONSTRUCT, DESCRIBE) as Turtle; ``json``, ``csv`` and ``tsv`` print SELECT and ASK results in
the SPARQL 1.1 results formats, and a graph as JSON-LD (``json``) or N-Triples (``csv``, ``tsv``).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ndkg.answers.lexicon import compress
from ndkg.errors import QueryError, QuestionError, UnknownQuestionError
from ndkg.model.sources import QUERIES_DIR
from ndkg.questions import Questions
from ndkg.storage.store import EmbeddedStore, QueryResult, current_build, open_store
from ndkg.vocab import PREFIXES

STDIN = "-"
TABLE = "table"
RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    TABLE: ox.RdfFormat.TURTLE,
    "json": ox.RdfFormat.JSON_LD,
    "csv": ox.RdfFormat.N_TRIPLES,
    "tsv": ox.RdfFormat.N_TRIPLES,
}
UNWRAPPED_WIDTH = 10_000  # table width when the output is not a terminal: never wrap cells


def run_and_print(
    source: str,
    text: str | None,
    out: Path,
    root: Path,
    params: Mapping[str, str],
    fmt: str,
    *,
    stream: TextIO | None = None,
) -> None:
    """Run a query file, standard input or a named question and print its result.

    :param source: a ``.rq`` file, ``-`` for ``text``, or the name of a named question.
    :param text: the query read from standard input when ``source`` is ``-``.
    :param out: the build folder.
    :param root: the project folder, to tell a question that is not built yet from a typo.
    :param params: the parameters of a named question.
    :param fmt: ``table``, ``json``, ``csv`` or ``tsv``.
    :param stream: where to print (default: standard output).
    :raises StoreError: if there is no finished build in ``out``.
    :raises QueryError: for a malformed query, a missing query file or an unknown format.
    :raises QuestionError: for an unknown question, a wrong parameter, or parameters given
        to a query that is not a named question.
    """
    if fmt != TABLE and fmt not in RESULTS_FORMATS:
        raise QueryError(f"unknown format {fmt!r}; use table, json, csv or tsv")
    stream = stream or sys.stdout
    store = open_store(out)
    title = ""
    if source == STDIN or source.endswith(".rq") or Path(source).is_file():
        if params:
            raise QuestionError("--param applies to named questions only")
        sparql = text if source == STDIN else _read(Path(source))
        result = store.query(sparql or "", use_prefixes=True)
    else:
        title, result = _ask_question(store, out, root, source, params)
    _print(result, fmt, stream, title)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"cannot read the query file {path}: {exc.strerror}") from exc


def _ask_question(
    store: EmbeddedStore, out: Path, root: Path, name: str, params: Mapping[str, str]
) -> tuple[str, ox.QuerySolutions]:
    questions = Questions(store, current_build(out) / QUERIES_DIR)
    if name not in questions.by_name and (Path(root) / QUERIES_DIR / f"{name}.rq").exists():
        raise UnknownQuestionError(
            f"{name!r} is in {Path(root) / QUERIES_DIR} but not in the current build: "
            f"run `ndkg build --out {out}` first"
        )
    summary = questions.get(name).summary
    return summary, questions.run(name, dict(params))


def _print(result: QueryResult, fmt: str, stream: TextIO, title: str) -> None:
    if isinstance(result, ox.QueryTriples):
        prefixes = PREFIXES if fmt == TABLE else None
        data = ox.serialize(result, format=GRAPH_FORMATS[fmt], prefixes=prefixes)
        _write(stream, data or b"")
    elif fmt != TABLE:
        _write(stream, result.serialize(format=RESULTS_FORMATS[fmt]) or b"")
    elif isinstance(result, ox.QueryBoolean):
        stream.write(f"{str(bool(result)).lower()}\n")
    else:
        _print_table(result, stream, title)


def _write(stream: TextIO, data: bytes) -> None:
    text = data.decode("utf-8")
    stream.write(text if not text or text.endswith("\n") else text + "\n")


def _print_table(solutions: ox.QuerySolutions, stream: TextIO, title: str) -> None:
    names = [v.value for v in solutions.variables]
    table = Table(*names, box=box.SIMPLE_HEAD, title=Text(title) if title else None,
                  title_justify="left")
    count = 0
    for solution in solutions:
        table.add_row(*(_cell(solution[name]) for name in names))
        count += 1
    table.caption = f"{count} row{'s' if count != 1 else ''}"
    table.caption_justify = "left"
    width = None if stream.isatty() else UNWRAPPED_WIDTH
    Console(file=stream, width=width, highlight=False).print(table)


def _cell(term: object) -> Text:
    """A term as plain text (never read as rich markup): IRIs as CURIEs, literals as values."""
    if term is None:
        return Text("")
    if isinstance(term, ox.NamedNode):
        return Text(compress(term.value))
    if isinstance(term, ox.BlankNode):
        return Text(f"_:{term.value}")
    if isinstance(term, ox.Literal):
        return Text(term.value)
    return Text(str(term))
