"""The patient a text describes: age, sex, and the months since the last pregnancy or since
breastfeeding stopped, read from clear phrases only.

A number is an age only in a phrase that says so: "45 year old", "45-year-old", "45 years old",
"45 yo", "aged 45", "age 45", "age: 45", or "I am 28" / "I'm 28" followed by the end of a clause
or a word such as "and" or "with" (never a unit: "I'm 28 weeks pregnant" gives no age). A
"N year old" counts where it opens the text or a clause, follows "I am" / "I'm" / "she is", or
names the patient ("a 45 year old woman"); not after a possessive ("my 2 year old"), not before
a word for someone else ("a 2 year old son"), and not after a verb ("nursing a 2 year old").
Numbers with a unit of time ("6 months postpartum", "2 ducts", "aged 6 months") are not ages.

The sex is read from words for the patient (:data:`FEMALE`, :data:`MALE`), never from words for
someone else ("my mother", "my baby girl": a possessive before the word) or kin words
("daughter", "husband"); "she" and "he" only when the text names nobody else.

The months since weaning are read from a phrase that says breastfeeding stopped and when: "I
stopped breastfeeding 8 months ago", "weaned my baby 2 years ago", "8 months since I stopped
nursing" (weeks and years are turned into months). A phrase saying breastfeeding stopped is
returned in :attr:`Patient.spans`, with or without a time, so that the features are not read
from it ("stopped breastfeeding" does not say the discharge is during lactation).

A detail read twice with different values, or out of range, is left out, with a note saying why.

>>> found = read_patient("45 year old woman with bloody discharge from one breast")
>>> found.age, found.sex, found.words["age"], found.words["sex"]
(45.0, 'female', '45 year old', 'woman')
>>> read_patient("I stopped breastfeeding 8 months ago").months_since_weaning
8.0
>>> read_patient("my 2 year old still nurses and I have 2 ducts leaking").age is None
True
>>> read_patient("a 130 year old with discharge").left_out[0].reason
'an age must be between 0 and 120 years'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

MAX_AGE = 120
"""The oldest age ``/classify`` takes, in years."""
MAX_MONTHS = 1200
"""The most months since weaning ``/classify`` takes."""

FEMALE = frozenset({"woman", "female", "mother", "mom", "mum", "mama", "lady", "girl", "she"})
"""Words that say the patient is female."""
MALE = frozenset({"man", "male", "gentleman", "boy", "he"})
"""Words that say the patient is male."""
PRONOUNS = frozenset({"she", "he"})
"""Sex words that are read only when the text names nobody but the patient."""
OTHERS = frozenset({
    "baby", "babies", "child", "children", "kid", "kids", "son", "daughter", "toddler",
    "infant", "newborn", "twins", "husband", "wife", "partner", "boyfriend", "girlfriend",
    "sister", "brother", "friend", "father", "dad", "grandmother", "grandfather", "aunt",
    "uncle", "niece", "nephew", "cousin", "grandchild", "grandson", "granddaughter",
})
"""Words for someone other than the patient: an age before one is theirs, and a text that
names one gives no sex from "she" or "he"."""
POSSESSIVES = frozenset({"my", "his", "her", "our", "their", "your"})
"""Words that, before a word for a person, say it is someone else (or a kin word follows)."""
POSSESSIVE_REACH = 3
"""How many words before an age or sex word a possessive may stand ("my little baby girl")."""
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
"""Numbers written as words, for the time since weaning ("a year ago", "two months ago")."""
MONTHS_PER = {"week": 12 / 52, "month": 1.0, "year": 12.0}
"""Units of time in months."""

_NUMBER = r"(?P<number>\d{1,4}(?:\.\d+)?)"
_TIME_UNIT = r"(?:weeks?|wks?|months?|mos?|days?|hours?|hrs?|minutes?|mins?)"
_YEAR_OLD = re.compile(
    rf"\b{_NUMBER}\s*-?\s*(?:years?|yrs?|yr)\s*-?\s*old\b|\b{_NUMBER.replace('number', 'yo')}"
    r"\s*(?:yo|y/o|y\.o\.)(?=\W|$)"
)
_AGED = re.compile(
    rf"\b(?:aged?)\s*:?\s*(?:of\s+)?{_NUMBER}\b(?!\s*-?\s*{_TIME_UNIT}\b)(?!\s*%)(?:\s*years?\b)?"
)
_I_AM = re.compile(
    rf"\b(?:i\s+am|i'm|im)\s+{_NUMBER}\b(?=\s*(?:$|[,.;:!?)]|(?:and|with|but|now|so|have|"
    r"having|has|had|female|male|woman|man|years?|yrs?)\b))(?:\s*years?\b)?"
)
_OPENERS = re.compile(r"(?:^|[,.;:!?(]|\bi\s+am|\bi'm|\bim|\bam|\b(?:she|he)\s+is|\b(?:she|he)'s)"
                      r"\s*(?:(?:a|an)\s+)?$")
_STOPPED = (
    r"(?:(?:stopped|quit|finished|ended)\s+(?:breast\s*-?\s*feeding|breastfeeding|nursing|"
    r"feeding|pumping|lactating)|weaned(?:\s+(?:my|our|the)\s+(?:baby|son|daughter|child|"
    r"toddler|twins))?)"
)
_AMOUNT = rf"(?P<amount>\d{{1,4}}(?:\.\d+)?|{'|'.join(NUMBER_WORDS)})\s+(?P<unit>week|month|year)s?"
_WEANING = (
    re.compile(rf"\b{_STOPPED}\s+(?:about\s+|around\s+|roughly\s+|some\s+)?{_AMOUNT}\s+ago\b"),
    re.compile(rf"\b{_AMOUNT}\s+(?:ago\s+)?(?:since|after)\s+(?:i\s+|we\s+|she\s+)?{_STOPPED}"),
)
_STOPPED_ONLY = re.compile(rf"\b{_STOPPED}")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class LeftOut:
    """A detail of the patient the text gives that is not used, and why."""

    detail: str
    matched: str
    reason: str


@dataclass(frozen=True)
class Patient:
    """What a text says of the patient: each detail (``None`` when it says nothing clear), the
    words that gave it, what was left out, and where the phrases read stand in the text."""

    age: float | None = None
    sex: str | None = None
    months_since_weaning: float | None = None
    words: Mapping[str, str] = field(default_factory=dict)
    left_out: tuple[LeftOut, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def given(self) -> bool:
        """Whether the text gives any detail of the patient."""
        return any(v is not None for v in (self.age, self.sex, self.months_since_weaning))


@dataclass(frozen=True)
class _Found:
    value: float | str
    matched: str
    span: tuple[int, int]


def read_patient(text: str) -> Patient:
    """The patient ``text`` describes."""
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text).replace("’", "'")
    left_out: list[LeftOut] = []
    values: dict[str, float | str] = {}
    words: dict[str, str] = {}
    spans: list[tuple[int, int]] = []
    readers = (("age", _ages, MAX_AGE, "an age must be between 0 and 120 years"),
               ("months_since_weaning", _months, MAX_MONTHS,
                "months since weaning must be between 0 and 1200"),
               ("sex", _sexes, None, ""))
    for name, reader, most, reason in readers:
        found = reader(lowered)
        spans += [f.span for f in found]
        kept = []
        for f in found:
            if most is not None and isinstance(f.value, float) and f.value > most:
                left_out.append(LeftOut(name, text[f.span[0]:f.span[1]], reason))
            else:
                kept.append(f)
        distinct = {f.value for f in kept}
        if len(distinct) > 1:
            shown = ", ".join(_shown(v) for v in sorted(distinct, key=str))
            left_out.append(LeftOut(name, "; ".join(text[f.span[0]:f.span[1]] for f in kept),
                                    f"the text gives more than one {_names(name)} ({shown})"))
        elif kept:
            values[name] = kept[0].value
            words[name] = text[kept[0].span[0]:kept[0].span[1]]
    spans += [m.span() for m in _STOPPED_ONLY.finditer(lowered)]
    age, months, sex = values.get("age"), values.get("months_since_weaning"), values.get("sex")
    return Patient(
        age=float(age) if age is not None else None,
        sex=str(sex) if sex is not None else None,
        months_since_weaning=float(months) if months is not None else None,
        words=words, left_out=tuple(left_out), spans=tuple(sorted(set(spans))),
    )


def masked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """``text`` with the characters of ``spans`` blanked, so that nothing else reads them.

    >>> masked("stopped breastfeeding 8 months ago, milky", ((0, 34),)).strip()
    ', milky'
    """
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _ages(text: str) -> list[_Found]:
    found = []
    for kind, pattern in (("year old", _YEAR_OLD), ("aged", _AGED), ("i am", _I_AM)):
        for match in pattern.finditer(text):
            number = match.group("number") or match.groupdict().get("yo")
            if kind == "i am" or not _someone_elses(text, match.start(), match.end(), kind):
                found.append(_Found(float(number or 0), match.group(0), match.span()))
    return sorted(found, key=lambda f: f.span)


def _someone_elses(text: str, start: int, end: int, kind: str) -> bool:
    """Whether the age phrase of ``kind`` at ``start``-``end`` is someone else's: a word for
    someone else just before or after it; for a "N year old", a possessive just before it in
    its clause ("my 2 year old"), or a phrase that neither opens a clause nor names the
    patient ("nursing a 2 year old")."""
    before = [_base(w) for w in _WORD.findall(text[:start])][-2:]
    after = [_base(w) for w in _WORD.findall(text[end:])][:1]
    if OTHERS & set(before) or OTHERS & set(after) or _kin(before):
        return True
    if kind != "year old":
        return False
    clause = re.split(r"[,.;:!?()]", text[:start])[-1]
    if POSSESSIVES & {_base(w) for w in _WORD.findall(clause)[-2:]}:
        return True
    names_patient = bool(after) and after[0] in FEMALE | MALE | {"patient", "person"}
    return not names_patient and _OPENERS.search(text[:start]) is None


def _kin(words: list[str]) -> bool:
    """Whether ``words`` hold a word for a person after a possessive ("my girl")."""
    return any(a in POSSESSIVES and b in FEMALE | MALE for a, b in pairwise(words))


def _months(text: str) -> list[_Found]:
    found = []
    for pattern in _WEANING:
        for match in pattern.finditer(text):
            amount = match.group("amount")
            count = float(NUMBER_WORDS[amount]) if amount in NUMBER_WORDS else float(amount)
            months = round(count * MONTHS_PER[match.group("unit")], 2)
            found.append(_Found(months, match.group(0), match.span()))
    return sorted(found, key=lambda f: f.span)


def _sexes(text: str) -> list[_Found]:
    tokens = [(_base(m.group(0)), m.span()) for m in _WORD.finditer(text)]
    words = [word for word, _ in tokens]
    others = bool(OTHERS & set(words)) or _kin(words)
    found = []
    for index, (word, span) in enumerate(tokens):
        sex = "female" if word in FEMALE else "male" if word in MALE else None
        if sex is None or (word in PRONOUNS and others):
            continue
        before = set(words[max(index - POSSESSIVE_REACH, 0):index])
        after = words[index + 1] if index + 1 < len(words) else ""
        if before & POSSESSIVES or after.startswith("hormone"):
            continue
        found.append(_Found(sex, text[span[0]:span[1]], span))
    return found


def _base(word: str) -> str:
    """A word without its clitic: "she's" is "she"."""
    return word.split("'")[0]


def _shown(value: float | str) -> str:
    return f"{value:g}" if isinstance(value, float) else value


def _names(name: str) -> str:
    return {"age": "age", "sex": "sex", "months_since_weaning": "time since weaning"}[name]
