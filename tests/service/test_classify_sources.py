"""``/classify`` with what the sources beyond the article add: the imaging the criteria give
for the patient's age and sex, with the earlier ratings and the sources, and the lactation
context the months since weaning imply. Every answer is read from the built graph."""

from __future__ import annotations

from typing import Any

import httpx

PATHOLOGIC = {"laterality": "unilateral", "character": "bloody", "ducts": "single duct",
              "onset": "spontaneous"}
MILKY_BOTH_BREASTS = {"laterality": "bilateral", "ducts": "multiple ducts", "character": "milky"}
ACR_2022, ACR_2016 = "NDKG:0000706", "NDKG:0000707"


def imaging(http: httpx.Client, **params: Any) -> dict[str, Any]:
    """The imaging section of the classification of ``params``."""
    response = http.get("/classify", params=params)
    assert response.status_code == 200, response.text
    found = response.json()["imaging"]
    assert found is not None, params
    return dict(found)


def procedures(steps: list[dict[str, Any]]) -> set[str]:
    return {step["procedure"]["label"] for step in steps}


def test_from_40_mammography_or_tomosynthesis_first_with_ultrasound(http: httpx.Client) -> None:
    for sex in ("female", "male"):
        found = imaging(http, age=45, sex=sex, **PATHOLOGIC)
        assert found["for"]["id"] == "NDKG:0000302" and found["reading"] is None
        assert procedures(found["first"]) == {"diagnostic mammography",
                                              "digital breast tomosynthesis"}
        assert procedures(found["together_with_first"]) == {"breast ultrasound"}
        ratings = {r["procedure"]["label"]: (r["value"], r["category"]["label"])
                   for r in found["ratings"]}
        assert ratings == {
            "diagnostic mammography": (9, "usually appropriate"),
            "digital breast tomosynthesis": (9, "usually appropriate"),
            "breast ultrasound": (9, "usually appropriate"),
            "breast MRI": (1, "usually not appropriate"),
            "ductography": (1, "usually not appropriate"),
            "image-guided biopsy or aspiration": (1, "usually not appropriate"),
        }
        first = found["first"][0]
        assert first["rating"]["citation"]["id"] == ACR_2016
        assert {e["citation"]["id"] for e in first["evidence"]} == {ACR_2022}
        assert first["evidence"][0]["text_is"] == "curators' summary"


def test_from_30_to_39_either_as_preference_and_the_patient_choose(http: httpx.Client) -> None:
    found = imaging(http, age=35, sex="female", **PATHOLOGIC)
    assert procedures(found["first"]) == {"diagnostic mammography",
                                          "digital breast tomosynthesis", "breast ultrasound"}
    assert {c for step in found["first"] for c in step["conditions"]} == {
        "mammography or tomosynthesis, or ultrasound, as institutional preference and the "
        "patient choose"}
    assert found["ratings"] == []  # the earlier table rates only from 40


def test_women_under_30_ultrasound_first(http: httpx.Client) -> None:
    found = imaging(http, age=25, sex="female", **PATHOLOGIC)
    assert procedures(found["first"]) == {"breast ultrasound"}
    assert procedures(found["added_when"]) == {"diagnostic mammography",
                                               "digital breast tomosynthesis"}
    assert found["added_when"][0]["conditions"] == [
        "added when findings are suspicious or lifetime breast-cancer risk is elevated"]


def test_men_from_25_mammography_or_tomosynthesis_ultrasound_when_indicated(
    http: httpx.Client,
) -> None:
    found = imaging(http, age=27, sex="male", **PATHOLOGIC)
    assert procedures(found["first"]) == {"diagnostic mammography",
                                          "digital breast tomosynthesis"}
    assert procedures(found["added_when"]) == {"breast ultrasound"}
    assert found["added_when"][0]["conditions"] == ["added when indicated"]
    young = imaging(http, age=20, sex="male", **PATHOLOGIC)
    assert young["first"] == young["together_with_first"] == young["added_when"] == []
    assert young["note"] == "The criteria give no imaging for a patient of this age and sex."


def test_without_age_or_sex_the_answer_says_what_is_needed(http: httpx.Client) -> None:
    assert imaging(http, **PATHOLOGIC)["needed"] == ["age", "sex"]
    found = imaging(http, age=50, **PATHOLOGIC)
    assert found["needed"] == ["sex"] and found["first"] == []
    assert found["note"] == "The criteria choose the imaging by age and sex: give sex to see it."


def test_a_discharge_needing_evaluation_gets_the_criteria_as_the_curators_read_them(
    http: httpx.Client,
) -> None:
    found = imaging(http, laterality="unilateral", character="bloody", onset="provoked",
                    age=45, sex="female")
    assert found["for"]["id"] == "NDKG:0000302"
    reading = found["reading"]
    assert reading["evidence"]["id"] == "ECO:0000305" and reading["citation"]["id"] == ACR_2022
    assert "applies them to every discharge needing evaluation" in reading["note"]
    assert procedures(found["first"]) == {"diagnostic mammography",
                                          "digital breast tomosynthesis"}


def test_physiologic_discharge_every_procedure_rated_not_appropriate(http: httpx.Client) -> None:
    response = http.get("/classify", params={**MILKY_BOTH_BREASTS, "lactating": "during lactation",
                                             "age": 30, "sex": "female"})
    answer = response.json()
    assert answer["verdict"] == "physiologic"
    assert "no diagnostic imaging" in {s["action"]["label"] for s in answer["next_steps"]}
    found = answer["imaging"]
    assert found["for"]["id"] == "NDKG:0000301" and found["first"] == []
    assert {(r["value"], r["category"]["label"]) for r in found["ratings"]} == {
        (1, "usually not appropriate")}
    assert len(found["ratings"]) == 8


def test_age_and_sex_out_of_range_are_422(http: httpx.Client) -> None:
    for params in ({"age": 121}, {"age": -1}, {"sex": "other"}):
        response = http.get("/classify", params=params)
        assert response.status_code == 422, params
        assert response.json()["detail"][0]["loc"][-1] == next(iter(params))
    assert http.post("/classify", json={"age": 200}).status_code == 422


def test_months_since_weaning_within_a_year_read_as_during_lactation(http: httpx.Client) -> None:
    recent = http.get("/classify", params={**MILKY_BOTH_BREASTS, "months_since_weaning": 8})
    answer = recent.json()
    assert answer["verdict"] == "physiologic"
    window = answer["lactation_window"]
    assert (window["window_months"], window["context"]["label"]) == (12, "during lactation")
    assert window["citation"]["id"] == "NDKG:0000712"
    later = http.get("/classify", params={**MILKY_BOTH_BREASTS, "months_since_weaning": 18})
    assert later.json()["verdict"] == "galactorrhea"
    assert later.json()["lactation_window"]["context"]["label"] == "unrelated to lactation"
    contradiction = http.get("/classify", params={
        **MILKY_BOTH_BREASTS, "lactating": "not lactating", "months_since_weaning": 3})
    assert contradiction.status_code == 422
    assert "contradicts the lactation context given" in contradiction.json()["detail"][0]["msg"]
