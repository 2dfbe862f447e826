"""Read SSSOM mapping tables and turn them into triples.

Each row becomes a direct triple (``NDKG:x skos:exactMatch HP:y``) and an ``owl:Axiom`` that
carries the row's metadata (justification, labels, comment), as sssom-py's RDF output does.

The table's metadata block follows SSSOM 1.1: ``mapping_set_id``, ``mapping_set_version``
(the release's version in the release copy, :func:`with_version`), ``sssom_version``,
``license``, ``creator_id``, ``subject_source`` (ndkg itself) and, per row, ``object_source``
(the OBO PURL of the ontology the object comes from).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import curies
import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ndkg.errors import SourceError
from ndkg.vocab import SSSOM

REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification")


@dataclass(frozen=True)
class MappingTable:
    """A parsed SSSOM table: its metadata block and its rows."""

    path: Path
    metadata: dict[str, object]
    rows: list[dict[str, str]]
    converter: curies.Converter

    def expand(self, curie: str, line: int) -> URIRef:
        """Expand a CURIE with the table's curie map.

        :raises SourceError: if its prefix is not in the curie map.
        """
        iri = self.converter.expand(curie)
        if iri is None:
            raise SourceError(self.path, line, None, f"prefix of {curie!r} is not in the curie_map")
        return URIRef(iri)


def read_sssom(path: Path) -> MappingTable:
    """Read an SSSOM/TSV file (YAML metadata in ``#`` lines, then the table).

    :raises SourceError: on a malformed header, a missing column or an unknown prefix.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    header = [line[1:] for line in lines if line.startswith("#")]
    body_start = len(header)
    try:
        metadata = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise SourceError(path, line, None, f"bad metadata block: {exc}") from exc
    curie_map = metadata.get("curie_map") or {}
    if not isinstance(curie_map, dict) or not curie_map:
        raise SourceError(path, 1, None, "the metadata block needs a curie_map")
    reader = csv.DictReader(io.StringIO("\n".join(lines[body_start:])), delimiter="\t")
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise SourceError(path, body_start + 1, None, f"missing columns: {', '.join(missing)}")
    rows = [dict(row) for row in reader]
    converter = curies.Converter.from_prefix_map({str(k): str(v) for k, v in curie_map.items()})
    return MappingTable(path, metadata, rows, converter)


def with_version(text: str, version: str) -> str:
    """An SSSOM/TSV table with its ``mapping_set_version`` set to ``version`` (the release's).

    >>> table = "# mapping_set_id: x\\n# mapping_set_version: dev\\nsubject_id\\n"
    >>> with_version(table, "2026-01-01").splitlines()
    ['# mapping_set_id: x', '# mapping_set_version: "2026-01-01"', 'subject_id']
    """
    line = f'# mapping_set_version: "{version}"'
    lines = text.splitlines(keepends=True)
    for index, current in enumerate(lines):
        if current.startswith("# mapping_set_version:"):
            lines[index] = line + "\n"
            return "".join(lines)
    header = sum(1 for current in lines if current.startswith("#"))
    lines.insert(header, line + "\n")
    return "".join(lines)


def sssom_to_graph(path: Path) -> Graph:
    """Turn an SSSOM table into triples: direct links plus one reified axiom per mapping.

    :raises SourceError: if the table cannot be read.
    """
    table = read_sssom(path)
    graph = Graph()
    first_row_line = len([ln for ln in path.read_text().splitlines() if ln.startswith("#")]) + 2
    for offset, row in enumerate(table.rows):
        line = first_row_line + offset
        subject = table.expand(row["subject_id"], line)
        predicate = table.expand(row["predicate_id"], line)
        obj = table.expand(row["object_id"], line)
        graph.add((subject, predicate, obj))
        axiom = BNode()
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, subject))
        graph.add((axiom, OWL.annotatedProperty, predicate))
        graph.add((axiom, OWL.annotatedTarget, obj))
        justification = table.expand(row["mapping_justification"], line)
        graph.add((axiom, SSSOM.mapping_justification, justification))
        for column in ("subject_label", "object_label", "comment"):
            if row.get(column):
                graph.add((axiom, SSSOM[column], Literal(row[column])))
        if row.get("object_label"):
            graph.add((obj, RDFS.label, Literal(row["object_label"])))
    license_iri = table.metadata.get("license")
    set_iri = table.metadata.get("mapping_set_id")
    if set_iri and license_iri:
        graph.add((URIRef(str(set_iri)), SSSOM.license, URIRef(str(license_iri))))
    return graph
