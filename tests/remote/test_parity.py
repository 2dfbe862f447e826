"""The real build, published to Virtuoso with ``ndkg publish``, answers every named question as
the embedded store does; ``ndkg serve --backend`` serves it.

Answers are compared as sets of rows of values: IRIs and strings as they are, numbers by value
(Virtuoso keeps numbers as numbers, not as the text they were written in), blank nodes as any
blank node.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from ndkg.build import BuildResult
from ndkg.cli import app
from ndkg.questions import Questions
from ndkg.storage.remote import RemoteStore
from ndkg.storage.store import EmbeddedStore
from tests.remote.conftest import Virtuoso
from tests.serving import home_of, ndkg_serve

QUERIES = Path(__file__).resolve().parents[2] / "queries"
GIVEN: dict[str, list[dict[str, str]]] = {
    "causes-by-features": [{"laterality": "unilateral", "character": "bloody"}],
    "evidence": [{"term": "NDKG:0001001"}, {"term": "NDKG:0000214"}],
    "mappings-of-term": [{"term": "NDKG:0000224"}],
    "term-by-external-id": [{"external": "MONDO:0002060"}],
    "statistics": [{"about": "NDKG:0000300"}],
}
"""Parameters the questions are asked with besides their defaults (required ones included)."""
NUMERIC = {
    f"http://www.w3.org/2001/XMLSchema#{name}"
    for name in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")
}
VIRTRDF = "http://www.openlinksw.com/schemas/virtrdf#"
BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
Value = str | Decimal | tuple[str, str | None]
Row = frozenset[tuple[str, Value]]


def cases() -> list[tuple[str, dict[str, str]]]:
    """Each named question with its defaults (when it needs no more) and with ``GIVEN``."""
    names = sorted(path.stem for path in QUERIES.glob("*.rq"))
    asked = [(name, {}) for name in names if name not in ("evidence", "mappings-of-term",
                                                          "term-by-external-id")]
    return asked + [(name, given) for name in names for given in GIVEN.get(name, [])]


def value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Value:
    """What is compared of a term."""
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Literal):
        if term.datatype.value == BOOLEAN:  # "1" and "true" are the same value (Virtuoso: "1")
            return str(term.value in ("1", "true")).lower()
        if term.datatype.value in NUMERIC:
            try:
                return Decimal(term.value)
            except InvalidOperation:
                return term.value
        return (term.value, term.language)
    return term.value


def answers(solutions: Iterable[ox.QuerySolution], variables: list[str]) -> set[Row]:
    """The rows of an answer as a set."""
    return {
        frozenset((name, value(term)) for name in variables if (term := row[name]) is not None)
        for row in solutions
    }


@pytest.fixture(scope="module")
def embedded_questions(store: EmbeddedStore, built: BuildResult) -> Questions:
    """The named questions, answered from the embedded store."""
    return Questions(store, built.path / "queries")


@pytest.fixture(scope="module")
def remote_questions(remote_store: RemoteStore, built: BuildResult) -> Questions:
    """The named questions, answered from Virtuoso."""
    return Questions(remote_store, built.path / "queries")


def test_every_question_is_asked() -> None:
    asked = {name for name, _ in cases()}
    assert asked == {path.stem for path in QUERIES.glob("*.rq")}


@pytest.mark.parametrize(("name", "params"), cases(), ids=lambda case: str(case))
def test_same_answers(
    embedded_questions: Questions, remote_questions: Questions, name: str, params: dict[str, str]
) -> None:
    embedded = embedded_questions.run(name, params)
    variables = [variable.value for variable in embedded.variables]
    expected = answers(embedded, variables)
    remote = remote_questions.run(name, params)
    assert [variable.value for variable in remote.variables] == variables
    assert answers(remote, variables) == expected
    assert expected, f"{name} {params} has no answer to compare"


def publish(virtuoso: Virtuoso, built: BuildResult, *options: str) -> str:
    """Run ``ndkg publish`` into ``virtuoso`` as its administrator; its output."""
    result = CliRunner().invoke(app, [
        "publish", "--endpoint", virtuoso.update, "--user", virtuoso.user,
        "--password", virtuoso.password, "--out", str(home_of(built)), *options,
    ])
    assert result.exit_code == 0, result.output
    return result.output


def test_publish_resumes_without_sending_again(published: Virtuoso, built: BuildResult) -> None:
    output = publish(published, built, "--resume")
    assert "0 triples in 0 batches" in output
    assert "serves version 2026-01-01" in output


def test_publish_through_the_graph_store_protocol(
    published: Virtuoso, built: BuildResult, remote_store: RemoteStore
) -> None:
    publish(published, built, "--graph-store", published.graph_store)
    rows = remote_store.select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )
    assert {row["g"].rsplit("/", 1)[-1]: int(row["n"]) for row in rows} == built.triples


def test_serve_answers_from_virtuoso(
    published: Virtuoso, built: BuildResult, embedded_questions: Questions
) -> None:
    expected = embedded_questions.answer("hormones", {})
    with ndkg_serve(home_of(built), "--backend", published.sparql) as (url, _), \
            httpx.Client(base_url=url, timeout=60) as client:
        answer = client.get("/questions/hormones", headers={"Accept": "text/csv"})
        assert answer.status_code == 200, answer.text
        assert answer.headers["X-NDKG-Version"] == "2026-01-01"
        assert len(answer.text.strip().splitlines()) == len(expected.rows) + 1
        sparql = client.get("/sparql", params={
            "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        }, headers={"Accept": "application/sparql-results+json"})
        assert sparql.status_code == 200, sparql.text
        counts = {
            row["g"]["value"]: int(row["n"]["value"])
            for row in sparql.json()["results"]["bindings"]
        }
        assert counts == {
            f"https://w3id.org/ndkg/graph/{name}": n for name, n in built.triples.items()
        }
        # Only Virtuoso has its own graph of quad maps: the answer comes from there.
        virtrdf = client.get("/sparql", params={
            "query": f"ASK FROM <{VIRTRDF}> WHERE {{ ?s ?p ?o }}"
        }, headers={"Accept": "application/sparql-results+json"})
        assert virtrdf.status_code == 200, virtrdf.text
        assert virtrdf.json()["boolean"] is True


def test_answers_from_virtuoso_are_not_kept(published: Virtuoso, built: BuildResult) -> None:
    """Virtuoso's data can change behind the service, so each request asks it again."""
    labels = "SELECT (COUNT(*) AS ?n) WHERE { ?term rdfs:label ?label }"

    def change(operation: str, hormone: str) -> None:
        update = (f"{operation} DATA {{ GRAPH <https://w3id.org/ndkg/graph/asserted> "
                  f'{{ <{hormone}> rdfs:label "another name" }} }}')
        response = httpx.post(published.update, data={"update": update}, timeout=60,
                              auth=httpx.DigestAuth(published.user, published.password))
        assert response.status_code == 200, response.text

    with ndkg_serve(home_of(built), "--backend", published.sparql) as (url, _), \
            httpx.Client(base_url=url, timeout=60, headers={"Accept": "text/csv"}) as client:
        before = client.get("/questions/hormones").text.splitlines()
        count_before = client.get("/sparql", params={"query": labels}).text.split()
        hormone = before[1].split(",")[0]
        change("INSERT", hormone)
        try:
            after = client.get("/questions/hormones").text.splitlines()
            count_after = client.get("/sparql", params={"query": labels}).text.split()
        finally:
            change("DELETE", hormone)
    assert any(f"{hormone},another name," in row for row in after)
    assert len(after) > len(before)
    assert int(count_after[1]) == int(count_before[1]) + 1
