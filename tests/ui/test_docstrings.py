"""The examples in the docstrings of the explorer and of the words people type run."""

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
        "ndkg.explorer.figures",
        "ndkg.explorer.rules",
        "ndkg.explorer.statistics",
        "ndkg.described",
        "ndkg.ask",
        "ndkg.service.templating",
    ],
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
