"""The Python API: one public namespace, used as in a notebook."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import ndkg
from ndkg import errors

from .conftest import PROJECT

STATISTICS = """
SELECT ?statistic ?about ?value ?low ?high WHERE {
  ?statistic a NDKG:0000108 ; NDKG:0000015 ?about .
  OPTIONAL { ?statistic NDKG:0000016 ?value }
  OPTIONAL { ?statistic NDKG:0000017 ?low ; NDKG:0000018 ?high }
}
ORDER BY ?statistic
"""


def test_all_lists_exactly_the_public_names() -> None:
    public = {
        name for name, value in vars(ndkg).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert ndkg.__all__ == sorted(public | {"__version__"})


def test_every_error_type_is_public() -> None:
    error_types = {
        name for name, value in vars(errors).items()
        if inspect.isclass(value) and issubclass(value, errors.NdkgError)
    }
    assert error_types <= set(ndkg.__all__)
    assert all(issubclass(getattr(ndkg, name), ndkg.NdkgError) for name in error_types)


def test_notebook_session(tmp_path: Path) -> None:
    result = ndkg.build(PROJECT, tmp_path / "build", version="2026-05-05")
    assert not result.skipped and result.triples["asserted"] > 0

    graph = ndkg.open_store(tmp_path / "build")
    assert graph.version == "2026-05-05"
    rows = graph.select(
        "SELECT ?label WHERE { NDKG:0000224 rdfs:label ?label }", use_prefixes=True)
    assert rows == [{"label": "intraductal papilloma"}]

    questions = ndkg.Questions(graph, result.path / "queries")
    answer = questions.answer(
        "causes-by-features", {"laterality": "unilateral", "character": "bloody"})
    assert "intraductal papilloma" in {row["causeLabel"] for row in answer.rows}

    with pytest.raises(ndkg.ParameterError):
        questions.answer("causes-by-features", {"laterality": "sideways"})
    with pytest.raises(ndkg.QueryError):
        graph.select("ASK { ?s ?p ?o }")


def test_dataframe(store: ndkg.EmbeddedStore) -> None:
    pandas = pytest.importorskip("pandas")
    frame = store.dataframe(STATISTICS, use_prefixes=True)
    assert list(frame.columns) == ["statistic", "about", "value", "low", "high"]
    dmer = frame[frame["about"] == "https://w3id.org/ndkg/NDKG_0000227"].iloc[0]
    assert dmer["value"] == pytest.approx(14.2)
    malignancy = frame[frame["about"] == "https://w3id.org/ndkg/NDKG_0000302"].iloc[0]
    assert (malignancy["low"], malignancy["high"]) == (3, 29)
    assert pandas.isna(malignancy["value"])


def test_dataframe_without_pandas_says_what_is_missing(built: ndkg.BuildResult) -> None:
    home = built.path.parent.parent
    script = (
        "import sys; sys.modules['pandas'] = None\n"  # pandas cannot be imported
        "import ndkg\n"
        f"ndkg.open_store({str(home)!r}).dataframe('SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 1
    assert "ImportError: dataframe() needs pandas, which ndkg does not install" in done.stderr
