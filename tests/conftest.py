"""Shared fixtures: the project's real sources, built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ndkg.build import BuildResult, build
from ndkg.questions import Questions
from ndkg.storage.store import EmbeddedStore, open_store

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
REFERENCE_TERMS = SHARED / "reference" / "ontology-terms.tsv"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real graph, built (validated, reasoned, loaded) into a temporary folder."""
    out = tmp_path_factory.mktemp("build")
    return build(PROJECT, out, version="2026-01-01")


@pytest.fixture(scope="session")
def store(built: BuildResult) -> EmbeddedStore:
    """The built store, opened read-only."""
    return open_store(built.path.parent.parent)


@pytest.fixture(scope="session")
def questions(store: EmbeddedStore, built: BuildResult) -> Questions:
    """The named questions of the build."""
    return Questions(store, built.path / "queries")


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's curated sources that a test may break."""
    copy = tmp_path / "project"
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(PROJECT / folder, copy / folder)
    return copy
