"""The examples in the explorer's docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "ndkg.explorer.names",
        "ndkg.explorer.rdf",
        "ndkg.explorer.search",
        "ndkg.explorer.categories",
        "ndkg.explorer.downloads",
    ],
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
