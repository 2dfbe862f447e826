"""The imaging the criteria give a nipple discharge, for the patient's age and sex.

Read from the graph, not written here: the recommendations of the imaging criteria are claims
``procedure NDKG:0000013 setting`` (recommended management for) that name the patients they
apply to — ages in years (``NDKG:0000046``/``NDKG:0000047``, inclusive) and sex
(``NDKG:0000048``) — and where the step comes (``NDKG:0000050``: 1 first, 2 together with the
first, 3 added when its condition ``NDKG:0000051`` holds). The ratings of the earlier criteria
are statistics in the unit ``rating`` about a procedure, for a setting (``NDKG:0000052``) and
patients; the bands of the rating scale are the appropriateness categories (``NDKG:0000133``).

The criteria are given for pathologic nipple discharge. A presentation needing evaluation that
is not the pathologic pattern gets them through the curators' reading recorded in the graph:
a claim that imaging is recommended for it, citing the criteria, whose note says so.

>>> Rule("x", "p", "s", 30, 39, None, 1).fits(35, "female"), Rule("x", "p", "s", 30, 39, None,
...     1).fits(41, None)
(True, False)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from ndkg.answers.evidence import CLAIM_EVIDENCE, EVIDENCE_VARIABLES, Claim, number, read_claim
from ndkg.storage.store import Store
from ndkg.vocab import NDKG

IMAGING = str(NDKG.NDKG_0000502)
"""Diagnostic breast imaging: the procedures the criteria choose among are kinds of it."""

SEXES = {"female": str(NDKG.NDKG_0000640), "male": str(NDKG.NDKG_0000641)}
"""The sexes ``/classify`` takes, and their values in the graph."""

_RULES = f"""
SELECT ?subject ?class ?relation ?minAge ?maxAge ?sex {EVIDENCE_VARIABLES} WHERE {{
  BIND(NDKG:0000013 AS ?relation)
  ?claim rdf:predicate ?relation ; rdf:subject ?subject ; rdf:object ?class ;
      NDKG:0000050 ?stepOrder .
  FILTER EXISTS {{ ?subject rdfs:subClassOf* NDKG:0000502 }}
  OPTIONAL {{ ?claim NDKG:0000046 ?minAge }}
  OPTIONAL {{ ?claim NDKG:0000047 ?maxAge }}
  OPTIONAL {{ ?claim NDKG:0000048 ?sex }}
  ?claim
""" + CLAIM_EVIDENCE
_READINGS = f"""
SELECT ?subject ?class ?relation {EVIDENCE_VARIABLES} WHERE {{
  BIND(NDKG:0000013 AS ?relation)
  BIND(NDKG:0000502 AS ?subject)
  ?claim rdf:predicate ?relation ; rdf:subject ?subject ; rdf:object ?class ;
      RO:0002558 obo:ECO_0000305 .
  FILTER EXISTS {{ ?rule NDKG:0000050 ?step ; NDKG:0000006 ?citation }}
  ?claim
""" + CLAIM_EVIDENCE
_RATINGS = """
SELECT ?statistic ?procedure ?setting ?value ?minAge ?maxAge ?sex ?citation WHERE {
  ?statistic a NDKG:0000108 ; NDKG:0000019 "rating" ; NDKG:0000015 ?procedure ;
      NDKG:0000016 ?value ; NDKG:0000052 ?setting ; NDKG:0000006 ?citation .
  OPTIONAL { ?statistic NDKG:0000046 ?minAge }
  OPTIONAL { ?statistic NDKG:0000047 ?maxAge }
  OPTIONAL { ?statistic NDKG:0000048 ?sex }
}
"""
_CATEGORIES = """
SELECT ?category ?minimum ?maximum WHERE {
  ?category a NDKG:0000133 ; NDKG:0000017 ?minimum ; NDKG:0000018 ?maximum .
}
"""


@dataclass(frozen=True)
class Rule:
    """A recommendation of the criteria for some patients: claim, procedure, setting (the
    presentation class), ages, sex, step order and the condition of the step."""

    claim: object
    procedure: str
    setting: str
    min_age: int | None
    max_age: int | None
    sex: str | None
    order: int
    condition: str | None = None

    def fits(self, age: float | None, sex: str | None) -> bool:
        """Whether the rule applies to a patient of ``age`` and ``sex`` (a sex in the graph's
        IRIs, or the word of :data:`SEXES`); an unknown age fits no rule with an age bound."""
        wanted = SEXES.get(sex or "", sex)
        if self.sex is not None and self.sex != wanted:
            return False
        if age is None:
            return self.min_age is None and self.max_age is None
        return (self.min_age is None or age >= self.min_age) and (
            self.max_age is None or age <= self.max_age)


@dataclass(frozen=True)
class Rating:
    """An appropriateness rating of a procedure for a setting and patients, with its band."""

    statistic: str
    procedure: str
    setting: str
    value: float
    category: str | None
    citation: str
    min_age: int | None
    max_age: int | None
    sex: str | None

    def fits(self, age: float | None, sex: str | None) -> bool:
        """Whether the rating was given for a patient of ``age`` and ``sex``."""
        return Rule(self.statistic, self.procedure, self.setting, self.min_age, self.max_age,
                    self.sex, 1).fits(age, sex)


@dataclass(frozen=True)
class ImagingStep:
    """A procedure for the patient: its place among the steps, when it applies, the claims
    behind it (each source with its own evidence) and its rating, if the earlier criteria
    rated it for such patients."""

    procedure: str
    order: int
    conditions: tuple[str, ...]
    claims: tuple[Claim, ...]
    rating: Rating | None


@dataclass(frozen=True)
class Imaging:
    """The imaging of a presentation: for which setting of the criteria, through which
    reading (``reading``: the curators' claim, when the presentation is not that setting
    itself), for which patients, the steps, and what is still ``needed`` to choose them."""

    setting: str
    reading: Claim | None
    age: float | None
    sex: str | None
    needed: tuple[str, ...]
    steps: tuple[ImagingStep, ...]
    ratings: tuple[Rating, ...]


@dataclass
class ImagingCriteria:
    """The imaging criteria of the graph in ``store``."""

    store: Store

    @cached_property
    def rules(self) -> tuple[tuple[Rule, Claim], ...]:
        """Every recommendation of the criteria, with its claim."""
        found = []
        for row in self.store.select(_RULES, use_prefixes=True):
            claim = read_claim(row)
            found.append((Rule(
                claim.iri, str(row["subject"]), str(row["class"]), _whole(row.get("minAge")),
                _whole(row.get("maxAge")), _text(row.get("sex")), claim.order or 1,
                claim.condition,
            ), claim))
        return tuple(found)

    @cached_property
    def readings(self) -> dict[str, Claim]:
        """The curators' readings that apply the criteria to a class (class -> claim): their
        claims that imaging is recommended for it, citing the criteria."""
        rows = self.store.select(_READINGS, use_prefixes=True)
        return {str(row["class"]): read_claim(row) for row in rows}

    @cached_property
    def ratings(self) -> tuple[Rating, ...]:
        """Every appropriateness rating, with the band of the scale it falls in."""
        bands = [
            (number(row["minimum"]) or 0.0, number(row["maximum"]) or 0.0, str(row["category"]))
            for row in self.store.select(_CATEGORIES, use_prefixes=True)
        ]
        found = []
        for row in self.store.select(_RATINGS, use_prefixes=True):
            value = number(row["value"]) or 0.0
            band = next((c for low, high, c in bands if low <= value <= high), None)
            found.append(Rating(
                str(row["statistic"]), str(row["procedure"]), str(row["setting"]), value, band,
                str(row["citation"]), _whole(row.get("minAge")), _whole(row.get("maxAge")),
                _text(row.get("sex")),
            ))
        return tuple(sorted(found, key=lambda r: (r.setting, -r.value, r.procedure)))

    @cached_property
    def settings(self) -> frozenset[str]:
        """The presentation classes the criteria give imaging for."""
        return frozenset(rule.setting for rule, _ in self.rules)

    def for_presentation(
        self, classes: frozenset[str], age: float | None, sex: str | None
    ) -> Imaging | None:
        """The imaging of a presentation certainly in ``classes``, for a patient of ``age`` and
        ``sex`` (``female`` or ``male``, or ``None`` when not given); ``None`` when the
        criteria give no imaging for it."""
        reading = None
        setting = next((s for s in sorted(self.settings) if s in classes), None)
        if setting is None:
            reached = sorted(c for c in classes if c in self.readings)
            if not reached:
                return self._ratings_only(classes, age, sex)
            reading = self.readings[reached[0]]
            setting = next(iter(sorted(self.settings)), None)
            if setting is None:
                return None
        needed = tuple(name for name, value in (("age", age), ("sex", sex)) if value is None)
        steps: dict[str, list[tuple[Rule, Claim]]] = defaultdict(list)
        if not needed:
            for rule, claim in self.rules:
                if rule.setting == setting and rule.fits(age, sex):
                    steps[rule.procedure].append((rule, claim))
        ratings = tuple(r for r in self.ratings if r.setting == setting and not needed
                        and r.fits(age, sex))
        return Imaging(setting, reading, age, sex, needed, self._steps(steps, ratings), ratings)

    def _ratings_only(
        self, classes: frozenset[str], age: float | None, sex: str | None
    ) -> Imaging | None:
        """The ratings of a setting the criteria rate but give no steps for (physiologic
        discharge: every procedure rated usually not appropriate), or which of age and sex
        they need when the ratings depend on it."""
        rated = sorted({r.setting for r in self.ratings} & classes)
        if not rated:
            return None
        of_setting = [r for r in self.ratings if r.setting == rated[0]]
        needed = tuple(name for name, value, rated_by in (
            ("age", age, any(r.min_age is not None or r.max_age is not None for r in of_setting)),
            ("sex", sex, any(r.sex is not None for r in of_setting)),
        ) if rated_by and value is None)
        ratings = () if needed else tuple(r for r in of_setting if r.fits(age, sex))
        return Imaging(rated[0], None, age, sex, needed, (), ratings)

    @staticmethod
    def _steps(
        found: dict[str, list[tuple[Rule, Claim]]], ratings: tuple[Rating, ...]
    ) -> tuple[ImagingStep, ...]:
        steps = []
        for procedure, matched in found.items():
            order = min(rule.order for rule, _ in matched)
            conditions = tuple(dict.fromkeys(
                rule.condition for rule, _ in matched if rule.condition and rule.order == order
            ))
            rating = next((r for r in ratings if r.procedure == procedure), None)
            steps.append(ImagingStep(
                procedure, order, conditions, tuple(claim for _, claim in matched), rating
            ))
        return tuple(sorted(steps, key=lambda s: (s.order, s.procedure)))


def _whole(value: object) -> int | None:
    found = number(value)
    return None if found is None else int(found)


def _text(value: object) -> str | None:
    return None if value is None else str(value)
