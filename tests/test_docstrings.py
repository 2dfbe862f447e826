"""The examples in the docstrings of every module of ndkg run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ndkg

MODULES = sorted(
    name for _, name, _ in pkgutil.walk_packages(ndkg.__path__, "ndkg.")
    if name != "ndkg.__main__"  # importing it runs the command line
)


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples fail"


def test_the_examples_cover_the_package() -> None:
    attempted = sum(doctest.testmod(importlib.import_module(m), report=False).attempted
                    for m in MODULES)
    assert attempted >= 150
