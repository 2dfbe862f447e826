"""Named questions over HTTP, served by uvicorn on loopback from the real build."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from rdflib.query import Result

from ndkg.questions import Questions
from ndkg.service.audience import DISCLAIMER
from ndkg.storage.store import EmbeddedStore

Serve = Callable[[FastAPI], AbstractContextManager[str]]
ANSWER = {"Accept": "application/json"}


def labels(rows: list[dict[str, Any]], column: str) -> set[str]:
    """The labels of the terms in ``column``."""
    return {row[column]["label"] for row in rows if column in row}


def ids(rows: list[dict[str, Any]], column: str) -> set[str]:
    """The CURIEs of the terms in ``column``."""
    return {row[column]["id"] for row in rows if column in row}


def test_every_named_question_is_listed_with_its_parameters(
    http: httpx.Client, questions: Questions, store: EmbeddedStore
) -> None:
    body = http.get("/questions").json()
    listed = {q["name"]: q for q in body["questions"]}
    assert set(listed) == set(questions.by_name)
    assert body["version"] == store.version and body["disclaimer"] == DISCLAIMER
    features = listed["causes-by-features"]
    assert features["summary"] == questions.get("causes-by-features").summary
    assert "causes" in features["tags"]
    parameters = {p["name"]: p for p in features["parameters"]}
    assert set(parameters) == {"laterality", "ducts", "character", "onset", "context"}
    laterality = parameters["laterality"]
    assert laterality["type"] == "iri" and laterality["required"] is False
    assert laterality["default"] == "NDKG:0000118"
    assert {"id": "HP:0012833", "label": "Unilateral"}.items() <= next(
        a for a in laterality["allowed"] if a["id"] == "HP:0012833"
    ).items()
    evidence = {p["name"]: p for p in listed["evidence"]["parameters"]}
    assert evidence["term"]["required"] is True and evidence["term"]["allowed"] == []


def test_openapi_documents_each_question_with_typed_parameters(
    http: httpx.Client, questions: Questions
) -> None:
    schema = http.get("/openapi.json").json()
    paths = schema["paths"]
    assert schema["components"]["schemas"]["StatusFilter"]["enum"] == ["approved"]
    for name, question in questions.by_name.items():
        operation = paths[f"/questions/{name}"]["get"]
        assert operation["summary"] == question.summary
        documented = {p["name"] for p in operation["parameters"]}
        assert documented == {p.name for p in question.parameters} | {"audience", "status"}
        (status,) = [p for p in operation["parameters"] if p["name"] == "status"]
        assert status["schema"]["anyOf"][0] == {"$ref": "#/components/schemas/StatusFilter"}
    features = {p["name"]: p for p in paths["/questions/causes-by-features"]["get"]["parameters"]}
    assert {"laterality", "ducts", "character", "onset", "context"} <= set(features)
    assert features["character"]["required"] is False
    assert "bloody" in features["character"]["description"]
    evidence = {p["name"]: p for p in paths["/questions/evidence"]["get"]["parameters"]}
    assert evidence["term"]["required"] is True
    assert evidence["term"]["schema"]["type"] == "string"


def test_unilateral_bloody_discharge_has_its_causes_with_evidence(
    http: httpx.Client, store: EmbeddedStore
) -> None:
    response = http.get(
        "/questions/causes-by-features",
        params={"laterality": "unilateral", "character": "bloody"},
        headers=ANSWER,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    causes = labels(body["rows"], "cause")
    assert causes == {"intraductal papilloma"}
    assert "milk ejection reflex" not in labels(body["rows"], "cause")
    assert body["parameters"]["laterality"]["id"] == "HP:0012833"
    assert body["parameters"]["character"] == {
        "id": "PATO:0002105", "iri": "http://purl.obolibrary.org/obo/PATO_0002105",
        "label": "hemorrhagic",
    }
    assert "?characterValue ?typed obo:PATO_0002105 ." in body["sparql"]["query"]
    assert "__character_iri" not in body["sparql"]["query"]
    assert body["evidence"], "every cause comes with its claim"
    for entry in body["evidence"]:
        assert entry["claim"]["id"].startswith("NDKG:")
        assert entry["citation"]["label"] and entry["evidence"]["id"].startswith("ECO:")
        assert entry["reviewStatus"]["label"] == "submitted"
    assert body["version"] == store.version and body["disclaimer"] == DISCLAIMER


@pytest.mark.parametrize(
    ("name", "params", "column", "expected"),
    [
        ("causes-by-category", {"category": "pathologic cause"}, "cause",
         {"intraductal papilloma", "prolactinoma", "hyperlactation"}),
        ("causes-by-features", {"laterality": "bilateral", "character": "milky",
                                "context": "during lactation"}, "cause",
         {"milk ejection reflex", "hyperlactation", "missed or delayed feeding"}),
        ("causes-of-condition", {}, "cause",
         {"prolactinoma", "hypothyroidism", "antipsychotic medication"}),
        ("defining-features", {"presentation": "pathologic nipple discharge"}, "value",
         {"hemorrhagic", "serous"}),
        ("evidence", {"term": "NDKG:0000224"}, "statement",
         {"NDKG:0001034"}),
        ("hormones", {}, "hormone", {"oxytocin", "prolactin"}),
        ("mappings-of-term", {"term": "NDKG:0000214"}, "external", {"Galactorrhea"}),
        ("term-by-external-id", {"external": "HP:0100829"}, "term", {"galactorrhea"}),
        ("treatments-of-condition", {}, "treatment", {"cabergoline"}),
        ("triggers-of-mechanism", {}, "trigger",
         {"infant suckling", "breast pump use", "hearing the baby cry"}),
    ],
)
def test_each_named_question_answers(
    http: httpx.Client, name: str, params: dict[str, str], column: str, expected: set[Any]
) -> None:
    response = http.get(f"/questions/{name}", params=params, headers=ANSWER)
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert rows
    assert expected <= labels(rows, column) | ids(rows, column)


def test_the_figures_are_typed_numbers(http: httpx.Client) -> None:
    """``statistics``, the one named question not in the table above."""
    rows = http.get("/questions/statistics", params={"about": "NDKG:0000302"},
                    headers=ANSWER).json()["rows"]
    assert [(r["measure"], r["minimum"], r["maximum"], r["unit"]) for r in rows] == [
        ("risk of underlying malignancy", 3, 29, "percent")
    ]


def test_mappings_name_the_external_terms(http: httpx.Client) -> None:
    rows = http.get("/questions/mappings-of-term", params={"term": "NDKG:0000214"},
                    headers=ANSWER).json()["rows"]
    assert {"HP:0100829", "MONDO:0009256"} <= ids(rows, "external")


def test_sparql_json_is_the_default(http: httpx.Client) -> None:
    response = http.get("/questions/hormones")
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    result = Result.parse(io.BytesIO(response.content), format="json")
    assert {str(row["hormoneLabel"]) for row in result} == {"oxytocin", "prolactin"}


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("application/sparql-results+xml", "xml"), ("text/tab-separated-values", "tsv")],
)
def test_results_in_other_formats(http: httpx.Client, accept: str, fmt: str) -> None:
    response = http.get("/questions/hormones", headers={"Accept": accept})
    assert response.status_code == 200 and "Accept" in response.headers["vary"]
    result = Result.parse(io.BytesIO(response.content), format=fmt)
    assert {str(row["hormoneLabel"]) for row in result} == {"oxytocin", "prolactin"}


def test_csv_output(http: httpx.Client) -> None:
    response = http.get(
        "/questions/causes-by-features",
        params={"laterality": "HP:0012833", "character": "PATO:0002105"},
        headers={"Accept": "text/csv"},
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {row["causeLabel"] for row in rows} == {"intraductal papilloma"}


def test_a_value_outside_the_allowed_ones_is_422_listing_them(http: httpx.Client) -> None:
    response = http.get("/questions/causes-by-features", params={"laterality": "purple"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "laterality"] and error["input"] == "purple"
    allowed = {a["id"]: a["label"] for a in error["ctx"]["allowed"]}
    assert allowed["HP:0012833"] == "Unilateral" and allowed["HP:0012832"] == "Bilateral"


def test_an_unknown_parameter_is_422_naming_the_known_ones(http: httpx.Client) -> None:
    response = http.get("/questions/causes-by-features", params={"lateralty": "unilateral"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "lateralty"]
    assert "laterality" in error["ctx"]["parameters"]


def test_a_missing_required_parameter_is_422(http: httpx.Client) -> None:
    response = http.get("/questions/evidence")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "term"]


def test_an_unknown_question_is_404(http: httpx.Client) -> None:
    response = http.get("/questions/what-is-love")
    assert response.status_code == 404
    assert "causes-by-features" in response.text


def test_an_unacceptable_format_is_406(http: httpx.Client) -> None:
    response = http.get("/questions/hormones", headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_the_audience_chooses_lay_or_clinical_words(http: httpx.Client) -> None:
    params = {"laterality": "one breast", "character": "blood-stained"}
    clinician = http.get("/questions/causes-by-features", params=params, headers=ANSWER).json()
    patient = http.get("/questions/causes-by-features", params=params | {"audience": "patient"},
                       headers=ANSWER).json()
    assert "intraductal papilloma" in labels(clinician["rows"], "cause")
    assert labels(patient["rows"], "cause") == {"small growth inside a milk duct"}
    assert patient["parameters"]["laterality"]["label"] == "from one breast"
    assert ids(patient["rows"], "cause") == ids(clinician["rows"], "cause")
