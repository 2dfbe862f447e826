"""Broken sources are reported with file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from ndkg.errors import SourceError
from ndkg.model.mappings import sssom_to_graph
from ndkg.model.sources import Sources, parse_all


def test_turtle_syntax_error_names_file_line_and_column(project_copy: Path) -> None:
    terms = project_copy / "ontology" / "terms.ttl"
    lines = terms.read_text().splitlines()
    target = next(i for i, line in enumerate(lines) if "NDKG:0000224 a owl:Class" in line)
    lines[target] = lines[target].replace("a owl:Class ;", "a owl:Class ;;; ,")
    terms.write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceError) as caught:
        parse_all(Sources.discover(project_copy).ontology)
    error = caught.value
    assert error.path == terms
    assert error.line == target + 1
    assert error.column is not None and error.column > 1
    assert str(error).startswith(f"{terms}:{target + 1}:{error.column}: ")


def test_unknown_prefix_in_mappings_names_the_row(project_copy: Path) -> None:
    table = project_copy / "ontology" / "mappings" / "ndkg.sssom.tsv"
    text = table.read_text().replace("HP:0100829", "XYZ:0100829")
    table.write_text(text)
    line = next(i for i, ln in enumerate(text.splitlines(), start=1) if "XYZ:0100829" in ln)
    with pytest.raises(SourceError, match="XYZ:0100829") as caught:
        sssom_to_graph(table)
    assert caught.value.line == line
