"""Classify a nipple discharge presentation with what the build computed: no reasoning here.

The build made one individual per combination of feature values and let HermiT classify them
(:mod:`ndkg.model.presentations`). A presentation given with some features names the
combinations that have those values (a missing feature matches any value); the answer is read
from them and from the graph:

- **verdict**: ``physiologic`` or ``pathologic`` when every matching combination falls in
  physiologic (``NDKG:0000301``) or pathologic (``NDKG:0000302``) nipple discharge,
  ``indeterminate`` otherwise; when the combinations disagree, the missing features whose
  value would change the verdict (or the presentation classes) are named;
- **patterns**: each defining feature of the two patterns (read from their OWL equivalence
  axioms), met, not met or missing;
- **causes**: what the graph says causes (``RO:0003302`` and its sub-properties) a
  presentation class the combinations fall in, ranked by the share of matching combinations in
  that class, then by how specific the class is (how few of all combinations it holds), then by
  evidence (citations with a PubMed ID or DOI, then claims), each with its claims;
- **next steps**: management claims (``NDKG:0000013``) about those classes;
- **statistics** about those classes, and, given the weeks since childbirth, a **time course**:
  where that time falls against the figures measured in weeks or months about those classes
  or their causes.

>>> weeks_in(3, "month")
13.0
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from ndkg.errors import ParameterError
from ndkg.lexicon import Lexicon, compress
from ndkg.store import Store
from ndkg.vocab import NDKG, Graphs

FEATURES: Mapping[str, str] = {
    "laterality": str(NDKG.NDKG_0000007),
    "ducts": str(NDKG.NDKG_0000008),
    "character": str(NDKG.NDKG_0000009),
    "onset": str(NDKG.NDKG_0000010),
    "lactating": str(NDKG.NDKG_0000011),
}
"""The features a presentation is given with, and the properties of the graph they stand for."""

PHYSIOLOGIC = str(NDKG.NDKG_0000301)
PATHOLOGIC = str(NDKG.NDKG_0000302)

WEEKS_PER_UNIT: Mapping[str, float] = {"day": 1 / 7, "week": 1.0, "month": 52 / 12, "year": 52.0}
"""Units of the graph's time figures, in weeks."""


class Verdict(StrEnum):
    """Which pattern a presentation fits."""

    physiologic = "physiologic"
    pathologic = "pathologic"
    indeterminate = "indeterminate"


_PATTERNS = {PHYSIOLOGIC: Verdict.physiologic, PATHOLOGIC: Verdict.pathologic}


def weeks_in(amount: float, unit: str) -> float | None:
    """``amount`` of ``unit`` in weeks, or ``None`` for a unit that is not a time."""
    factor = WEEKS_PER_UNIT.get(unit.rstrip("s"))
    return None if factor is None else round(amount * factor, 2)


_FEATURE_VALUES = """
SELECT ?property ?value WHERE {
  VALUES ?property { %s }
  ?property rdfs:range/owl:unionOf/rdf:rest*/rdf:first ?value .
}
"""
_COMBINATIONS = f"""
SELECT ?combination ?property ?value WHERE {{
  GRAPH <{Graphs.CLASSIFICATION}> {{
    ?combination a NDKG:0000117 ; ?property ?individual .
    ?individual a ?value .
  }}
}}
"""
_CLASSES = f"""
SELECT ?combination ?class WHERE {{
  GRAPH <{Graphs.INFERRED}> {{ ?combination a ?class }}
  ?class rdfs:subClassOf NDKG:0000117 .
}}
"""
_DEFINITIONS = """
SELECT ?class ?property ?value WHERE {
  ?class rdfs:subClassOf NDKG:0000117 ;
      owl:equivalentClass/owl:intersectionOf/rdf:rest*/rdf:first ?restriction .
  ?restriction owl:onProperty ?property ; owl:someValuesFrom ?filler .
  OPTIONAL { ?filler owl:unionOf/rdf:rest*/rdf:first ?member }
  BIND(COALESCE(?member, ?filler) AS ?value)
}
"""
_CLAIM_EVIDENCE = """
      NDKG:0000006 ?citation ; RO:0002558 ?evidence ; NDKG:0000003 ?reviewStatus ;
      NDKG:0000002 ?text .
  OPTIONAL { ?claim NDKG:0000029 ?qualifier }
  OPTIONAL { ?citation NDKG:0000024 ?pmid }
  OPTIONAL { ?citation NDKG:0000025 ?doi }
}
"""
_CAUSE_CLAIMS = """
SELECT ?subject ?class ?relation ?claim ?citation ?evidence ?reviewStatus ?text ?qualifier
       ?pmid ?doi WHERE {
  ?class rdfs:subClassOf NDKG:0000117 .
  ?subject RO:0003302 ?class ; rdfs:subClassOf* ?claimSubject .
  ?claim rdf:subject ?claimSubject ; rdf:object ?class ; rdf:predicate ?relation ;
""" + _CLAIM_EVIDENCE
_MANAGEMENT_CLAIMS = """
SELECT ?subject ?class ?relation ?claim ?citation ?evidence ?reviewStatus ?text ?qualifier
       ?pmid ?doi WHERE {
  BIND(NDKG:0000013 AS ?relation)
  ?claim rdf:predicate ?relation ; rdf:subject ?subject ; rdf:object ?class ;
""" + _CLAIM_EVIDENCE
_STATISTICS = """
SELECT ?statistic ?about ?measure ?value ?minimum ?maximum ?unit ?population ?timePoint
       ?months ?citation ?evidence ?reviewStatus ?text WHERE {
  ?statistic a NDKG:0000108 ; NDKG:0000015 ?about ; NDKG:0000028 ?measure ;
      NDKG:0000019 ?unit ; NDKG:0000022 ?population ; NDKG:0000023 ?timePoint ;
      NDKG:0000006 ?citation ; RO:0002558 ?evidence ; NDKG:0000003 ?reviewStatus ;
      NDKG:0000002 ?text .
  OPTIONAL { ?statistic NDKG:0000016 ?value }
  OPTIONAL { ?statistic NDKG:0000017 ?minimum ; NDKG:0000018 ?maximum }
  OPTIONAL { ?statistic NDKG:0000031 ?months }
}
"""


@dataclass(frozen=True)
class Combination:
    """One combination of feature values (property -> value) and the presentation classes
    it falls in."""

    iri: str
    values: Mapping[str, str]
    classes: frozenset[str]

    @property
    def verdict(self) -> Verdict:
        """The pattern this combination fits, if any."""
        fitting = [verdict for cls, verdict in _PATTERNS.items() if cls in self.classes]
        return fitting[0] if len(fitting) == 1 else Verdict.indeterminate


@dataclass(frozen=True)
class Claim:
    """A claim (or statistic) with its evidence, as rows of the graph give it."""

    iri: str
    subject: str
    relation: str
    object: str
    citation: str
    evidence: str
    review_status: str
    text: str
    qualifier: str | None = None
    pmid: str | None = None
    doi: str | None = None


@dataclass(frozen=True)
class Statistic:
    """A figure of the graph about a term."""

    iri: str
    about: str
    measure: str
    unit: str
    population: str
    time_point: str
    evidence: Claim
    value: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    months_postpartum: float | None = None


@dataclass(frozen=True)
class FeatureCheck:
    """A defining feature of a pattern, and the value the presentation has for it."""

    feature: str
    allowed: tuple[str, ...]
    given: str | None

    @property
    def status(self) -> str:
        """``met``, ``not met`` or ``missing``."""
        if self.given is None:
            return "missing"
        return "met" if self.given in self.allowed else "not met"


@dataclass(frozen=True)
class Outcome:
    """What the matching combinations with one value of a missing feature fit and fall in."""

    verdicts: frozenset[Verdict]
    classes: frozenset[str]


@dataclass(frozen=True)
class Decider:
    """A missing feature whose value changes the verdict or the presentation classes, and the
    outcome of each of its values."""

    feature: str
    outcomes: Mapping[str, Outcome]

    @property
    def decides_verdict(self) -> bool:
        """Whether knowing this feature changes the verdict."""
        return len({o.verdicts for o in self.outcomes.values()}) > 1


@dataclass(frozen=True)
class PresentationClass:
    """A presentation class some matching combinations fall in."""

    iri: str
    share: float
    size: int


@dataclass(frozen=True)
class Cause:
    """A candidate cause, the class through which it is linked, and the claims behind it."""

    iri: str
    presentation: PresentationClass
    claims: tuple[Claim, ...]

    @property
    def strength(self) -> tuple[int, int]:
        """Citations with a PubMed ID or DOI, then claims."""
        verified = {c.citation for c in self.claims if c.pmid or c.doi}
        return len(verified), len(self.claims)


@dataclass(frozen=True)
class Step:
    """A recommended management action, for a class the presentation falls in (``applies``) or
    may fall in."""

    action: str
    presentation: PresentationClass
    claims: tuple[Claim, ...]

    @property
    def applies(self) -> bool:
        """Whether every matching combination is in the class."""
        return self.presentation.share == 1.0


@dataclass(frozen=True)
class TimePoint:
    """Where the weeks since childbirth fall against a time figure: before, within (or at),
    after."""

    statistic: Statistic
    weeks: tuple[float, float]
    position: str


@dataclass(frozen=True)
class Classification:
    """The classification of a presentation."""

    given: Mapping[str, str]
    weeks_postpartum: float | None
    verdict: Verdict
    combinations: tuple[Combination, ...]
    patterns: Mapping[str, tuple[FeatureCheck, ...]]
    deciders: tuple[Decider, ...]
    classes: tuple[PresentationClass, ...]
    causes: tuple[Cause, ...]
    steps: tuple[Step, ...]
    statistics: tuple[Statistic, ...]
    time_course: tuple[TimePoint, ...] = field(default_factory=tuple)

    @property
    def settled(self) -> bool:
        """Whether every matching combination has the same verdict."""
        return len({c.verdict for c in self.combinations}) == 1

    def counts(self) -> dict[str, int]:
        """How many matching combinations fit each verdict."""
        counted = {verdict.value: 0 for verdict in Verdict}
        for combination in self.combinations:
            counted[combination.verdict.value] += 1
        return counted


@dataclass
class Classifier:
    """Classifies presentations with the classification stored in ``store``."""

    store: Store
    lexicon: Lexicon

    @cached_property
    def feature_values(self) -> dict[str, tuple[str, ...]]:
        """The values of each feature (by name), as the ranges of its property list them."""
        properties = " ".join(f"<{iri}>" for iri in FEATURES.values())
        found: dict[str, list[str]] = defaultdict(list)
        for row in self.store.select(_FEATURE_VALUES % properties, use_prefixes=True):
            found[row["property"]].append(row["value"])
        return {name: tuple(found[iri]) for name, iri in FEATURES.items()}

    @cached_property
    def combinations(self) -> tuple[Combination, ...]:
        """Every combination the build classified."""
        allowed = {FEATURES[name]: set(values) for name, values in self.feature_values.items()}
        values: dict[str, dict[str, str]] = defaultdict(dict)
        for row in self.store.select(_COMBINATIONS, use_prefixes=True):
            if row["value"] in allowed.get(row["property"], ()):
                values[row["combination"]][row["property"]] = row["value"]
        classes: dict[str, set[str]] = defaultdict(set)
        for row in self.store.select(_CLASSES, use_prefixes=True):
            classes[row["combination"]].add(row["class"])
        return tuple(
            Combination(iri, features, frozenset(classes[iri]))
            for iri, features in sorted(values.items())
        )

    @cached_property
    def definitions(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """Each defined presentation class: its features and the values each may take."""
        found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for row in self.store.select(_DEFINITIONS, use_prefixes=True):
            found[row["class"]][row["property"]].append(row["value"])
        return {cls: {p: tuple(v) for p, v in props.items()} for cls, props in found.items()}

    @cached_property
    def cause_claims(self) -> tuple[Claim, ...]:
        """Claims that something causes or contributes to a presentation class."""
        return tuple(_claim(row) for row in self.store.select(_CAUSE_CLAIMS, use_prefixes=True))

    @cached_property
    def management_claims(self) -> tuple[Claim, ...]:
        """Claims that a management action is recommended for a presentation class."""
        rows = self.store.select(_MANAGEMENT_CLAIMS, use_prefixes=True)
        return tuple(_claim(row) for row in rows)

    @cached_property
    def statistics(self) -> tuple[Statistic, ...]:
        """Every figure of the graph."""
        return tuple(_statistic(row) for row in self.store.select(_STATISTICS, use_prefixes=True))

    @cached_property
    def class_sizes(self) -> dict[str, int]:
        """How many of all combinations each presentation class holds."""
        sizes: dict[str, int] = defaultdict(int)
        for combination in self.combinations:
            for cls in combination.classes:
                sizes[cls] += 1
        return dict(sizes)

    def allowed(self, name: str) -> list[str]:
        """The allowed values of feature ``name`` as ``CURIE (label)``."""
        return [f"{compress(v)} ({self.lexicon.label(v)})" for v in self.feature_values[name]]

    def resolve(self, name: str, value: str) -> str:
        """The value of feature ``name`` that ``value`` (an IRI, CURIE or word) names.

        :raises ParameterError: for an unknown feature or a value that is not one of its values.
        """
        if name not in FEATURES:
            raise ParameterError(name, f"unknown feature {name!r}; known: {', '.join(FEATURES)}")
        matches = sorted(self.lexicon.lookup(value) & set(self.feature_values[name]))
        if not matches:
            raise ParameterError(
                name, f"{value!r} is not an allowed value of {name!r}", self.allowed(name)
            )
        return matches[0]

    def classify(
        self, features: Mapping[str, str | None], weeks_postpartum: float | None = None
    ) -> Classification:
        """Classify the presentation with ``features`` (name -> IRI, CURIE or word; missing or
        ``None`` means any value).

        :raises ParameterError: for an unknown feature or value, or a negative number of weeks.
        """
        if weeks_postpartum is not None and weeks_postpartum < 0:
            raise ParameterError("weeks_postpartum", "weeks postpartum cannot be negative")
        given = {
            name: self.resolve(name, value) for name, value in features.items() if value
        }
        wanted = {FEATURES[name]: value for name, value in given.items()}
        matching = tuple(
            c for c in self.combinations
            if all(c.values.get(p) == v for p, v in wanted.items())
        )
        verdicts = {c.verdict for c in matching}
        verdict = verdicts.pop() if len(verdicts) == 1 else Verdict.indeterminate
        classes = self._classes(matching)
        causes = self._causes(classes)
        return Classification(
            given=given,
            weeks_postpartum=weeks_postpartum,
            verdict=verdict,
            combinations=matching,
            patterns={
                pattern: tuple(
                    FeatureCheck(prop, allowed, wanted.get(prop))
                    for prop, allowed in self.definitions.get(pattern, {}).items()
                )
                for pattern in _PATTERNS
            },
            deciders=self._deciders(matching, given),
            classes=classes,
            causes=causes,
            steps=self._steps(classes),
            statistics=tuple(s for s in self.statistics if s.about in {c.iri for c in classes}),
            time_course=self._time_course(classes, causes, weeks_postpartum),
        )

    def _classes(self, matching: tuple[Combination, ...]) -> tuple[PresentationClass, ...]:
        counts: dict[str, int] = defaultdict(int)
        for combination in matching:
            for cls in combination.classes:
                counts[cls] += 1
        found = [
            PresentationClass(cls, n / len(matching), self.class_sizes[cls])
            for cls, n in counts.items()
        ]
        return tuple(sorted(found, key=lambda c: (-c.share, c.size, c.iri)))

    def _deciders(
        self, matching: tuple[Combination, ...], given: Mapping[str, str]
    ) -> tuple[Decider, ...]:
        found = []
        for name, prop in FEATURES.items():
            if name in given:
                continue
            verdicts: dict[str, set[Verdict]] = defaultdict(set)
            classes: dict[str, set[str]] = defaultdict(set)
            for combination in matching:
                verdicts[combination.values[prop]].add(combination.verdict)
                classes[combination.values[prop]].update(combination.classes)
            outcomes = {v: Outcome(frozenset(verdicts[v]), frozenset(classes[v])) for v in verdicts}
            if len(set(outcomes.values())) > 1:
                found.append(Decider(name, outcomes))
        return tuple(sorted(found, key=lambda d: (not d.decides_verdict, d.feature)))

    def _causes(self, classes: tuple[PresentationClass, ...]) -> tuple[Cause, ...]:
        by_class = {c.iri: c for c in classes}
        claims: dict[tuple[str, str], list[Claim]] = defaultdict(list)
        for claim in self.cause_claims:
            if claim.object in by_class:
                claims[(claim.subject, claim.object)].append(claim)
        best: dict[str, Cause] = {}
        for (cause, cls), found in claims.items():
            candidate = Cause(cause, by_class[cls], tuple(found))
            if cause not in best or _rank(candidate) < _rank(best[cause]):
                best[cause] = candidate
        return tuple(sorted(best.values(), key=lambda c: (*_rank(c), self.lexicon.label(c.iri))))

    def _steps(self, classes: tuple[PresentationClass, ...]) -> tuple[Step, ...]:
        by_class = {c.iri: c for c in classes}
        claims: dict[tuple[str, str], list[Claim]] = defaultdict(list)
        for claim in self.management_claims:
            if claim.object in by_class:
                claims[(claim.subject, claim.object)].append(claim)
        steps = [Step(action, by_class[cls], tuple(c)) for (action, cls), c in claims.items()]
        return tuple(sorted(steps, key=lambda s: (-s.presentation.share, s.presentation.size,
                                                  self.lexicon.label(s.action))))

    def _time_course(
        self, classes: tuple[PresentationClass, ...], causes: tuple[Cause, ...],
        weeks: float | None,
    ) -> tuple[TimePoint, ...]:
        if weeks is None:
            return ()
        about = {c.iri for c in classes} | {c.iri for c in causes}
        found = []
        for statistic in self.statistics:
            if statistic.about in about and _is_time(statistic):
                span = _weeks(statistic)
                if span is not None:
                    found.append(TimePoint(statistic, span, _position(weeks, span)))
        return tuple(sorted(found, key=lambda t: (t.weeks, t.statistic.iri)))


def _rank(cause: Cause) -> tuple[float, int, int, int]:
    verified, claims = cause.strength
    return -cause.presentation.share, cause.presentation.size, -verified, -claims


def _is_time(statistic: Statistic) -> bool:
    return statistic.months_postpartum is not None or weeks_in(1, statistic.unit) is not None


def _weeks(statistic: Statistic) -> tuple[float, float] | None:
    if statistic.months_postpartum is not None:
        at = weeks_in(statistic.months_postpartum, "month")
        return None if at is None else (at, at)
    low = statistic.minimum if statistic.minimum is not None else statistic.value
    high = statistic.maximum if statistic.maximum is not None else statistic.value
    if low is None or high is None:
        return None
    start, end = weeks_in(low, statistic.unit), weeks_in(high, statistic.unit)
    return None if start is None or end is None else (start, end)


def _position(weeks: float, span: tuple[float, float]) -> str:
    if weeks < span[0]:
        return "before"
    if weeks > span[1]:
        return "after"
    return "at" if span[0] == span[1] else "within"


def _number(text: str | None) -> float | None:
    return None if text is None else float(text)


def _claim(row: Mapping[str, str]) -> Claim:
    return Claim(
        iri=row["claim"], subject=row["subject"], relation=row["relation"], object=row["class"],
        citation=row["citation"], evidence=row["evidence"], review_status=row["reviewStatus"],
        text=row["text"], qualifier=row.get("qualifier"), pmid=row.get("pmid"),
        doi=row.get("doi"),
    )


def _statistic(row: Mapping[str, str]) -> Statistic:
    evidence = Claim(
        iri=row["statistic"], subject=row["statistic"], relation=str(NDKG.NDKG_0000015),
        object=row["about"], citation=row["citation"], evidence=row["evidence"],
        review_status=row["reviewStatus"], text=row["text"],
    )
    return Statistic(
        iri=row["statistic"], about=row["about"], measure=row["measure"], unit=row["unit"],
        population=row["population"], time_point=row["timePoint"], evidence=evidence,
        value=_number(row.get("value")), minimum=_number(row.get("minimum")),
        maximum=_number(row.get("maximum")), months_postpartum=_number(row.get("months")),
    )
