"""What every store does, held against the embedded store and the graph published to Virtuoso.

The two must answer alike: the service, the named questions and the Python API run on either.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ndkg.errors import QueryError
from ndkg.storage.store import Store
from ndkg.vocab import Graphs

PAPILLOMA = "https://w3id.org/ndkg/NDKG_0000224"
XSD = "http://www.w3.org/2001/XMLSchema#"
GRAPH_NAMES = sorted(str(graph) for graph in Graphs.ALL)


@pytest.fixture(params=["embedded", "virtuoso"])
def graph(request: pytest.FixtureRequest) -> Store:
    """The built graph, in the embedded store or in Virtuoso."""
    name = "store" if request.param == "embedded" else "remote_store"
    store: Store = request.getfixturevalue(name)
    return store


STATISTICS = """
SELECT ?statistic ?low ?high ?numerator WHERE {
  ?statistic a NDKG:0000108 ; NDKG:0000002 ?quote .  # the figures the article states
  OPTIONAL { ?statistic NDKG:0000017 ?low ; NDKG:0000018 ?high }
  OPTIONAL { ?statistic NDKG:0000020 ?numerator }
} ORDER BY ?statistic
"""


def test_select_types_numbers(graph: Store) -> None:
    rows = {row["statistic"].rsplit("_", 1)[-1]: row for row in
            graph.select(STATISTICS, use_prefixes=True)}
    assert rows["0002001"] == {
        "statistic": "https://w3id.org/ndkg/NDKG_0002001", "low": 50, "high": 80}
    assert isinstance(rows["0002001"]["low"], float | int)
    assert rows["0002003"]["numerator"] == 209 and isinstance(rows["0002003"]["numerator"], int)


def test_dataframe_and_polars_on_every_store(graph: Store) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("polars")
    frame = graph.dataframe(STATISTICS, use_prefixes=True)
    assert list(frame.columns) == ["statistic", "low", "high", "numerator"]
    assert frame.loc[0, "low"] == 50 and frame["low"].dtype.kind == "f"
    table = graph.polars(STATISTICS, use_prefixes=True)
    assert table.columns == ["statistic", "low", "high", "numerator"]
    assert table["numerator"].drop_nulls().to_list() == [209]
    assert table["high"].to_list()[0] == 80
    with pytest.raises(QueryError, match="polars\\(\\) needs a SELECT query"):
        graph.polars("ASK { ?s ?p ?o }")


def test_select_answers_rows_of_strings(graph: Store) -> None:
    rows = graph.select("SELECT ?label WHERE { NDKG:0000224 rdfs:label ?label }", use_prefixes=True)
    assert rows == [{"label": "intraductal papilloma"}]


def test_select_leaves_out_unbound_variables(graph: Store) -> None:
    rows = graph.select(
        "SELECT ?label ?nothing WHERE { NDKG:0000224 rdfs:label ?label "
        "OPTIONAL { NDKG:0000224 <urn:x:none> ?nothing } }",
        use_prefixes=True,
    )
    assert rows == [{"label": "intraductal papilloma"}]


def test_select_gives_typed_terms(graph: Store) -> None:
    result = graph.query(
        "SELECT ?label ?minimum WHERE { NDKG:0000224 rdfs:label ?label . "
        "NDKG:0002001 NDKG:0000017 ?minimum }",
        use_prefixes=True,
    )
    assert isinstance(result, ox.QuerySolutions)
    assert [v.value for v in result.variables] == ["label", "minimum"]
    (row,) = list(result)
    assert row["label"] == ox.Literal("intraductal papilloma")
    minimum = row["minimum"]
    assert isinstance(minimum, ox.Literal)
    # Stored as xsd:decimal; Virtuoso keeps numbers by value and may call a whole one integer.
    assert minimum.datatype.value.removeprefix(XSD) in ("decimal", "integer")
    assert float(minimum.value) == 50


def test_ask_answers_a_boolean(graph: Store) -> None:
    yes = graph.query("ASK { NDKG:0000224 rdfs:label 'intraductal papilloma' }", use_prefixes=True)
    no = graph.query("ASK { NDKG:0000224 rdfs:label 'no such label' }", use_prefixes=True)
    assert isinstance(yes, ox.QueryBoolean) and isinstance(no, ox.QueryBoolean)
    assert bool(yes) is True
    assert bool(no) is False


def test_construct_answers_triples(graph: Store) -> None:
    result = graph.query(
        "CONSTRUCT { ?term <urn:x:named> ?label } WHERE { ?term rdfs:label ?label "
        "FILTER(?term = NDKG:0000224) }",
        use_prefixes=True,
    )
    assert isinstance(result, ox.QueryTriples)
    assert set(result) == {
        ox.Triple(ox.NamedNode(PAPILLOMA), ox.NamedNode("urn:x:named"),
                  ox.Literal("intraductal papilloma"))
    }


def test_result_serialises_as_sparql_json(graph: Store) -> None:
    result = graph.query("ASK { ?s ?p ?o }")
    assert isinstance(result, ox.QueryBoolean)
    assert b'"boolean":true' in result.serialize(format=ox.QueryResultsFormat.JSON)


def test_substitutions_bind_iris_and_literals(graph: Store) -> None:
    rows = graph.select(
        "SELECT ?term ?label WHERE { ?term rdfs:label ?label ; NDKG:0000001 ?layLabel }",
        substitutions={"label": ox.Literal("intraductal papilloma")},
        use_prefixes=True,
    )
    assert rows == [{"term": PAPILLOMA, "label": "intraductal papilloma"}]
    rows = graph.select(
        "SELECT * WHERE { ?term rdfs:label ?label }",
        substitutions={"term": ox.NamedNode(PAPILLOMA)},
        use_prefixes=True,
    )
    assert rows == [{"term": PAPILLOMA, "label": "intraductal papilloma"}]


def test_substitutions_reach_nested_groups(graph: Store) -> None:
    """A bound variable means its value everywhere, even in a FILTER of a nested group."""
    rows = graph.select(
        "SELECT DISTINCT ?label ?term WHERE { { ?x rdfs:label ?label FILTER(sameTerm(?x, ?term)) }"
        " UNION { ?term <urn:x:never> ?label } }",
        substitutions={"term": ox.NamedNode(PAPILLOMA)},
        use_prefixes=True,
    )
    assert rows == [{"label": "intraductal papilloma", "term": PAPILLOMA}]


def test_substitutions_are_values_not_text(graph: Store) -> None:
    rows = graph.select(
        "SELECT ?term ?label WHERE { ?term rdfs:label ?label }",
        substitutions={"label": ox.Literal('x" } ?a ?b ?c . { "')},
        use_prefixes=True,
    )
    assert rows == []


def test_the_default_graph_is_the_union_of_the_graphs(graph: Store) -> None:
    union = graph.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    named = graph.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(union[0]["n"]) == int(named[0]["n"]) > 3000


def test_graphs_are_named_as_built(graph: Store) -> None:
    rows = graph.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    assert [row["g"] for row in rows] == GRAPH_NAMES


def test_default_graph_uris_choose_the_graphs(graph: Store) -> None:
    ask = "ASK { NDKG:0000224 rdfs:label ?label }"
    asserted = graph.query(ask, default_graph_uris=[str(Graphs.ASSERTED)], use_prefixes=True)
    mappings = graph.query(ask, default_graph_uris=[str(Graphs.MAPPINGS)], use_prefixes=True)
    assert bool(asserted) is True
    assert bool(mappings) is False


def test_an_empty_list_of_default_graphs_is_an_empty_default_graph(graph: Store) -> None:
    assert bool(graph.query("ASK { ?s ?p ?o }", default_graph_uris=[])) is False
    assert bool(graph.query("ASK { GRAPH ?g { ?s ?p ?o } }", default_graph_uris=[])) is True


def test_base_iri_resolves_relative_iris(graph: Store) -> None:
    rows = graph.select(
        "SELECT ?label WHERE { <NDKG_0000224> rdfs:label ?label }",
        base_iri="https://w3id.org/ndkg/", use_prefixes=True,
    )
    assert rows == [{"label": "intraductal papilloma"}]


def test_named_graph_uris_limit_graph_patterns(graph: Store) -> None:
    rows = graph.select(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        default_graph_uris=[str(Graphs.ASSERTED)],
        named_graph_uris=[str(Graphs.METADATA), str(Graphs.MAPPINGS)],
    )
    assert sorted(row["g"] for row in rows) == sorted([str(Graphs.MAPPINGS), str(Graphs.METADATA)])


def test_version_and_info(graph: Store) -> None:
    assert graph.version == "2026-01-01"
    assert graph.info["version"] == "2026-01-01"
    assert graph.info["triples"]["asserted"] > 2000


def test_path_is_the_builds_store(graph: Store, store: Store) -> None:
    assert graph.path == store.path


def test_malformed_queries_are_refused(graph: Store) -> None:
    with pytest.raises(QueryError, match="1:26"):  # pyoxigraph's message, line and column
        graph.query("SELECT ?s WHERE { ?s ?p }")


def test_updates_are_refused(graph: Store) -> None:
    with pytest.raises(QueryError):
        graph.query("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
    assert not bool(graph.query("ASK { <urn:x:a> ?p ?o }"))


def test_select_needs_a_select_query(graph: Store) -> None:
    with pytest.raises(QueryError, match="SELECT"):
        graph.select("ASK { ?s ?p ?o }")


# The engine (``store.store``) takes pyoxigraph's ``Store.query`` arguments: the /sparql
# endpoint gives it the protocol's dataset, a base IRI and ndkg's prefixes.


def test_engine_reads_an_empty_default_graph_when_only_named_graphs_are_given(
    graph: Store,
) -> None:
    engine = graph.store
    only_named = {"default_graph": [], "named_graphs": [ox.NamedNode(str(Graphs.ASSERTED))]}
    assert bool(engine.query("ASK { ?s ?p ?o }", **only_named)) is False
    assert bool(engine.query("ASK { GRAPH ?g { ?s ?p ?o } }", **only_named)) is True


def test_engine_honours_from_without_a_dataset(graph: Store) -> None:
    result = graph.store.query(
        f"SELECT (COUNT(*) AS ?n) FROM <{Graphs.METADATA}> WHERE {{ ?s ?p ?o }}"
    )
    assert isinstance(result, ox.QuerySolutions)
    (row,) = list(result)
    (expected,) = graph.select(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph_uris=[str(Graphs.METADATA)]
    )
    assert int(row["n"].value) == int(expected["n"]) > 0


def test_engine_resolves_relative_iris_and_prefixes(graph: Store) -> None:
    result = graph.store.query(
        "SELECT ?label WHERE { <NDKG_0000224> schema:label ?label }",
        base_iri="https://w3id.org/ndkg/",
        prefixes={"schema": "http://www.w3.org/2000/01/rdf-schema#"},
        use_default_graph_as_union=True,
    )
    assert isinstance(result, ox.QuerySolutions)
    assert [row["label"] for row in result] == [ox.Literal("intraductal papilloma")]
