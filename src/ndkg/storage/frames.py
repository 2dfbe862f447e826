"""SELECT results as Python values, and as pandas or polars data frames.

Every store (:class:`ndkg.storage.store.EmbeddedStore`, :class:`ndkg.storage.remote.RemoteStore`)
answers ``select()``, ``dataframe()`` and ``polars()`` through these functions, so a notebook gets
the same values whichever store it opened:

- numeric literals (``xsd:integer``, ``xsd:decimal``, ``xsd:double`` and their kin) as ``int``
  or ``float``, ``xsd:boolean`` as ``bool``;
- IRIs, blank nodes and every other literal as their text (a date as ``"2026-11-25"``);
- unbound variables left out of a row, or ``None`` (``NaN``, ``null``) in a frame's cell.

>>> python_value(ox.Literal("80", datatype=ox.NamedNode(XSD + "decimal")))
80.0
>>> python_value(ox.Literal("209", datatype=ox.NamedNode(XSD + "integer")))
209
>>> python_value(ox.NamedNode("https://w3id.org/ndkg/NDKG_0000224"))
'https://w3id.org/ndkg/NDKG_0000224'

pandas and polars are optional: ndkg does not install them, and says which one to install
when a frame is asked for without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ndkg.errors import QueryError

if TYPE_CHECKING:
    import pandas
    import polars

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte",
)
_CONVERTERS: dict[str, Callable[[str], object]] = {
    **{XSD + name: int for name in _INTEGERS},
    **{XSD + name: float for name in ("decimal", "double", "float")},
    XSD + "boolean": lambda text: text.strip() in {"true", "1"},
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None
Row = dict[str, Any]


def python_value(term: Term) -> Any:
    """A term as a Python value: numbers and booleans typed, everything else its text.

    A literal whose text does not fit its datatype (``"n/a"^^xsd:integer``) stays text.
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        convert = _CONVERTERS.get(term.datatype.value)
        if convert is not None:
            try:
                return convert(term.value)
            except ValueError:
                return term.value
        return term.value
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def solutions(result: object, method: str) -> ox.QuerySolutions:
    """``result`` as the solutions of a SELECT query.

    :raises QueryError: naming ``method``, if the query was not a SELECT query.
    """
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"{method}() needs a SELECT query")
    return result


def rows(result: ox.QuerySolutions) -> list[Row]:
    """The rows of a SELECT result as dictionaries of Python values, unbound left out."""
    names = [variable.value for variable in result.variables]
    return [
        {name: python_value(term) for name in names if (term := solution[name]) is not None}
        for solution in result
    ]


def _columns(result: ox.QuerySolutions) -> tuple[list[str], Iterator[list[Any]]]:
    names = [variable.value for variable in result.variables]
    return names, ([python_value(solution[name]) for name in names] for solution in result)


def to_pandas(result: ox.QuerySolutions) -> pandas.DataFrame:
    """A pandas DataFrame of a SELECT result: one column per projected variable, in order.

    :raises ImportError: if pandas is not installed.
    """
    try:
        import pandas
    except ImportError as exc:
        raise ImportError("dataframe() needs pandas, which ndkg does not install: "
                          "pip install pandas") from exc
    names, values = _columns(result)
    return pandas.DataFrame(list(values), columns=names)


def to_polars(result: ox.QuerySolutions) -> polars.DataFrame:
    """A polars DataFrame of a SELECT result: one column per projected variable, in order.

    :raises ImportError: if polars is not installed.
    """
    try:
        import polars
    except ImportError as exc:
        raise ImportError("polars() needs polars, which ndkg does not install: "
                          "pip install polars") from exc
    names, values = _columns(result)
    return polars.DataFrame(
        list(values), schema=names, orient="row", infer_schema_length=None, strict=False
    )
