"""Classify a nipple discharge presentation with what the build computed: no reasoning here.

The build made one individual per combination of known feature values, every feature either
given or left open, and let HermiT classify them (:mod:`ndkg.model.presentations`). A
presentation given with some features *is* one of those combinations; its answer is read from
the graph:

- **verdict**: the class of lowest verdict priority (``NDKG:0000038``) the presentation falls
  in: pathologic, needing evaluation, galactorrhea, physiologic, outside the source's patterns,
  or insufficient information when it is described too little to decide;
- **completions**: the combinations of every feature that agree with the given ones; how many
  fit each verdict, and the missing features whose value would change the verdict or the
  presentation classes (the features that would decide);
- **patterns**: each defining feature of the flat defined patterns (physiologic, pathologic,
  galactorrhea: read from their OWL equivalence axioms), met, not met or missing;
- **causes**: what the graph says causes (``RO:0003302`` and its sub-properties) a presentation
  class the completions fall in, ranked by how directly the graph ties them to the
  presentation asked about (:func:`directness`), never by the kind of citation;
- **next steps**: management claims (``NDKG:0000013``) about those classes, the ones about
  classes the presentation is certainly in first; every verdict class has one;
- **statistics** about those classes, and, given the weeks since childbirth, a **time course**:
  where that time falls against the figures measured in weeks or months;
- **conflicts**: the curators' records of statements that disagree, for every statement shown.

>>> weeks_in(3, "month")
13.0
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from ndkg.answers.evidence import (
    CLAIM_EVIDENCE,
    CONFLICTS,
    EVIDENCE_VARIABLES,
    STATISTICS,
    Claim,
    Conflict,
    Statistic,
    read_claim,
    read_statistic,
)
from ndkg.answers.imaging import SEXES, Imaging, ImagingCriteria
from ndkg.answers.lexicon import Lexicon, compress, field_match
from ndkg.errors import ParameterError
from ndkg.storage.store import Store
from ndkg.vocab import NDKG, OBO, Graphs

FEATURES: Mapping[str, str] = {
    "laterality": str(NDKG.NDKG_0000007),
    "ducts": str(NDKG.NDKG_0000008),
    "character": str(NDKG.NDKG_0000009),
    "onset": str(NDKG.NDKG_0000010),
    "lactating": str(NDKG.NDKG_0000011),
}
"""The features a presentation is given with, and the properties of the graph they stand for."""

LACTATING, UNRELATED = str(NDKG.NDKG_0000404), str(NDKG.NDKG_0000405)
PHYSIOLOGIC = str(NDKG.NDKG_0000301)
PATHOLOGIC = str(NDKG.NDKG_0000302)
GALACTORRHEA = str(NDKG.NDKG_0000214)


class Verdict(StrEnum):
    """What a presentation is, for its next step: one class of the graph each."""

    pathologic = "pathologic"
    needs_evaluation = "needs_evaluation"
    galactorrhea = "galactorrhea"
    physiologic = "physiologic"
    outside_patterns = "outside_patterns"
    insufficient_information = "insufficient_information"


VERDICT_CLASSES: Mapping[str, Verdict] = {
    PATHOLOGIC: Verdict.pathologic,
    str(NDKG.NDKG_0000309): Verdict.needs_evaluation,
    GALACTORRHEA: Verdict.galactorrhea,
    PHYSIOLOGIC: Verdict.physiologic,
    str(NDKG.NDKG_0000311): Verdict.outside_patterns,
    str(NDKG.NDKG_0000312): Verdict.insufficient_information,
}
"""The class of the graph behind each verdict; their order is the graph's verdict priority."""

PATTERNS = (PHYSIOLOGIC, PATHOLOGIC, GALACTORRHEA)
"""The defined classes whose defining features an answer checks one by one."""

RELATION_STRENGTH: Mapping[str, int] = {
    str(OBO.RO_0003303): 0,  # causes condition
    str(OBO.RO_0003302): 1,  # causes or contributes to condition
    str(OBO.RO_0003304): 2,  # contributes to condition
}
"""How directly a causal relation ties its subject to its object (0 the most direct)."""

WEEKS_PER_UNIT: Mapping[str, float] = {"day": 1 / 7, "week": 1.0, "month": 52 / 12, "year": 52.0}
"""Units of the graph's time figures, in weeks."""


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
    ?combination a NDKG:0000117 .
    OPTIONAL {{ ?combination ?property ?individual . ?individual a ?value . }}
  }}
}}
"""
_CLASSES = f"""
SELECT ?combination ?class WHERE {{
  {{ GRAPH <{Graphs.INFERRED}> {{ ?combination a ?class }} }}
  UNION {{ GRAPH <{Graphs.CLASSIFICATION}> {{ ?combination a ?class }} }}
  ?class rdfs:subClassOf NDKG:0000117 .
}}
"""
_PRIORITIES = "SELECT ?class ?priority WHERE { ?class NDKG:0000038 ?priority }"
_DEFINITIONS = """
SELECT ?class ?property ?value WHERE {
  ?class rdfs:subClassOf NDKG:0000117 ;
      owl:equivalentClass/owl:intersectionOf/rdf:rest*/rdf:first ?restriction .
  ?restriction owl:onProperty ?property ; owl:someValuesFrom ?filler .
  OPTIONAL { ?filler owl:unionOf/rdf:rest*/rdf:first ?member }
  BIND(COALESCE(?member, ?filler) AS ?value)
}
"""
_CAUSE_CLAIMS = f"""
SELECT ?subject ?claimSubject ?class ?relation {EVIDENCE_VARIABLES} WHERE {{
  ?class rdfs:subClassOf NDKG:0000117 .
  ?subject RO:0003302 ?class ; rdfs:subClassOf* ?claimSubject .
  ?claim rdf:subject ?claimSubject ; rdf:object ?class ; rdf:predicate ?relation ;
""" + CLAIM_EVIDENCE
_MANAGEMENT_CLAIMS = f"""
SELECT ?subject ?class ?relation {EVIDENCE_VARIABLES} WHERE {{
  BIND(NDKG:0000013 AS ?relation)
  ?claim rdf:predicate ?relation ; rdf:subject ?subject ; rdf:object ?class .
  FILTER NOT EXISTS {{ ?claim NDKG:0000046|NDKG:0000047|NDKG:0000048 ?patients }}
  ?claim
""" + CLAIM_EVIDENCE
@dataclass(frozen=True)
class Combination:
    """One combination of known feature values (property -> value; a feature left open has
    none) and the presentation classes it falls in."""

    iri: str
    values: Mapping[str, str]
    classes: frozenset[str]

    @property
    def complete(self) -> bool:
        """Whether every feature has a value."""
        return len(self.values) == len(FEATURES)


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
    """What the completions with one value of a missing feature fit and fall in."""

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
    """A presentation class that completions of the presentation fall in: ``share`` of them
    (1.0: the presentation certainly is one); ``size``: how many of all complete combinations
    it holds (fewer: more specific)."""

    iri: str
    share: float
    size: int

    @property
    def certain(self) -> bool:
        """Whether the presentation is in this class whatever its missing features are."""
        return self.share == 1.0


@dataclass(frozen=True)
class Cause:
    """A candidate cause, the class through which it is linked, and the claims behind it."""

    iri: str
    presentation: PresentationClass
    claims: tuple[Claim, ...]

    @property
    def inherited(self) -> bool:
        """Whether every claim is about a broader term than the cause itself (for example an
        antipsychotic, through what the claims say of dopamine-affecting medications)."""
        return all(c.subject != self.iri for c in self.claims)

    @property
    def primary(self) -> bool:
        """Whether a claim names the cause as the primary one."""
        return any(c.primary for c in self.claims)

    @property
    def relation(self) -> int:
        """The strength of the most direct relation among the claims (0: causes)."""
        return min(RELATION_STRENGTH.get(c.relation, len(RELATION_STRENGTH)) for c in self.claims)


def directness(cause: Cause) -> tuple[float, int, bool, int, bool]:
    """How directly the graph ties ``cause`` to the presentation asked about, as a sort key
    (smaller: more direct): the share of the presentation's completions in the class the cause
    is linked to (all of them first), how specific that class is, whether the claims are about
    the cause itself or a broader term, the relation (causes, then causes or contributes to,
    then contributes to), and whether the source calls it the primary cause."""
    return (
        -cause.presentation.share, cause.presentation.size, cause.inherited, cause.relation,
        not cause.primary,
    )


@dataclass(frozen=True)
class Step:
    """A recommended management action, for the most urgent class it is recommended for among
    those the presentation falls in (``applies``) or may fall in, with every claim behind it."""

    action: str
    presentation: PresentationClass
    claims: tuple[Claim, ...]

    @property
    def applies(self) -> bool:
        """Whether the presentation is certainly in a class the action is recommended for."""
        return self.presentation.certain

    @property
    def conditions(self) -> tuple[str, ...]:
        """When the action applies, as its sources say; empty when one says it always does."""
        if any(claim.condition is None for claim in self.claims):
            return ()
        return tuple(dict.fromkeys(c.condition for c in self.claims if c.condition))

    @property
    def order(self) -> int | None:
        """Where the action comes among the steps its sources place (1 first); ``None`` for an
        action no source places, such as the evaluation those steps belong to."""
        return min((c.order for c in self.claims if c.order is not None), default=None)


@dataclass(frozen=True)
class TimePoint:
    """Where the weeks since childbirth fall against a time figure: before, within (or at),
    after."""

    statistic: Statistic
    weeks: tuple[float, float]
    position: str


@dataclass(frozen=True)
class LactationWindow:
    """How the time since the last pregnancy or since breastfeeding stopped placed the
    discharge: within the window of the graph's figure (``statistic``, in months), during
    lactation; after it, unrelated to lactation."""

    months_since_weaning: float
    window_months: float
    statistic: Statistic
    context: str


@dataclass(frozen=True)
class Classification:
    """The classification of a presentation."""

    given: Mapping[str, str]
    weeks_postpartum: float | None
    verdict: Verdict
    verdict_class: str
    presentation: Combination
    completions: tuple[Combination, ...]
    patterns: Mapping[str, tuple[FeatureCheck, ...]]
    deciders: tuple[Decider, ...]
    classes: tuple[PresentationClass, ...]
    causes: tuple[Cause, ...]
    steps: tuple[Step, ...]
    statistics: tuple[Statistic, ...]
    time_course: tuple[TimePoint, ...] = field(default_factory=tuple)
    conflicts: tuple[Conflict, ...] = field(default_factory=tuple)
    imaging: Imaging | None = None
    lactation_window: LactationWindow | None = None

    @property
    def settled(self) -> bool:
        """Whether every completion has the same verdict."""
        return len({self.verdict_of(c) for c in self.completions}) == 1

    def counts(self) -> dict[str, int]:
        """How many completions fit each verdict."""
        counted = {verdict.value: 0 for verdict in Verdict}
        for combination in self.completions:
            counted[self.verdict_of(combination).value] += 1
        return counted

    @staticmethod
    def verdict_of(combination: Combination) -> Verdict:
        """The verdict of one combination: that of the most urgent class it falls in."""
        for cls, verdict in VERDICT_CLASSES.items():
            if cls in combination.classes:
                return verdict
        return Verdict.insufficient_information


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
    def combinations(self) -> dict[frozenset[tuple[str, str]], Combination]:
        """Every combination the build classified, by its known (property, value) pairs."""
        allowed = {FEATURES[name]: set(values) for name, values in self.feature_values.items()}
        values: dict[str, dict[str, str]] = defaultdict(dict)
        for row in self.store.select(_COMBINATIONS, use_prefixes=True):
            found = values[row["combination"]]
            if row.get("value") in allowed.get(row.get("property", ""), ()):
                found[row["property"]] = row["value"]
        classes: dict[str, set[str]] = defaultdict(set)
        for row in self.store.select(_CLASSES, use_prefixes=True):
            classes[row["combination"]].add(row["class"])
        return {
            frozenset(features.items()): Combination(iri, features, frozenset(classes[iri]))
            for iri, features in sorted(values.items())
        }

    @cached_property
    def complete(self) -> tuple[Combination, ...]:
        """The combinations of every feature."""
        return tuple(c for c in self.combinations.values() if c.complete)

    @cached_property
    def priorities(self) -> dict[str, int]:
        """The verdict priority of each verdict class, as the graph gives it."""
        rows = self.store.select(_PRIORITIES, use_prefixes=True)
        return {row["class"]: int(row["priority"]) for row in rows}

    @cached_property
    def definitions(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """Each flat defined presentation class: its features and the values each may take."""
        found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for row in self.store.select(_DEFINITIONS, use_prefixes=True):
            found[row["class"]][row["property"]].append(row["value"])
        return {cls: {p: tuple(v) for p, v in props.items()} for cls, props in found.items()}

    @cached_property
    def cause_claims(self) -> tuple[tuple[str, Claim], ...]:
        """(cause, claim) for each claim that the cause, or a broader term it is a kind of,
        causes or contributes to a presentation class."""
        rows = self.store.select(_CAUSE_CLAIMS, use_prefixes=True)
        return tuple((row["subject"], read_claim(row)) for row in rows)

    @cached_property
    def management_claims(self) -> tuple[Claim, ...]:
        """Claims that a management action is recommended for a presentation class."""
        rows = self.store.select(_MANAGEMENT_CLAIMS, use_prefixes=True)
        return tuple(read_claim(row) for row in rows)

    @cached_property
    def statistics(self) -> tuple[Statistic, ...]:
        """Every figure of the graph."""
        rows = self.store.select(STATISTICS, use_prefixes=True)
        return tuple(read_statistic(row) for row in rows)

    @cached_property
    def conflicts(self) -> tuple[Conflict, ...]:
        """Every conflict between statements the curators recorded."""
        notes: dict[str, str] = {}
        statements: dict[str, set[str]] = defaultdict(set)
        for row in self.store.select(CONFLICTS, use_prefixes=True):
            notes[row["conflict"]] = row["note"]
            statements[row["conflict"]].add(row["statement"])
        return tuple(
            Conflict(iri, notes[iri], frozenset(statements[iri])) for iri in sorted(notes)
        )

    @cached_property
    def class_sizes(self) -> dict[str, int]:
        """How many of the complete combinations each presentation class holds."""
        sizes: dict[str, int] = defaultdict(int)
        for combination in self.complete:
            for cls in combination.classes:
                sizes[cls] += 1
        return dict(sizes)

    def allowed(self, name: str) -> list[str]:
        """The allowed values of feature ``name`` as ``CURIE (label)``."""
        return [f"{compress(v)} ({self.lexicon.label(v)})" for v in self.feature_values[name]]

    def resolve(self, name: str, value: str) -> str:
        """The value of feature ``name`` that ``value`` (an IRI, CURIE or word) names: a name
        of one of its values, or a prefix or word of only one of them (:func:`field_match`).

        :raises ParameterError: for an unknown feature or a value that is not one of its values.
        """
        if name not in FEATURES:
            raise ParameterError(name, f"unknown feature {name!r}; known: {', '.join(FEATURES)}")
        allowed = self.feature_values[name]
        matches = sorted(self.lexicon.lookup(value) & set(allowed))
        if not matches:
            names = {v: [text for text, _ in self.lexicon.texts_by_term.get(v, [])]
                     for v in allowed}
            matches = sorted(field_match(value, names))
        if not matches:
            raise ParameterError(
                name, f"{value!r} is not an allowed value of {name!r}", self.allowed(name)
            )
        return matches[0]

    @cached_property
    def criteria(self) -> ImagingCriteria:
        """The imaging criteria of the graph."""
        return ImagingCriteria(self.store)

    @cached_property
    def window(self) -> tuple[float, Statistic] | None:
        """The time after a pregnancy or after breastfeeding stops (in months) within which
        milky discharge is usually physiologic: the graph's figure about the lactation context
        ``during lactation``, in months or years."""
        for statistic in self.statistics:
            if statistic.about == LACTATING and statistic.value is not None:
                factor = {"month": 1.0, "year": 12.0}.get(statistic.unit)
                if factor is not None:
                    return statistic.value * factor, statistic
        return None

    def classify(
        self, features: Mapping[str, str | None], weeks_postpartum: float | None = None, *,
        age: float | None = None, sex: str | None = None,
        months_since_weaning: float | None = None,
    ) -> Classification:
        """Classify the presentation with ``features`` (name -> IRI, CURIE or word; missing or
        ``None`` means any value), for a patient of ``age`` (years) and ``sex`` (``female`` or
        ``male``), the imaging the criteria give; with the months since the last pregnancy or
        since breastfeeding stopped, the lactation context that time implies.

        :raises ParameterError: for an unknown feature or value, a negative number of weeks,
            an age outside 0-120, an unknown sex, or months since weaning that contradict the
            lactation context given.
        """
        if weeks_postpartum is not None and weeks_postpartum < 0:
            raise ParameterError("weeks_postpartum", "weeks postpartum cannot be negative")
        if age is not None and not 0 <= age <= 120:
            raise ParameterError("age", "age must be between 0 and 120 years")
        if sex is not None and sex not in SEXES:
            raise ParameterError("sex", f"sex must be one of {', '.join(SEXES)}", list(SEXES))
        given = {
            name: self.resolve(name, value) for name, value in features.items() if value
        }
        window = self._lactation_window(given, months_since_weaning)
        if window is not None:
            given["lactating"] = window.context
        wanted = {FEATURES[name]: value for name, value in given.items()}
        presentation = self.combinations[frozenset(wanted.items())]
        completions = tuple(
            c for c in self.complete if all(c.values.get(p) == v for p, v in wanted.items())
        )
        verdict_class = self._verdict_class(presentation)
        classes = self._classes(presentation, completions)
        causes = self._causes(classes)
        steps = self._steps(classes)
        statistics = tuple(s for s in self.statistics if s.about in {c.iri for c in classes})
        time_course = self._time_course(classes, causes, weeks_postpartum)
        shown = {s.iri for s in statistics} | {p.statistic.iri for p in time_course}
        shown |= {claim.iri for cause in causes for claim in cause.claims}
        shown |= {claim.iri for step in steps for claim in step.claims}
        return Classification(
            given=given,
            weeks_postpartum=weeks_postpartum,
            verdict=VERDICT_CLASSES[verdict_class],
            verdict_class=verdict_class,
            presentation=presentation,
            completions=completions,
            patterns={
                pattern: tuple(
                    FeatureCheck(prop, allowed, wanted.get(prop))
                    for prop, allowed in self.definitions.get(pattern, {}).items()
                )
                for pattern in PATTERNS
            },
            deciders=self._deciders(completions, given),
            classes=classes,
            causes=causes,
            steps=steps,
            statistics=statistics,
            time_course=time_course,
            conflicts=tuple(c for c in self.conflicts if c.statements & shown),
            imaging=self.criteria.for_presentation(presentation.classes, age, sex),
            lactation_window=window,
        )

    def _lactation_window(
        self, given: Mapping[str, str], months: float | None
    ) -> LactationWindow | None:
        """The lactation context the months since weaning imply, if they were given.

        :raises ParameterError: if they are negative, if the graph has no window, or if they
            contradict the lactation context given.
        """
        if months is None:
            return None
        if months < 0:
            raise ParameterError("months_since_weaning", "months since weaning cannot be negative")
        if self.window is None:
            raise ParameterError("months_since_weaning", "the graph gives no lactation window")
        window_months, statistic = self.window
        context = LACTATING if months <= window_months else UNRELATED
        if given.get("lactating", context) != context:
            raise ParameterError(
                "months_since_weaning",
                f"{months:g} months since the last pregnancy or since breastfeeding stopped is "
                f"{'within' if context == LACTATING else 'beyond'} the {window_months:g}-month "
                "window in which milky discharge is usually physiologic, which contradicts the "
                "lactation context given: give one or the other",
            )
        return LactationWindow(months, window_months, statistic, context)

    def _verdict_class(self, presentation: Combination) -> str:
        """The verdict class of lowest priority that ``presentation`` falls in."""
        ranked = sorted(
            (self.priorities[cls], cls) for cls in presentation.classes if cls in self.priorities
        )
        if not ranked:
            raise LookupError(f"the build gave {presentation.iri} no verdict class")
        return ranked[0][1]

    def _classes(
        self, presentation: Combination, completions: tuple[Combination, ...]
    ) -> tuple[PresentationClass, ...]:
        """The classes of the completions, with their share, and those of the presentation
        itself (certain; insufficient information is a class of no completion)."""
        counts: dict[str, int] = defaultdict(int)
        for combination in completions:
            for cls in combination.classes:
                counts[cls] += 1
        shares = {cls: n / len(completions) for cls, n in counts.items()}
        shares |= dict.fromkeys(presentation.classes, 1.0)
        found = [
            PresentationClass(cls, share, self.class_sizes.get(cls, 0))
            for cls, share in shares.items()
        ]
        return tuple(sorted(found, key=lambda c: (-c.share, c.size, c.iri)))

    def _deciders(
        self, completions: tuple[Combination, ...], given: Mapping[str, str]
    ) -> tuple[Decider, ...]:
        found = []
        for name, prop in FEATURES.items():
            if name in given:
                continue
            verdicts: dict[str, set[Verdict]] = defaultdict(set)
            classes: dict[str, set[str]] = defaultdict(set)
            for combination in completions:
                verdicts[combination.values[prop]].add(Classification.verdict_of(combination))
                classes[combination.values[prop]].update(combination.classes)
            outcomes = {v: Outcome(frozenset(verdicts[v]), frozenset(classes[v])) for v in verdicts}
            if len(set(outcomes.values())) > 1:
                found.append(Decider(name, outcomes))
        return tuple(sorted(found, key=lambda d: (not d.decides_verdict, d.feature)))

    def _causes(self, classes: tuple[PresentationClass, ...]) -> tuple[Cause, ...]:
        by_class = {c.iri: c for c in classes}
        claims: dict[tuple[str, str], list[Claim]] = defaultdict(list)
        for cause, claim in self.cause_claims:
            if claim.object in by_class:
                claims[(cause, claim.object)].append(claim)
        best: dict[str, Cause] = {}
        for (cause, cls), found in claims.items():
            candidate = Cause(cause, by_class[cls], tuple(found))
            if cause not in best or directness(candidate) < directness(best[cause]):
                best[cause] = candidate
        return tuple(
            sorted(best.values(), key=lambda c: (*directness(c), self.lexicon.label(c.iri)))
        )

    def _steps(self, classes: tuple[PresentationClass, ...]) -> tuple[Step, ...]:
        by_class = {c.iri: c for c in classes}
        claims: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.management_claims:
            if claim.object in by_class:
                claims[claim.subject].append(claim)
        steps = []
        for action, found in claims.items():
            reached = [by_class[claim.object] for claim in found]
            most = min(reached, key=lambda c: (not c.certain, self._urgency(c.iri), c.size))
            ordered = sorted(found, key=lambda c: (not by_class[c.object].certain, c.iri))
            steps.append(Step(action, most, tuple(ordered)))
        return tuple(sorted(steps, key=lambda s: (
            not s.applies, self._urgency(s.presentation.iri), bool(s.conditions), s.order or 0,
            -s.presentation.share, s.presentation.size, self.lexicon.label(s.action),
        )))

    def _urgency(self, cls: str) -> int:
        """The verdict priority of ``cls``, after every verdict class when it has none."""
        return self.priorities.get(cls, len(self.priorities) + 1)

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


def conflicts_of(statement: str, conflicts: Iterable[Conflict]) -> list[Conflict]:
    """The conflicts ``statement`` is part of."""
    return [c for c in conflicts if statement in c.statements]


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
