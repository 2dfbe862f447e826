"""Fixtures of the shape tests: the real data and shapes, read once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from ndkg.model.mappings import sssom_to_graph
from ndkg.model.sources import parse_all
from ndkg.model.validate import load_shapes

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def data() -> Graph:
    """The curated ontology (every ``ontology/**/*.ttl``) plus the triples of its mappings."""
    graph = parse_all(tuple(sorted((PROJECT / "ontology").rglob("*.ttl"))))
    for table in sorted((PROJECT / "ontology" / "mappings").glob("*.sssom.tsv")):
        graph += sssom_to_graph(table)
    return graph


@pytest.fixture(scope="session")
def shapes() -> Graph:
    """The SHACL shapes of ndkg."""
    return load_shapes(sorted((PROJECT / "shapes").glob("*.ttl")))
