"""The SSSOM release: complete metadata, valid for sssom-py."""

from __future__ import annotations

import pytest

from ndkg.build import BuildResult
from ndkg.model.mappings import read_sssom

from ..conftest import PROJECT

OBJECT_SOURCES = {
    "HP": "obo:hp.owl", "MONDO": "obo:mondo.owl", "DOID": "obo:doid.owl",
    "CHEBI": "obo:chebi.owl", "PR": "obo:pr.owl", "GO": "obo:go.owl", "NCIT": "obo:ncit.owl",
}


def test_sssom_release_has_complete_metadata_and_validates(built: BuildResult) -> None:
    parsers = pytest.importorskip("sssom.parsers")
    validators = pytest.importorskip("sssom.validators")
    constants = pytest.importorskip("sssom.constants")
    table = parsers.parse_sssom_table(built.path / "release" / "ndkg.sssom.tsv")
    metadata = table.metadata
    assert metadata["mapping_set_version"] == "2026-01-01"  # the release's version
    assert metadata["sssom_version"] == "1.1"
    assert metadata["creator_id"] == ["infores:ndkg"]
    assert metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    frame = table.df
    assert set(frame["subject_source"]) == {"ndkg:ndkg.owl"}
    for _, row in frame.iterrows():
        assert row["object_source"] == OBJECT_SOURCES[row["object_id"].split(":")[0]], row
    checks = [constants.SchemaValidationType.JsonSchema,
              constants.SchemaValidationType.PrefixMapCompleteness,
              constants.SchemaValidationType.StrictCurieFormat]
    reports = validators.validate(table, checks, fail_on_error=False)
    assert {str(kind): report.results for kind, report in reports.items()} == {
        str(kind): [] for kind in checks}
    writers = pytest.importorskip("sssom.writers")
    graph = writers.to_rdf_graph(table)
    assert len(graph) > 100


def test_source_table_keeps_its_own_version(built: BuildResult) -> None:
    source = read_sssom(PROJECT / "ontology" / "mappings" / "ndkg.sssom.tsv")
    released = read_sssom(built.path / "release" / "ndkg.sssom.tsv")
    assert released.rows == source.rows
    assert {k: v for k, v in released.metadata.items() if k != "mapping_set_version"} == {
        k: v for k, v in source.metadata.items() if k != "mapping_set_version"}
