"""Review records and statuses without a server: ORCID iDs, the current status of a statement,
the shapes a record written by the service meets, and the overlays answers get."""

from __future__ import annotations

import doctest
import importlib
from datetime import UTC, datetime, timedelta

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from ndkg.answers.classify import Classifier
from ndkg.answers.lexicon import Lexicon
from ndkg.errors import ValidationError
from ndkg.model.sources import parse_all
from ndkg.model.validate import check, load_shapes
from ndkg.reviews.orcid import check_digit, orcid_iri
from ndkg.reviews.overlay import (
    approved_only,
    projected,
    restricted,
    reviewed_rows,
    with_current_statuses,
)
from ndkg.reviews.records import (
    REVIEWS_GRAPH,
    STATEMENTS_QUERY,
    Review,
    Reviews,
    Statement,
    Status,
    history_from,
    history_query,
    reviews_from,
)
from ndkg.storage.contributions import CONTRIBUTED
from ndkg.storage.store import EmbeddedStore
from ndkg.vocab import BASE, Graphs

from .conftest import PROJECT

CLAIM = BASE + "NDKG_0001034"
OTHER_CLAIM = BASE + "NDKG_0001031"
ORCID = "https://orcid.org/0000-0002-1825-0097"
AT = datetime(2026, 12, 4, 16, 7, 39, tzinfo=UTC)


@pytest.mark.parametrize(
    "module",
    ["ndkg.reviews.orcid", "ndkg.reviews.records", "ndkg.reviews.overlay", "ndkg.service.reviews"],
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0


# --- ORCID iDs ------------------------------------------------------------------------------


@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_only_the_right_check_digit_is_accepted(digits: str) -> None:
    right = check_digit(digits)
    written = f"{digits[:4]}-{digits[4:8]}-{digits[8:12]}-{digits[12:]}"
    assert orcid_iri(written + right) == f"https://orcid.org/{written}{right}"
    for wrong in sorted(set("0123456789X") - {right}):
        with pytest.raises(ValueError, match=f"its check digit is {wrong}, not {right}"):
            orcid_iri(written + wrong)


@pytest.mark.parametrize(
    "text", ["0000-0002-1825-0097", " https://orcid.org/0000-0002-1825-0097 ",
             "http://orcid.org/0000-0002-1825-0097"],
)
def test_an_orcid_id_is_named_by_its_https_iri(text: str) -> None:
    assert orcid_iri(text) == ORCID


@pytest.mark.parametrize(
    "text", ["", "0000000218250097", "0000-0002-1825-009", "https://orcid.org/",
             "https://example.org/0000-0002-1825-0097", "0000-0002-1825-00X7"],
)
def test_what_is_not_an_orcid_id(text: str) -> None:
    with pytest.raises(ValueError, match="is not an ORCID iD: write its 16 characters"):
        orcid_iri(text)


# --- The current status ------------------------------------------------------------------------


def statements_store(*records: Review, graph: str = REVIEWS_GRAPH) -> ox.Store:
    """A store with two curated claims (one approved) and ``records`` in ``graph``."""
    store = ox.Store()
    store.load(f"""
        @prefix NDKG: <https://w3id.org/ndkg/NDKG_> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{CLAIM}> a NDKG:0000107 ; NDKG:0000003 NDKG:0000600 ;
            NDKG:0000004 "2026-11-25"^^xsd:date .
        <{OTHER_CLAIM}> a NDKG:0000107 ; NDKG:0000003 NDKG:0000602 .
    """, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(Graphs.ASSERTED)))
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
                 for record in records for t in record.triples())
    return store


def rows(store: ox.Store, query: str) -> list[dict[str, ox.NamedNode | ox.Literal]]:
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n] for n in names if s[n] is not None} for s in result]  # type: ignore[misc]


def record(iri: str, status: Status, minutes: int, statement: str = CLAIM) -> Review:
    return Review(iri, statement, status, ORCID, AT + timedelta(minutes=minutes), "checked")


def test_the_latest_review_sets_the_current_status() -> None:
    store = statements_store(
        record("urn:uuid:b", Status.approved, 0),
        record("urn:uuid:c", Status.rejected, 5),
        record("urn:uuid:a", Status.under_review, 2),
    )
    reviews = reviews_from(rows(store, STATEMENTS_QUERY))
    reviewed = reviews.get(CLAIM)
    assert reviewed is not None and reviewed.latest is not None
    assert (reviewed.curated, reviewed.curated_date, reviewed.current) == (
        Status.submitted, "2026-11-25", Status.rejected)
    assert reviewed.latest.iri == "urn:uuid:c"
    assert reviews.current(OTHER_CLAIM) is Status.approved  # curated, never reviewed
    assert reviews.approved == frozenset({OTHER_CLAIM})
    history = history_from(rows(store, history_query(CLAIM)))
    assert [r.iri for r in history] == ["urn:uuid:b", "urn:uuid:a", "urn:uuid:c"]
    assert history[0] == record("urn:uuid:b", Status.approved, 0)


def test_reviews_of_the_same_instant_are_ordered_by_iri() -> None:
    store = statements_store(record("urn:uuid:2", Status.approved, 0),
                             record("urn:uuid:1", Status.rejected, 0))
    assert reviews_from(rows(store, STATEMENTS_QUERY)).current(CLAIM) is Status.approved


def test_records_outside_the_contributed_graphs_are_not_reviews() -> None:
    store = statements_store(record("urn:uuid:x", Status.approved, 0),
                             graph=str(Graphs.ASSERTED))
    assert reviews_from(rows(store, STATEMENTS_QUERY)).current(CLAIM) is Status.submitted
    assert history_from(rows(store, history_query(CLAIM))) == []
    assert REVIEWS_GRAPH.startswith(CONTRIBUTED + "/")


def test_a_record_written_by_the_service_meets_the_shapes() -> None:
    data = parse_all(tuple(sorted((PROJECT / "ontology").rglob("*.ttl"))))
    shapes = load_shapes(sorted((PROJECT / "shapes").glob("*.ttl")))
    written = Review.new(CLAIM, Status.rejected, orcid_iri("0000-0002-1694-233x"), "Too broad.")
    graph = Graph().parse(data=written.n_triples().decode(), format="nt")
    assert check(data + graph, shapes, [URIRef(written.iri)]).conforms
    silent = Review.new(CLAIM, Status.rejected, ORCID, None)
    graph = Graph().parse(data=silent.n_triples().decode(), format="nt")
    with pytest.raises(ValidationError) as refused:
        check(data + graph, shapes, [URIRef(silent.iri)])
    assert [v["shape"] for v in refused.value.violations] == ["ndkgsh:RejectionCommentShape"]


# --- What answers show ---------------------------------------------------------------------------


def reviews_of(**statuses: Status) -> Reviews:
    """Claims of the graph, curated as submitted, each with a review setting ``statuses``."""
    found = {}
    for number, status in statuses.items():
        iri = f"{BASE}NDKG_{number.removeprefix('n')}"
        found[iri] = Statement(iri, "claim", Status.submitted, "2026-11-25",
                               record("urn:uuid:r" + number, status, 0, iri))
    return Reviews(found, "a store")


def test_rows_show_the_current_and_the_curated_status() -> None:
    submitted = ox.NamedNode(Status.submitted.iri)
    row = {"claim": ox.NamedNode(CLAIM), "reviewStatus": submitted,
           "reviewDate": ox.Literal("2026-11-25", datatype=ox.NamedNode(
               "http://www.w3.org/2001/XMLSchema#date"))}
    (shown,) = reviewed_rows([row], reviews_of(n0001034=Status.approved), ["claim"])
    assert shown["reviewStatus"] == ox.NamedNode(Status.approved.iri)
    assert shown["curatedReviewStatus"] == submitted
    assert shown["reviewDate"].value == "2026-12-04"
    assert shown["curatedReviewDate"].value == "2026-11-25"
    unknown = {"claim": ox.NamedNode(BASE + "NDKG_0000224")}
    assert reviewed_rows([unknown], reviews_of(), ["claim"]) == [unknown]


def test_a_question_limited_to_approved_claims(store: EmbeddedStore) -> None:
    question = (PROJECT / "queries" / "causes-of-condition.rq").read_text()
    assert "claim" in projected(question)
    text = question.replace("?_condition_iri", "NDKG:0000214")
    everything = rows(store.store, text)
    claims = sorted({row["claim"].value for row in everything})
    assert len(claims) > 1
    kept = rows(store.store, restricted(text, "claim", claims[:1]))
    assert kept == [row for row in everything if row["claim"].value == claims[0]]
    assert rows(store.store, restricted(text, "claim", [])) == []


def test_a_classifier_of_approved_claims(store: EmbeddedStore) -> None:
    classifier = Classifier(store, Lexicon.from_store(store))
    galactorrhea = {"laterality": "bilateral", "ducts": "multiple ducts", "character": "milky",
                    "lactating": "not lactating"}
    everything = classifier.classify(galactorrhea)
    cause_claims = sorted({c.iri for cause in everything.causes for c in cause.claims})
    none = approved_only(classifier, Reviews({})).classify(galactorrhea)
    assert (none.verdict, none.classes) == (everything.verdict, everything.classes)
    assert none.causes == none.steps == none.statistics == ()
    approved = reviews_of(**{"n" + cause_claims[0].rsplit("_", 1)[1]: Status.approved})
    some = approved_only(classifier, approved).classify(galactorrhea)
    assert {c.iri for cause in some.causes for c in cause.claims} == {cause_claims[0]}
    shown = with_current_statuses(everything, approved)
    assert {c.review_status for cause in shown.causes for c in cause.claims
            if c.iri == cause_claims[0]} == {Status.approved.iri}
    assert {c.review_status for cause in everything.causes for c in cause.claims} == {
        Status.submitted.iri}
