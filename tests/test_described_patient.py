"""Reading the patient from words: only clear phrases give an age, a sex or the months since
weaning; numbers that are not ages, kin words and values out of range give nothing."""

from __future__ import annotations

import pytest

from ndkg.answers.patient import masked, read_patient


@pytest.mark.parametrize(
    ("text", "age", "sex", "months", "words"),
    [
        ("45 year old woman with bloody discharge from one breast", 45, "female", None,
         {"age": "45 year old", "sex": "woman"}),
        ("45-year-old with bloody discharge", 45, None, None, {"age": "45-year-old"}),
        ("aged 45, bloody nipple discharge", 45, None, None, {"age": "aged 45"}),
        ("age 45, bloody nipple discharge", 45, None, None, {"age": "age 45"}),
        ("Age: 52, female, serous discharge", 52, "female", None,
         {"age": "Age: 52", "sex": "female"}),
        ("I am 28 and have milky discharge", 28, None, None, {"age": "I am 28"}),
        ("I'm 33, milky discharge", 33, None, None, {"age": "I'm 33"}),
        ("a 30 year old man with nipple discharge", 30, "male", None,
         {"age": "30 year old", "sex": "man"}),
        ("bloody discharge, 61 years old, male", 61, "male", None,
         {"age": "61 years old", "sex": "male"}),
        ("I stopped breastfeeding 8 months ago and have milky discharge", None, None, 8,
         {"months_since_weaning": "stopped breastfeeding 8 months ago"}),
        ("weaned my son 2 years ago, milky discharge", None, None, 24,
         {"months_since_weaning": "weaned my son 2 years ago"}),
        ("it has been 6 weeks since I stopped nursing", None, None, 1.38,
         {"months_since_weaning": "6 weeks since I stopped nursing"}),
        ("I stopped breastfeeding a year ago", None, None, 12,
         {"months_since_weaning": "stopped breastfeeding a year ago"}),
        ("she has bloody discharge from one breast", None, "female", None, {"sex": "she"}),
        ("he has a bloody discharge from his nipple", None, "male", None, {"sex": "he"}),
        ("I'm a new mum with milky discharge", None, "female", None, {"sex": "mum"}),
    ],
)
def test_clear_phrases_give_the_patient(
    text: str, age: float | None, sex: str | None, months: float | None, words: dict[str, str]
) -> None:
    found = read_patient(text)
    assert (found.age, found.sex, found.months_since_weaning) == (age, sex, months)
    assert dict(found.words) == words
    assert found.left_out == ()


@pytest.mark.parametrize(
    "text",
    [
        "milky discharge from 2 ducts",
        "6 months postpartum and leaking milk",
        "I am 6 months postpartum with milky discharge",
        "I'm 28 weeks pregnant and have milky discharge",
        "my 2 year old still nurses and I have milky discharge",
        "I am nursing a 2 year old and leak milk",
        "my daughter is 15 and has bloody nipple discharge",
        "bloody discharge in my baby aged 6 months",
        "I have 3 children and a bloody discharge",
        "discharge for 10 days",
        "discharge 2 times a day, 5 ml",
    ],
)
def test_numbers_that_are_not_the_patients_age_give_none(text: str) -> None:
    assert read_patient(text).age is None


@pytest.mark.parametrize(
    "text",
    [
        "my daughter has bloody nipple discharge",
        "my husband has bloody nipple discharge",
        "my mother has discharge from one breast",
        "my baby is 3 months old and he feeds often; I have milky discharge",
        "my baby girl has milky discharge",
        "I am taking male hormones and have milky discharge from both breasts and female hormones",
    ],
)
def test_kin_words_and_pronouns_for_someone_else_give_no_sex(text: str) -> None:
    assert read_patient(text).sex is None


def test_values_out_of_range_or_twice_are_left_out_with_a_note() -> None:
    old = read_patient("a 130 year old woman with bloody nipple discharge")
    assert (old.age, old.sex) == (None, "female")
    assert [(n.detail, n.matched, n.reason) for n in old.left_out] == [
        ("age", "130 year old", "an age must be between 0 and 120 years")]
    both = read_patient("a 30 year old man, or a 60 year old man, with nipple discharge")
    assert both.age is None
    assert both.left_out[0].reason == "the text gives more than one age (30, 60)"
    sexes = read_patient("a woman and a man with nipple discharge")
    assert sexes.sex is None and sexes.left_out[0].detail == "sex"
    long_ago = read_patient("I stopped breastfeeding 200 years ago")
    assert long_ago.months_since_weaning is None
    assert long_ago.left_out[0].reason == "months since weaning must be between 0 and 1200"


def test_the_phrases_that_say_breastfeeding_stopped_are_masked_for_the_features() -> None:
    text = "I stopped breastfeeding, and have milky discharge"
    found = read_patient(text)
    assert found.months_since_weaning is None
    assert "breastfeeding" not in masked(text, found.spans)
    assert "milky discharge" in masked(text, found.spans)
