"""``/ask`` with a patient described in words: the age, sex and months since weaning read from
clear phrases (each with its words), the classification the same as ``/classify`` gives for
them, imaging and lactation window included; values it would refuse left out with a note."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.conftest import PROJECT

CLASSIFIED = ("verdict", "verdict_class", "bottom_line", "imaging", "lactation_window")


def classification(http: httpx.Client, text: str) -> dict[str, Any]:
    """The classification part of the answer to ``text``."""
    response = http.get("/ask", params={"q": text})
    assert response.status_code == 200, response.text
    found = response.json()["classification"]
    assert found is not None, text
    return dict(found)


def patient(found: dict[str, Any]) -> dict[str, Any]:
    """The details of the patient read, as ``/classify`` parameters."""
    return {name: found[name]["value"] for name in ("age", "sex", "months_since_weaning")
            if found[name] is not None}


def same_as_classify(http: httpx.Client, found: dict[str, Any]) -> dict[str, Any]:
    """``/classify`` for what ``found`` read; asserts the answers agree."""
    params = {name: term["id"] for name, term in found["presentation"].items()}
    params |= patient(found)
    classified = http.get("/classify", params=params).json()
    for key in CLASSIFIED:
        assert found[key] == classified[key], key
    assert found["next_steps"] == [s for s in classified["next_steps"] if s["applies"]]
    assert http.get(found["classify"]).json() == classified
    return dict(classified)


@pytest.mark.parametrize(
    ("text", "read", "words"),
    [
        ("45 year old woman with bloody discharge from one breast",
         {"age": 45, "sex": "female"}, {"age": "45 year old", "sex": "woman"}),
        ("45-year-old with bloody discharge from one breast", {"age": 45},
         {"age": "45-year-old"}),
        ("aged 45, bloody discharge from one breast, female", {"age": 45, "sex": "female"},
         {"age": "aged 45", "sex": "female"}),
        ("age 45, bloody discharge from one breast, I am a woman",
         {"age": 45, "sex": "female"}, {"age": "age 45", "sex": "woman"}),
        ("I am 28 and have milky discharge", {"age": 28}, {"age": "I am 28"}),
        ("a 30 year old man with nipple discharge", {"age": 30, "sex": "male"},
         {"age": "30 year old", "sex": "man"}),
        ("I stopped breastfeeding 8 months ago and have milky discharge",
         {"months_since_weaning": 8},
         {"months_since_weaning": "stopped breastfeeding 8 months ago"}),
    ],
)
def test_the_patient_is_read_and_classified_as_classify_does(
    http: httpx.Client, text: str, read: dict[str, Any], words: dict[str, str]
) -> None:
    found = classification(http, text)
    assert patient(found) == read
    assert {name: found[name]["matched"] for name in read} == words
    assert found["left_out"] == []
    classified = same_as_classify(http, found)
    if "sex" in read:
        assert found["sex"]["id"] == {"female": "NDKG:0000640", "male": "NDKG:0000641"}[
            read["sex"]]
    page = http.get(found["page"].split("#")[0])
    assert page.status_code == 200 and classified["bottom_line"] in page.text


def test_a_woman_of_45_gets_the_imaging_of_the_criteria(http: httpx.Client) -> None:
    found = classification(http, "45 year old woman with bloody discharge from one breast")
    imaging = found["imaging"]
    assert imaging["needed"] == [] and imaging["first"]
    assert imaging["reading"]["evidence"]["id"] == "ECO:0000305"
    classified = same_as_classify(http, found)
    assert classified["imaging"]["first"] == imaging["first"]


def test_stopping_breastfeeding_is_not_read_as_during_lactation(http: httpx.Client) -> None:
    later = classification(http, "I stopped breastfeeding 14 months ago and have milky "
                                 "discharge")
    assert "lactating" not in later["presentation"]
    assert later["lactation_window"]["context"]["label"] == "unrelated to lactation"
    assert later["verdict"] == "galactorrhea"
    same_as_classify(http, later)


@pytest.mark.parametrize(
    "text",
    ["milky discharge from 2 ducts", "6 months postpartum and milky discharge",
     "I'm 28 weeks pregnant and have milky discharge",
     "my 2 year old still nurses and I have milky discharge"],
)
def test_numbers_that_are_no_age_are_not_read_as_ages(http: httpx.Client, text: str) -> None:
    found = classification(http, text)
    assert found["age"] is None and found["left_out"] == []
    assert "age=" not in found["classify"]


def test_kin_words_give_no_sex(http: httpx.Client) -> None:
    found = classification(http, "my daughter has bloody discharge from one breast")
    assert found["sex"] is None


def test_values_classify_would_refuse_are_left_out_with_a_note(http: httpx.Client) -> None:
    old = classification(http, "a 130 year old woman with bloody discharge from one breast")
    assert old["age"] is None and old["sex"]["value"] == "female"
    assert old["left_out"] == [{"detail": "age", "matched": "130 year old",
                                "reason": "an age must be between 0 and 120 years"}]
    same_as_classify(http, old)
    contradicting = classification(
        http, "milky discharge, not breastfeeding; I stopped breastfeeding 3 months ago")
    assert contradicting["presentation"]["lactating"]["id"] == "NDKG:0000405"
    assert contradicting["months_since_weaning"] is None
    [note] = contradicting["left_out"]
    assert note["detail"] == "months_since_weaning"
    assert note["matched"] == "stopped breastfeeding 3 months ago"
    refused = http.get("/classify", params={"character": "PATO:0000323",
                                            "lactating": "NDKG:0000405",
                                            "months_since_weaning": 3})
    assert refused.status_code == 422
    assert note["reason"] == refused.json()["detail"][0]["msg"]
    same_as_classify(http, contradicting)


def documented_patients() -> list[tuple[str, str, str]]:
    """The rows of the table of patients read from words in ``docs/service.md``."""
    table = (PROJECT / "docs" / "service.md").read_text(encoding="utf-8").split(
        "| Text | Patient | Verdict and imaging |\n|---|---|---|\n")[1].split("\n\n")[0]
    return [(text, patient, verdict) for text, patient, verdict in (
        [cell.strip() for cell in row.strip("|").split("|")] for row in table.splitlines())]


@pytest.mark.parametrize(("text", "read", "answer"), documented_patients())
def test_the_documented_patients_are_read_as_documented(
    http: httpx.Client, text: str, read: str, answer: str
) -> None:
    found = classification(http, text)
    said = [f"{name} {value:g}" if isinstance(value, float) else f"{name} {value}"
            for name, value in patient(found).items()]
    said += [f"{note['detail']} left out" for note in found["left_out"]]
    assert sorted(read.split(", ")) == sorted(said)
    assert re.split("[;,]", answer)[0] == found["verdict"]
    if "first " in answer:
        first = [step["procedure"]["label"] for step in found["imaging"]["first"]]
        assert all(label in answer for label in first), first
    if "waits for the age" in answer:
        assert found["imaging"]["needed"] == ["age"]
    if "during lactation" in answer:
        assert found["lactation_window"]["context"]["label"] == "during lactation"
