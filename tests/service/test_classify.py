"""``/classify``: the article's patterns of nipple discharge, classified from the build."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import httpx
from fastapi import FastAPI

from ndkg.service.audience import DISCLAIMER
from ndkg.store import EmbeddedStore

Serve = Callable[[FastAPI], AbstractContextManager[str]]

PATHOLOGIC_PATTERN = {"laterality": "unilateral", "character": "bloody", "ducts": "single duct",
                      "onset": "spontaneous"}
PHYSIOLOGIC_PATTERN = {"laterality": "bilateral", "character": "milky",
                       "ducts": "multiple ducts"}


def classify(http: httpx.Client, **params: str) -> dict[str, Any]:
    """The classification of the presentation in ``params``."""
    response = http.get("/classify", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def labels(items: list[dict[str, Any]], key: str) -> list[str]:
    """The labels of the terms under ``key``, in order."""
    return [item[key]["label"] for item in items]


def test_unilateral_bloody_single_duct_spontaneous_is_pathologic(
    http: httpx.Client, store: EmbeddedStore
) -> None:
    answer = classify(http, **PATHOLOGIC_PATTERN)
    assert answer["verdict"] == "pathologic" and answer["settled"] is True
    [physiologic, pathologic] = answer["patterns"]
    assert pathologic["pattern"]["id"] == "NDKG:0000302"
    assert {m["feature"] for m in pathologic["met"]} == set(PATHOLOGIC_PATTERN)
    assert pathologic["missing"] == [] and pathologic["not_met"] == []
    assert {m["feature"] for m in physiologic["not_met"]} == {"laterality", "ducts", "character"}
    assert labels(answer["causes"], "cause")[:2] == [
        "intraductal papilloma", "underlying breast malignancy"
    ]
    assert answer["causes"][0]["via"]["label"] == "bloody pathologic nipple discharge"
    reason = answer["causes"][0]["reasons"][0]
    assert reason["claim"]["id"] == "NDKG:0001035" and reason["evidence"]["id"] == "ECO:0000303"
    assert {"diagnostic breast imaging", "further clinical evaluation"} == set(
        labels(answer["next_steps"], "action")
    )
    assert all(step["applies"] for step in answer["next_steps"])
    [risk] = answer["statistics"]
    assert (risk["measure"], risk["minimum"], risk["maximum"], risk["unit"]) == (
        "risk of underlying malignancy", 3, 29, "percent"
    )
    assert answer["version"] == store.version and answer["disclaimer"] == DISCLAIMER


def test_bilateral_milky_multiple_ducts_is_physiologic(http: httpx.Client) -> None:
    answer = classify(http, **PHYSIOLOGIC_PATTERN)
    assert answer["verdict"] == "physiologic" and answer["settled"] is True
    physiologic = answer["patterns"][0]
    assert physiologic["pattern"]["id"] == "NDKG:0000301"
    assert {m["feature"] for m in physiologic["met"]} == set(PHYSIOLOGIC_PATTERN)
    steps = {s["action"]["label"] for s in answer["next_steps"]}
    assert {"use of breast pads", "no medical intervention"} <= steps
    assert "diagnostic breast imaging" not in steps
    assert "intraductal papilloma" not in labels(answer["causes"], "cause")
    [lactating] = answer["deciding_features"]
    assert lactating["feature"] == "lactating" and lactating["decides_verdict"] is False
    classes = {v["value"]["label"]: {c["label"] for c in v["classes"]} for v in lactating["values"]}
    assert "breast milk leakage" in classes["during lactation"]
    assert "galactorrhea" in classes["unrelated to lactation"]


def test_the_weeks_since_childbirth_give_a_time_course(http: httpx.Client) -> None:
    response = http.post("/classify", json=PHYSIOLOGIC_PATTERN | {
        "lactating": "breastfeeding", "weeks_postpartum": 8,
    })
    assert response.status_code == 200, response.text
    course = {(t["about"]["label"], tuple(t["weeks"])): t for t in response.json()["time_course"]}
    assert course[("early postpartum period", (6, 12))]["position"] == "within"
    assert course[("breast milk leakage", (13, 17.33))]["position"] == "before"
    assert "3–4 months" in course[("breast milk leakage", (13, 17.33))]["note"]


def test_missing_features_mean_any_and_the_deciding_ones_are_named(http: httpx.Client) -> None:
    answer = classify(http, character="serous")
    assert answer["verdict"] == "indeterminate" and answer["settled"] is False
    assert answer["combinations"]["pathologic"] > 0 and answer["combinations"]["indeterminate"] > 0
    deciding = {d["feature"] for d in answer["deciding_features"] if d["decides_verdict"]}
    assert deciding == {"laterality", "ducts", "onset"}
    assert not any(step["applies"] for step in answer["next_steps"])


def test_a_presentation_outside_both_patterns_is_indeterminate(http: httpx.Client) -> None:
    answer = classify(http, laterality="one breast", character="milky", ducts="multiple ducts",
                      onset="provoked", lactating="not lactating")
    assert answer["verdict"] == "indeterminate" and answer["settled"] is True
    assert "galactorrhea" in {c["class"]["label"] for c in answer["presentation_classes"]}


def test_values_may_be_curies_iris_or_lay_words(http: httpx.Client) -> None:
    words = classify(http, **PATHOLOGIC_PATTERN)
    identifiers = classify(
        http, laterality="HP:0012833", character="http://purl.obolibrary.org/obo/PATO_0002105",
        ducts="from one opening of the nipple", onset="comes on its own",
    )
    assert identifiers["presentation"] == words["presentation"]
    assert identifiers["verdict"] == "pathologic"


def test_a_bad_value_is_422_listing_the_allowed_ones(http: httpx.Client) -> None:
    response = http.get("/classify", params={"character": "purple"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "character"] and error["input"] == "purple"
    allowed = {a["id"]: a["label"] for a in error["ctx"]["allowed"]}
    assert allowed["PATO:0002105"] == "hemorrhagic" and allowed["PATO:0000323"] == "white"
    body = http.post("/classify", json={"onset": "sudden"})
    assert body.status_code == 422 and body.json()["detail"][0]["loc"] == ["body", "onset"]


def test_unknown_features_and_negative_weeks_are_refused(http: httpx.Client) -> None:
    assert http.get("/classify", params={"colour": "red"}).status_code == 422
    assert http.get("/classify", params={"weeks_postpartum": "-1"}).status_code == 422


def test_the_audience_chooses_lay_or_clinical_words(http: httpx.Client) -> None:
    answer = classify(http, audience="patient", **PATHOLOGIC_PATTERN)
    assert labels(answer["causes"], "cause")[:2] == ["small growth inside a milk duct",
                                                     "breast cancer"]
    assert labels(answer["next_steps"], "action") == ["breast scan", "see a doctor for more checks"]
