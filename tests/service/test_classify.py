"""``/classify``: what a nipple discharge is and what to do next, read from the build.

The cases are the article's own patterns, and the presentations a clinician would try first:
those the article's rules must send to evaluation even when they are not its full pathologic
pattern, milky discharge unrelated to lactation (galactorrhea, never physiologic), and
presentations described too little to decide.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from ndkg.service.audience import DISCLAIMER
from ndkg.storage.store import EmbeddedStore

PATHOLOGIC_PATTERN = {"laterality": "unilateral", "character": "bloody", "ducts": "single duct",
                      "onset": "spontaneous"}
PHYSIOLOGIC_PATTERN = {"laterality": "bilateral", "character": "milky",
                       "ducts": "multiple ducts", "lactating": "during lactation"}
FEATURE_VALUES = {
    "laterality": ("HP:0012833", "HP:0012832"),
    "ducts": ("NDKG:0000400", "NDKG:0000401"),
    "character": ("PATO:0000323", "PATO:0000320", "PATO:0000324", "PATO:0002128",
                  "PATO:0002105"),
    "onset": ("NDKG:0000402", "NDKG:0000403"),
    "lactating": ("NDKG:0000404", "NDKG:0000405"),
}


def classify(http: httpx.Client, **params: str) -> dict[str, Any]:
    """The classification of the presentation in ``params``."""
    response = http.get("/classify", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def labels(items: list[dict[str, Any]], key: str) -> list[str]:
    """The labels of the terms under ``key``, in order."""
    return [item[key]["label"] for item in items]


def steps_that_apply(answer: dict[str, Any]) -> set[str]:
    """The next steps that certainly apply to the presentation."""
    return {s["action"]["label"] for s in answer["next_steps"] if s["applies"]}


def test_the_articles_pathologic_pattern(http: httpx.Client, store: EmbeddedStore) -> None:
    answer = classify(http, **PATHOLOGIC_PATTERN)
    assert answer["verdict"] == "pathologic"
    assert answer["verdict_class"]["id"] == "NDKG:0000302"
    [physiologic, pathologic, _] = answer["patterns"]
    assert pathologic["pattern"]["id"] == "NDKG:0000302"
    assert {m["feature"] for m in pathologic["met"]} == set(PATHOLOGIC_PATTERN)
    assert pathologic["missing"] == [] and pathologic["not_met"] == []
    assert {m["feature"] for m in physiologic["not_met"]} == {"laterality", "ducts", "character"}
    # Papilloma is the one cause; the malignancy is a risk of the presentation, not a cause.
    assert labels(answer["causes"], "cause") == ["intraductal papilloma"]
    reason = answer["causes"][0]["reasons"][0]
    assert reason["claim"]["id"] == "NDKG:0001034" and reason["qualifier"] == (
        "typically serous or bloody")
    assert steps_that_apply(answer) == {"diagnostic breast imaging", "further clinical evaluation"}
    [risk] = answer["statistics"]
    assert (risk["measure"], risk["minimum"], risk["maximum"], risk["unit"]) == (
        "risk of underlying malignancy", 3, 29, "percent")
    assert risk["outcome"]["label"] == "underlying breast malignancy"
    assert risk["timePoint"] is None  # the article gives none
    assert answer["bottom_line"] == (
        "Pathologic nipple discharge. Next: diagnostic breast imaging; "
        "further clinical evaluation.")
    assert answer["version"] == store.version and answer["disclaimer"] == DISCLAIMER


def test_the_articles_physiologic_pattern_during_lactation(http: httpx.Client) -> None:
    answer = classify(http, **PHYSIOLOGIC_PATTERN)
    assert answer["verdict"] == "physiologic" and answer["settled"] is True
    physiologic = answer["patterns"][0]
    assert physiologic["pattern"]["id"] == "NDKG:0000301"
    assert {m["feature"] for m in physiologic["met"]} == set(PHYSIOLOGIC_PATTERN)
    assert steps_that_apply(answer) == {
        "use of breast pads", "pressure on the nipples", "no medical intervention",
        "no diagnostic imaging"}  # the imaging criteria of 2022
    causes = labels(answer["causes"], "cause")
    # The let-down reflex is "the primary mechanism"; stress ranks after every cause the graph
    # ties more directly (its citation's PubMed identifier gives it no rank).
    assert causes[0] == "milk ejection reflex" and answer["causes"][0]["primary"] is True
    assert causes.index("stress") > causes.index("hyperlactation")
    stress = next(c for c in answer["causes"] if c["cause"]["label"] == "stress")
    assert stress["reasons"][0]["evidence"]["id"] == "ECO:0000303"
    assert stress["reasons"][0]["cited_work_reports"] is False
    assert "intraductal papilloma" not in causes


def test_clinicians_red_flags_need_evaluation(http: httpx.Client) -> None:
    """Each of unilateral, spontaneous, bloody or serous is on its own a reason to evaluate."""
    cases = [
        {"laterality": "unilateral", "ducts": "single duct", "character": "bloody",
         "onset": "provoked", "lactating": "not lactating"},
        {"laterality": "unilateral", "ducts": "multiple ducts", "character": "bloody",
         "onset": "spontaneous"},
        {"laterality": "bilateral", "ducts": "single duct", "character": "serous",
         "onset": "spontaneous"},
        {"character": "bloody", "lactating": "during lactation"},
        {"laterality": "unilateral", "character": "yellow", "lactating": "not lactating"},
    ]
    for case in cases:
        answer = classify(http, **case)
        assert answer["verdict"] == "needs_evaluation", case
        assert answer["verdict_class"]["id"] == "NDKG:0000309", case
        assert {"diagnostic breast imaging", "further clinical evaluation"} <= steps_that_apply(
            answer), case
        evidence = next(s for s in answer["next_steps"] if s["for"]["id"] == "NDKG:0000309")
        assert evidence["evidence"][0]["evidence"]["id"] == "ECO:0000305"


def test_milky_discharge_unrelated_to_lactation_is_galactorrhea(http: httpx.Client) -> None:
    answer = classify(http, laterality="bilateral", ducts="multiple ducts", character="milky",
                      lactating="not lactating")
    assert answer["verdict"] == "galactorrhea"
    # The article's evaluation, and the work-up of the reviews, each step with its sources.
    assert {"evaluation for galactorrhea", "serum prolactin measurement",
            "thyroid-stimulating hormone measurement", "pregnancy test", "renal function tests",
            "pituitary MRI", "stopping or switching the causative medication"} <= steps_that_apply(
        answer)
    # No treatment only on a condition (2022 review), never as the bottom line.
    [no_treatment] = [s for s in answer["next_steps"]
                      if s["action"]["label"] == "no medical intervention"]
    assert no_treatment["conditions"] == [
        "when prolactin and TSH are normal and the discharge does not trouble the patient"]
    assert "no medical intervention" not in answer["bottom_line"]
    assert answer["bottom_line"].startswith("Galactorrhea. Next: evaluation for galactorrhea; ")
    assert "serum prolactin measurement" in answer["bottom_line"]
    classes = {c["class"]["label"] for c in answer["presentation_classes"]}
    assert "physiologic nipple discharge" not in classes
    assert {"prolactinoma", "hypothyroidism", "antipsychotic medication"} <= set(
        labels(answer["causes"], "cause"))


def test_a_presentation_outside_the_articles_patterns_goes_to_a_clinician(
    http: httpx.Client,
) -> None:
    answer = classify(http, laterality="bilateral", ducts="multiple ducts", character="green",
                      onset="provoked", lactating="not lactating")
    assert answer["verdict"] == "outside_patterns"
    assert steps_that_apply(answer) == {"clinical assessment"}


def test_too_few_features_say_which_would_decide(http: httpx.Client) -> None:
    nothing = classify(http)
    assert nothing["verdict"] == "insufficient_information"
    assert {d["feature"] for d in nothing["deciding_features"]} == set(FEATURE_VALUES)
    assert steps_that_apply(nothing) == {"clinical assessment"}
    assert nothing["bottom_line"].startswith("Not enough is known to decide: tell us ")
    both = classify(http, laterality="bilateral", audience="patient")
    assert both["verdict"] == "insufficient_information"
    assert "tell us colour or look" in both["bottom_line"]
    assert both["bottom_line"].endswith("Until then: have a clinician look at it.")


def test_a_certain_verdict_with_features_missing_names_what_could_change(
    http: httpx.Client,
) -> None:
    answer = classify(http, character="serous")
    # Serous discharge needs evaluation whatever else; with a single duct, one breast and
    # spontaneous onset it would be the article's pathologic pattern.
    assert answer["verdict"] == "needs_evaluation" and answer["settled"] is False
    assert answer["combinations"]["pathologic"] == 2 and answer["combinations"][
        "needs_evaluation"] == 14
    deciding = {d["feature"] for d in answer["deciding_features"] if d["decides_verdict"]}
    assert deciding == {"laterality", "ducts", "onset"}
    assert "Knowing " in answer["bottom_line"]


def test_every_presentation_gets_a_verdict_and_a_next_step(http: httpx.Client) -> None:
    """Every combination of given features (each feature a value or left out): 486 requests."""
    seen = set()
    for values in itertools.product(*((None, *v) for v in FEATURE_VALUES.values())):
        params = {name: v for name, v in zip(FEATURE_VALUES, values, strict=True) if v}
        answer = classify(http, **params)
        assert answer["verdict_class"]["id"], params
        assert steps_that_apply(answer), params
        if len(params) == len(FEATURE_VALUES):
            assert answer["verdict"] != "insufficient_information", params
        seen.add(answer["verdict"])
    assert seen == {"pathologic", "needs_evaluation", "galactorrhea", "physiologic",
                    "outside_patterns", "insufficient_information"}


def test_contradicting_figures_are_shown_together_as_a_conflict(http: httpx.Client) -> None:
    response = http.post("/classify", json=PHYSIOLOGIC_PATTERN | {"weeks_postpartum": 26})
    assert response.status_code == 200, response.text
    answer = response.json()
    [conflict] = answer["conflicts"]
    assert conflict["conflict"]["id"] == "NDKG:0003001"
    assert {s["id"] for s in conflict["statements"]} == {"NDKG:0002005", "NDKG:0002006"}
    by_id = {s["statistic"]["id"]: s for s in answer["statistics"]}
    assert by_id["NDKG:0002006"]["citation"]["id"] == "NDKG:0000704"  # reference 4
    assert by_id["NDKG:0002005"]["citation"]["id"] == "NDKG:0000700"  # the article, no marker
    course = {t["statistic"]["id"]: t for t in answer["time_course"]}
    for statistic in ("NDKG:0002005", "NDKG:0002006"):
        assert course[statistic]["conflicts"] == [conflict["conflict"]]
        assert "The sources disagree here" in course[statistic]["note"]
    assert course["NDKG:0002005"]["position"] == "after"
    assert course["NDKG:0002006"]["position"] == "at"


def test_the_weeks_since_childbirth_give_a_time_course(http: httpx.Client) -> None:
    response = http.post("/classify", json=PHYSIOLOGIC_PATTERN | {"weeks_postpartum": 8})
    assert response.status_code == 200, response.text
    course = {(t["about"]["label"], tuple(t["weeks"])): t for t in response.json()["time_course"]}
    assert course[("early postpartum period", (6, 12))]["position"] == "within"
    assert course[("breast milk leakage", (13, 17.33))]["position"] == "before"
    assert "3–4 months" in course[("breast milk leakage", (13, 17.33))]["note"]


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
    assert labels(answer["causes"], "cause") == ["small growth inside a milk duct"]
    assert labels(answer["next_steps"], "action") == ["breast scan", "see a doctor for more checks"]
    assert answer["statistics"][0]["outcome"]["label"] == (
        "a cancer that may lie behind the discharge")
