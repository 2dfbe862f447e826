"""Small helpers for reading terms and their properties from a store.

IRIs enter queries through ``VALUES`` clauses of :class:`pyoxigraph.NamedNode` terms, which
validate them, never as raw text.

>>> values("term", ["https://w3id.org/ndkg/NDKG_0000224"])
'VALUES ?term { <https://w3id.org/ndkg/NDKG_0000224> }'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from ndkg.storage.store import Store

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Properties = dict[str, dict[str, list[Term]]]
"""Subject IRI -> predicate IRI -> objects."""


def values(variable: str, iris: Iterable[str]) -> str:
    """A ``VALUES`` clause binding ``?variable`` to each IRI.

    :raises ValueError: if one of ``iris`` is not a valid IRI.
    """
    return f"VALUES ?{variable} {{ {' '.join(str(ox.NamedNode(i)) for i in iris)} }}"


def solutions(store: Store, sparql: str) -> list[dict[str, Term]]:
    """The rows of a SELECT query as RDF terms (unbound variables left out)."""
    result = store.query(sparql, use_prefixes=True)
    assert isinstance(result, ox.QuerySolutions), "a SELECT query"
    names = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row = {}
        for name in names:
            term = solution[name]
            if term is not None and not isinstance(term, ox.Triple):
                row[name] = term
        rows.append(row)
    return rows


def properties(store: Store, iris: Iterable[str]) -> Properties:
    """Every property of each of ``iris``, in any graph, without duplicates."""
    iris = sorted(set(iris))
    found: Properties = defaultdict(lambda: defaultdict(list))
    if not iris:
        return found
    query = f"SELECT DISTINCT ?s ?p ?o WHERE {{ {values('s', iris)} ?s ?p ?o }}"
    for row in solutions(store, query):
        found[row["s"].value][row["p"].value].append(row["o"])
    return found


def first(props: dict[str, list[Term]], predicate: str) -> str | None:
    """The text of the first value of ``predicate``, if any."""
    objects = props.get(predicate)
    return objects[0].value if objects else None


def iris_of(props: dict[str, list[Term]], predicate: str) -> list[str]:
    """The IRIs among the values of ``predicate``."""
    return [o.value for o in props.get(predicate, []) if isinstance(o, ox.NamedNode)]
