"""Values written into a query's text mean what pyoxigraph's ``substitutions`` mean.

Each query runs twice on the same small graph: with pyoxigraph binding the values, and as
:func:`ndkg.querying.query_text.substitute` rewrites it; the answers must be the same.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ndkg.errors import QueryError
from ndkg.querying.query_text import has_dataset_clause, mentions_service, query_form, substitute

DATA = """
<urn:a> a <urn:Claim> ; <urn:about> <urn:b> ; <urn:label> "a"@en ; <urn:rank> 1 .
<urn:b> a <urn:Cause> ; <urn:label> "b" ; <urn:rank> 2 .
<urn:c> a <urn:Claim> ; <urn:about> <urn:a> ; <urn:label> "c" .
<urn:b> <urn:sub> <urn:d> .
"""
A, B = ox.NamedNode("urn:a"), ox.NamedNode("urn:b")
CASES = [
    ("SELECT ?s ?t WHERE { { ?s a <urn:Claim> FILTER(?s = ?t) } UNION { ?s <urn:about> ?t } }",
     {"t": A}),
    ("SELECT * WHERE { ?t <urn:label> ?label }", {"t": B}),
    ("SELECT ?label ?t WHERE { ?x <urn:label> ?label OPTIONAL { ?x <urn:about> ?t } }", {"t": B}),
    ("SELECT ?x ?t WHERE { ?x <urn:about> ?y FILTER EXISTS { ?y <urn:label> ?t } }",
     {"t": ox.Literal("b")}),
    ("SELECT ?x ?t WHERE { { SELECT ?x ?t WHERE { ?x <urn:about> ?t } ORDER BY ?t } }",
     {"t": B}),
    ("SELECT ?t (COUNT(?x) AS ?n) WHERE { ?x <urn:about> ?t } GROUP BY ?t", {"t": A}),
    ("SELECT ?x ?t WHERE { ?x <urn:label> ?l BIND(STR(?t) AS ?text) }", {"t": A}),
    ("SELECT ?x ?t WHERE { ?x <urn:sub>* ?t }", {"t": ox.NamedNode("urn:d")}),
    ("ASK { ?t <urn:about> ?x }", {"t": A}),
    ("CONSTRUCT { ?t <urn:named> ?label } WHERE { ?t <urn:label> ?label }", {"t": A}),
    ("CONSTRUCT WHERE { ?t <urn:label> ?label }", {"t": B}),
    ("PREFIX ex: <urn:> SELECT ?t ?r WHERE { ?t ex:rank ?r } # ?t in a comment",
     {"t": A}),
    ("SELECT ?x ?t WHERE { ?x <urn:label> ?t }", {"t": ox.Literal("a", language="en")}),
    ("SELECT ?x ?t WHERE { ?x <urn:label> ?t }", {"t": ox.Literal('x" } ?x ?y ?z { "')}),
]


@pytest.fixture(scope="module")
def graph() -> ox.Store:
    """A small graph in memory."""
    store = ox.Store()
    store.load(DATA, format=ox.RdfFormat.TURTLE)
    return store


def answer(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> object:
    """A result, comparable."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return sorted(map(str, result))
    names = [v.value for v in result.variables]
    return sorted(str(sorted((n, str(s[n])) for n in names if s[n] is not None)) for s in result)


@pytest.mark.parametrize(("query", "values"), CASES, ids=[q[:40] for q, _ in CASES])
def test_substitute_means_what_pyoxigraph_substitutions_mean(
    graph: ox.Store, query: str, values: dict[str, ox.NamedNode | ox.Literal]
) -> None:
    expected = graph.query(query, substitutions={ox.Variable(k): v for k, v in values.items()})
    assert answer(graph.query(substitute(query, values))) == answer(expected)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("SELECT ?t WHERE { BIND(1 AS ?t) }", "assigns it"),
        ("SELECT ?t WHERE { VALUES ?t { <urn:a> } }", "lists it in VALUES"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "not a SPARQL query"),
    ],
)
def test_queries_that_cannot_be_bound_are_refused(query: str, reason: str) -> None:
    with pytest.raises(QueryError, match=reason):
        substitute(query, {"t": A})


def test_blank_nodes_cannot_be_bound() -> None:
    with pytest.raises(QueryError, match="IRI or a literal"):
        substitute("SELECT ?t WHERE { ?t ?p ?o }", {"t": ox.BlankNode()})  # type: ignore[dict-item]


def test_the_text_is_read_outside_strings_iris_and_comments() -> None:
    assert query_form("# SELECT\nPREFIX ask: <urn:x:> CONSTRUCT WHERE { ?s ask:p 'ASK' }") == (
        "CONSTRUCT")
    assert not mentions_service("SELECT * { ?s <urn:service> 'SERVICE' } # SERVICE")
    assert mentions_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert has_dataset_clause("SELECT * FROM NAMED <urn:g> { GRAPH ?g { ?s ?p ?o } }")
    assert not has_dataset_clause("SELECT * { ?s <urn:from> 'FROM' }")
