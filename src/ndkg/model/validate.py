"""Check a graph against the SHACL shapes of ndkg (``shapes/*.ttl``) with pySHACL.

The shapes use SHACL-SPARQL and SHACL Advanced Features (SPARQL targets), so pySHACL runs with
``advanced=True``, no inference and no meta-SHACL check. A report lists its violations with
CURIEs instead of full IRIs, so that a curator can read them:

>>> shapes = Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...     <https://w3id.org/ndkg/shapes/LabelShape> a sh:NodeShape ;
...         sh:targetNode <https://w3id.org/ndkg/NDKG_0000100> ;
...         sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:message "Add a label." ] .
... ''')
>>> report = validate(Graph(), shapes)
>>> report.conforms
False
>>> v = report.violations[0]
>>> v.focus_node, v.path, v.message, v.severity
('NDKG:0000100', 'rdfs:label', 'Add a label.', 'sh:Violation')
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import curies
import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from ndkg.errors import ValidationError
from ndkg.model.sources import parse_turtle
from ndkg.vocab import PREFIXES

SHAPES_NAMESPACE = "https://w3id.org/ndkg/shapes/"
_REPORT_PREFIXES = {**PREFIXES, "ndkgsh": SHAPES_NAMESPACE, "sh": str(SH)}
_CONVERTER = curies.Converter.from_prefix_map(_REPORT_PREFIXES)
_IRI_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+")
_PATH_SUFFIXES = ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?"))
_COLUMNS = ("focus node", "path", "value", "shape", "message")
_ANNOTATED = (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget)


@dataclass(frozen=True)
class Violation:
    """One validation result, its terms written as CURIEs where a prefix is known.

    ``path`` and ``value`` are empty when the result has none. A blank focus node that is a
    mapping axiom is written as the triple it annotates: ``[NDKG:0000117 skos:exactMatch ...]``.
    """

    focus_node: str
    path: str
    message: str
    shape: str
    severity: str
    value: str

    def as_dict(self) -> dict[str, str]:
        """The violation as a plain dictionary (for JSON and error payloads)."""
        return asdict(self)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: whether the data conforms, and why not."""

    conforms: bool
    violations: list[Violation]
    report_graph: Graph

    def to_turtle(self) -> str:
        """The full SHACL validation report as Turtle."""
        return self.report_graph.serialize(format="turtle")

    def summary(self) -> str:
        """A readable table of the violations: focus node, path, value, shape and message."""
        if not self.violations:
            return "The data conforms to the shapes."
        rows = [(v.focus_node, v.path, v.value, v.shape, v.message) for v in self.violations]
        widths = [max(len(row[i]) for row in [_COLUMNS, *rows]) for i in range(len(_COLUMNS) - 1)]
        lines = [f"{len(rows)} violation(s) of the shapes:"]
        for row in [_COLUMNS, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            lines.append("  ".join([*cells, row[-1]]))
        return "\n".join(lines)


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL text once.

    pySHACL sends the same query text once per focus node, and rdflib parses it every time
    (about 25 ms a query); with parsed queries reused, validating ndkg takes about a second
    instead of ten.
    """

    def query(
        self,
        query_object: str | Query,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Mapping[str, Any] | None = None,  # noqa: N803 - rdflib's name
        initBindings: Mapping[str, Any] | None = None,  # noqa: N803 - rdflib's name
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        """Run a query, parsing a query text only the first time it is seen."""
        if isinstance(query_object, str) and not initNs:
            query_object = _prepared(query_object)
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


@functools.lru_cache(maxsize=256)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


def load_shapes(paths: Iterable[Path]) -> Graph:
    """Read SHACL shapes from Turtle files into one graph.

    :raises SourceError: naming the file, line and column of a syntax error.
    """
    shapes = Graph()
    for path in paths:
        shapes += parse_turtle(Path(path))
    return shapes


def validate(
    data: Graph, shapes: Graph, focus_nodes: Iterable[Node] | None = None
) -> ValidationReport:
    """Validate ``data`` against ``shapes``; ``data`` itself is left untouched. With
    ``focus_nodes``, only those nodes are validated, against the shapes that target them.

    A result that only says a value node does not conform to a shape named by ``sh:node``
    is replaced by the nested results that say why (its ``sh:detail``).
    """
    copy = _PreparedQueryGraph()
    for triple in data.triples((None, None, None)):
        copy.add(triple)
    conforms, report_graph, _ = pyshacl.validate(
        copy,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        meta_shacl=False,
        allow_warnings=True,
        inplace=True,
        focus_nodes=None if focus_nodes is None else [str(node) for node in focus_nodes],
    )
    if not isinstance(report_graph, Graph):  # pragma: no cover - pySHACL returns a Graph here
        raise TypeError("pySHACL returned no report graph")
    for prefix, namespace in _REPORT_PREFIXES.items():
        report_graph.bind(prefix, namespace, override=True)
    violations = sorted(
        {_violation(report_graph, copy, result) for result in _results(report_graph)},
        key=lambda v: (v.focus_node, v.path, v.shape, v.value, v.message),
    )
    return ValidationReport(bool(conforms), violations, report_graph)


def check(
    data: Graph, shapes: Graph, focus_nodes: Iterable[Node] | None = None
) -> ValidationReport:
    """Validate ``data`` (only ``focus_nodes``, if given) and return the report if it conforms.

    :raises ValidationError: carrying the report as Turtle and the violations as dictionaries.
    """
    report = validate(data, shapes, focus_nodes)
    if not report.conforms:
        raise ValidationError(
            f"The data does not conform to the SHACL shapes.\n{report.summary()}",
            report.to_turtle(),
            [v.as_dict() for v in report.violations],
        )
    return report


def _results(report: Graph) -> Iterator[Node]:
    """The innermost validation results of a report."""
    pending = list(report.objects(None, SH.result))
    while pending:
        result = pending.pop()
        details = list(report.objects(result, SH.detail))
        if details:
            pending.extend(details)
        else:
            yield result


def _violation(report: Graph, data: Graph, result: Node) -> Violation:
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    return Violation(
        focus_node=_node(data, report.value(result, SH.focusNode)),
        path="" if path is None else _path(report, path),
        message=_IRI_IN_TEXT.sub(_compact_match, " ".join(messages)),
        shape=_node(data, report.value(result, SH.sourceShape)),
        severity=_node(data, report.value(result, SH.resultSeverity)),
        value="" if value is None else _node(data, value),
    )


def _curie(iri: str) -> str:
    return _CONVERTER.compress(iri) or f"<{iri}>"


def _compact_match(match: re.Match[str]) -> str:
    """Write an IRI found in a message as a CURIE, keeping trailing punctuation."""
    text = match.group(0)
    iri = text.rstrip(".,;:)")
    return (_CONVERTER.compress(iri) or iri) + text[len(iri) :]


def _node(data: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return _curie(str(node))
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, BNode) and (node, RDF.type, OWL.Axiom) in data:
        parts = (data.value(node, p) for p in _ANNOTATED)
        return "[" + " ".join(_node(data, part) if part else "?" for part in parts) + "]"
    return f"_:{node}"


def _path(graph: Graph, path: Node) -> str:
    """A SHACL property path in SPARQL syntax, with CURIEs."""
    if isinstance(path, URIRef):
        return _curie(str(path))
    if (path, RDF.first, None) in graph:
        return "/".join(_path(graph, step) for step in Collection(graph, path))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(graph, alt) for alt in Collection(graph, alternatives)) + ")"
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path(graph, inverse)
    for predicate, suffix in _PATH_SUFFIXES:
        inner = graph.value(path, predicate)
        if inner is not None:
            return f"({_path(graph, inner)}){suffix}"
    return f"_:{path}"
