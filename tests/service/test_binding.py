"""Parameter binding, tried with hostile values: whatever a named question's parameter is given
(braces, quotes, ``>``, ``#``, new lines, ``?variables``, SPARQL keywords), the question's SPARQL
text is run with only the resolved terms written in, and the answer is either a refusal (422) or
results of the same shape."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ndkg.build import BuildResult
from ndkg.errors import ParameterError
from ndkg.questions import Questions

from .support import copy_build

Serve = Callable[[FastAPI], AbstractContextManager[str]]

PIECES = [
    "}", "{", '"', "'", ">", "<", "#", "\n", "\r\n", "?s", "$o", "?_term_iri", ".", ";", "\\",
    "SELECT", "WHERE", "UNION", "FILTER", "INSERT DATA", "DELETE WHERE", "SERVICE", "LOAD",
    "DROP ALL", "<http://127.0.0.1:9/sparql>", "NDKG:0000224", "https://w3id.org/ndkg/NDKG_0000224",
    "intraductal papilloma", "bloody", "unilateral", " ", "%", "\u0000", "😀",
]
VALUES = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join),
    st.text(max_size=40),
)


@pytest.fixture(scope="module")
def questions(built: BuildResult, store: object) -> Questions:
    return Questions(store, built.path / "queries")  # type: ignore[arg-type]


def parameters(questions: Questions) -> list[tuple[str, str]]:
    return [(q.name, p.name) for q in questions.by_name.values() for p in q.parameters]


SHAPES: dict[str, list[str]] = {}
"""The variables each question answered with first: every later answer must have the same."""


@given(data=st.data(), value=VALUES)
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_a_bound_value_never_changes_the_query(
    questions: Questions, data: st.DataObject, value: str
) -> None:
    name, parameter = data.draw(st.sampled_from(parameters(questions)))
    try:
        answer = questions.answer(name, {parameter: value})
    except ParameterError:
        return
    assert answer.question.sparql == (questions.folder / f"{name}.rq").read_text()
    question = questions.get(name)
    assert answer.sparql == questions.sparql(question, questions.bind(question, {parameter: value}))
    assert answer.variables == SHAPES.setdefault(name, answer.variables)


@pytest.fixture(scope="module")
def service(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, serve: Serve
) -> Iterator[str]:
    from ndkg.service import ServiceSettings, create_app

    home = copy_build(built, tmp_path_factory.mktemp("binding"))
    with serve(create_app(ServiceSettings(home=home, query_workers=1))) as url:
        yield url


@given(data=st.data(), value=VALUES)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_over_http_a_hostile_value_is_422_or_answered_by_the_same_query(
    service: str, questions: Questions, data: st.DataObject, value: str
) -> None:
    name, parameter = data.draw(st.sampled_from(parameters(questions)))
    response = httpx.get(
        f"{service}/questions/{name}", params={parameter: value},
        headers={"Accept": "application/json"}, timeout=30,
    )
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        question = questions.get(name)
        expected = questions.sparql(question, questions.bind(question, {parameter: value}))
        assert response.json()["sparql"]["query"] == expected


def test_words_are_resolved_against_the_allowed_values_only(
    built: BuildResult, store: object
) -> None:
    """Words are matched with the labels, lay labels and synonyms of the parameter's allowed
    values, without reading every word of the graph (which would not fit a large graph)."""
    questions = Questions(store, built.path / "queries")  # type: ignore[arg-type]
    question = questions.get("causes-by-features")
    bound = questions.bind(question, {"laterality": "one breast", "character": "blood-stained"})
    laterality, character = (question.parameter(name) for name in ("laterality", "character"))
    assert laterality is not None and character is not None
    assert bound[laterality.variable].value == "http://purl.obolibrary.org/obo/HP_0012833"
    assert bound[character.variable].value == "http://purl.obolibrary.org/obo/PATO_0002105"
    assert "lexicon" not in vars(questions)
    with pytest.raises(ParameterError, match="'blood-stained' is not an allowed value"):
        questions.bind(question, {"laterality": "blood-stained"})
