"""The estimates of the graph (its statistics, with their numbers as numbers), the sources
they come from, and the conflicts the curators recorded between statements: read once from a
store, for the spread charts (:mod:`ndkg.explorer.spread`) and what the sources say of a term
(:mod:`ndkg.explorer.sources`).

A source is named as people cite it: its first author and year, or its journal and year when
the graph names no author, and the source article as such:

>>> short_citation("Moriyama Y, Nakao Y, Yamamoto N, Oki T", None, "2024")
'Moriyama et al. (2024)'
>>> short_citation("Huang W, Molitch ME", "Am Fam Physician", "2012")
'Huang and Molitch (2012)'
>>> short_citation(None, "Breastfeed Med", "2019")
'Breastfeed Med (2019)'
>>> short_citation(None, "Journal of Nurse-Midwifery", "1989", marker="4")
'Journal of Nurse-Midwifery (1989) [ref. 4]'
>>> short_citation(None, "Dr.Oracle Medical Advisory Board", "2025-08-14", article=True)
'source article (2025)'
>>> short_citation(None, None, None, marker="2", label="Unresolved reference 2")
'Unresolved reference 2 [ref. 2]'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ndkg.explorer import figures
from ndkg.explorer.rdf import Term, solutions
from ndkg.storage.store import Store

ESTIMATES_QUERY = """
SELECT DISTINCT ?statistic ?about ?measure ?unit ?value ?minimum ?maximum ?ciLower ?ciUpper
       ?numerator ?denominator ?population ?timePoint ?months ?method ?approximate ?citation
WHERE {
  ?statistic a NDKG:0000108 ; NDKG:0000006 ?citation .
  FILTER NOT EXISTS { ?statistic owl:deprecated true }
  OPTIONAL { ?statistic NDKG:0000015 ?about }
  OPTIONAL { ?statistic NDKG:0000028 ?measure }
  OPTIONAL { ?statistic NDKG:0000019 ?unit }
  OPTIONAL { ?statistic NDKG:0000016 ?value }
  OPTIONAL { ?statistic NDKG:0000017 ?minimum }
  OPTIONAL { ?statistic NDKG:0000018 ?maximum }
  OPTIONAL { ?statistic NDKG:0000053 ?ciLower }
  OPTIONAL { ?statistic NDKG:0000054 ?ciUpper }
  OPTIONAL { ?statistic NDKG:0000020 ?numerator }
  OPTIONAL { ?statistic NDKG:0000021 ?denominator }
  OPTIONAL { ?statistic NDKG:0000022 ?population }
  OPTIONAL { ?statistic NDKG:0000023 ?timePoint }
  OPTIONAL { ?statistic NDKG:0000031 ?months }
  OPTIONAL { ?statistic NDKG:0000049 ?method }
  OPTIONAL { ?statistic NDKG:0000035 ?approximate }
}
ORDER BY ?statistic ?citation
"""
"""Every statistic still stated (not deprecated), with its values, unit, population, time
point (in words, and in months after childbirth where the graph gives it), method and source."""

SOURCES_QUERY = """
SELECT DISTINCT ?citation ?label ?creator ?container ?date ?marker ?ontology WHERE {
  ?citation a NDKG:0000109 .
  OPTIONAL { ?citation rdfs:label ?label }
  OPTIONAL { ?citation dcterms:creator ?creator }
  OPTIONAL { ?citation NDKG:0000027 ?container }
  OPTIONAL { ?citation dcterms:date ?date }
  OPTIONAL { ?citation NDKG:0000005 ?marker }
  OPTIONAL { ?ontology dcterms:source ?citation ; a owl:Ontology }
}
ORDER BY ?citation
"""
"""Every cited work, with what names it briefly; the ontology's own source is the article."""

CONFLICTS_QUERY = """
SELECT DISTINCT ?conflict ?note ?statement ?citation WHERE {
  ?conflict a NDKG:0000129 ; NDKG:0000034 ?statement .
  OPTIONAL { ?conflict rdfs:comment ?note }
  OPTIONAL { ?statement NDKG:0000006 ?citation }
}
ORDER BY ?conflict ?statement ?citation
"""
"""The curators' records of statements that disagree, each with its note, and the source of
each statement."""

TIME_UNIT = "month"
"""The unit of the values that the time points in months after childbirth share an axis with."""


def short_citation(
    creator: str | None, container: str | None, date: str | None, *,
    marker: str | None = None, article: bool = False, label: str | None = None,
) -> str:
    """A work named briefly: "First et al. (year)", "First and Second (year)", else its
    journal and year, else its ``label``; the source article as such; the article's reference
    marker after it."""
    year = f" ({date[:4]})" if date else ""
    if article:
        return f"source article{year}"
    if not creator and not container:
        return (label or "unnamed work") + (f" [ref. {marker}]" if marker else "")
    name = container or ""
    if creator:
        authors = [a.strip() for a in re.split(r"[,;(]", creator) if a.strip()]
        surnames = [a.split()[0] for a in authors if not a.lower().startswith("et al")]
        more = len(surnames) > 2 or len(surnames) < len(authors)
        if len(surnames) == 2 and not more:
            name = f"{surnames[0]} and {surnames[1]}"
        elif surnames:
            name = surnames[0] + (" et al." if more else "")
    return f"{name}{year}" + (f" [ref. {marker}]" if marker else "")


@dataclass(frozen=True)
class Source:
    """A cited work: its label, and its short name ("Moriyama et al. (2024)")."""

    iri: str
    label: str
    short: str


@dataclass(frozen=True)
class Estimate:
    """A statistic with its numbers as numbers: a value, or a range (minimum and maximum),
    with its 95% confidence interval where the source gives one."""

    iri: str
    about: str | None
    measure: str
    unit: str
    source: str
    value: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    ci_lower: Decimal | None = None
    ci_upper: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    population: str = ""
    time_point: str = ""
    months: Decimal | None = None
    method: str = ""
    approximate: bool = False

    @property
    def low(self) -> Decimal | None:
        """The value, or the lower end of the range."""
        return self.value if self.value is not None else self.minimum

    @property
    def high(self) -> Decimal | None:
        """The value, or the upper end of the range."""
        return self.value if self.value is not None else self.maximum

    @property
    def plotted(self) -> bool:
        """Whether the estimate has a number to plot."""
        return self.low is not None and self.high is not None

    @property
    def quantity(self) -> tuple[str | None, str, str]:
        """What it estimates: the term it is about, the measure and the unit."""
        return self.about, self.measure, self.unit

    @property
    def figure(self) -> str:
        """The value as people write it, "about" it when approximate: ``about 14.2%
        (209/1469)``, ``3–4 months``."""
        written = figures.figure(self.value, self.minimum, self.maximum, self.unit,
                                 self.numerator, self.denominator)
        return f"about {written}" if self.approximate else written

    @property
    def interval(self) -> str | None:
        """The 95% confidence interval as people write it, if the source gives one."""
        if self.ci_lower is None or self.ci_upper is None:
            return None
        return f"95% CI {figures.number(self.ci_lower)}–{figures.number(self.ci_upper)}"


@dataclass(frozen=True)
class ConflictRecord:
    """The curators' record that statements disagree: its note and the statements it names."""

    iri: str
    note: str | None
    statements: tuple[str, ...]


@dataclass(frozen=True)
class Estimates:
    """The estimates, sources and conflict records of one store."""

    by_iri: Mapping[str, Estimate]
    sources: Mapping[str, Source]
    conflicts: Mapping[str, ConflictRecord]
    cited: Mapping[str, str]
    """The source of each estimate and of each statement a conflict record names."""

    @classmethod
    def read(cls, store: Store) -> Estimates:
        """Read them from ``store``."""
        found: dict[str, Estimate] = {}
        for row in solutions(store, ESTIMATES_QUERY):
            iri = row["statistic"].value
            if iri not in found:
                found[iri] = _estimate(iri, row)
        sources = {}
        for row in solutions(store, SOURCES_QUERY):
            iri = row["citation"].value
            if iri in sources:
                continue
            sources[iri] = Source(iri, _text(row, "label") or iri, short_citation(
                _text(row, "creator"), _text(row, "container"), _text(row, "date"),
                marker=_text(row, "marker"), article="ontology" in row, label=_text(row, "label"),
            ))
        cited = {iri: estimate.source for iri, estimate in found.items()}
        notes: dict[str, str | None] = {}
        named: dict[str, list[str]] = defaultdict(list)
        for row in solutions(store, CONFLICTS_QUERY):
            conflict, statement = row["conflict"].value, row["statement"].value
            notes.setdefault(conflict, _text(row, "note"))
            named[conflict].append(statement)
            if "citation" in row:
                cited.setdefault(statement, row["citation"].value)
        conflicts = {c: ConflictRecord(c, notes[c], tuple(dict.fromkeys(named[c])))
                     for c in notes}
        return cls(found, sources, conflicts, cited)

    def about(self, term: str) -> list[Estimate]:
        """The estimates about ``term``."""
        return [e for e in self.by_iri.values() if e.about == term]

    def of(self, iris: Iterable[str]) -> list[Estimate]:
        """The estimates among ``iris``, in their order, each once."""
        return [self.by_iri[i] for i in dict.fromkeys(iris) if i in self.by_iri]

    def conflicts_naming(self, statements: Iterable[str]) -> list[ConflictRecord]:
        """The conflict records that name one of ``statements``."""
        wanted = set(statements)
        return [c for c in self.conflicts.values() if wanted & set(c.statements)]

    def source(self, iri: str) -> Source:
        """The source ``iri`` (named by its IRI if the graph does not describe it)."""
        return self.sources.get(iri) or Source(iri, iri, iri)


def quantities(estimates: Iterable[Estimate]) -> dict[tuple[str | None, str, str], list[Estimate]]:
    """``estimates`` grouped by what they estimate (term, measure, unit), in their order."""
    grouped: dict[tuple[str | None, str, str], list[Estimate]] = defaultdict(list)
    for estimate in estimates:
        grouped[estimate.quantity].append(estimate)
    return dict(grouped)


def _text(row: Mapping[str, Term], name: str) -> str | None:
    term = row.get(name)
    return term.value if term is not None else None


def _number(row: Mapping[str, Term], name: str) -> Decimal | None:
    text = _text(row, name)
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _estimate(iri: str, row: Mapping[str, Term]) -> Estimate:
    return Estimate(
        iri=iri, about=_text(row, "about"), measure=_text(row, "measure") or "figure",
        unit=_text(row, "unit") or "", source=row["citation"].value,
        value=_number(row, "value"), minimum=_number(row, "minimum"),
        maximum=_number(row, "maximum"), ci_lower=_number(row, "ciLower"),
        ci_upper=_number(row, "ciUpper"), numerator=_number(row, "numerator"),
        denominator=_number(row, "denominator"), population=_text(row, "population") or "",
        time_point=_text(row, "timePoint") or "", months=_number(row, "months"),
        method=_text(row, "method") or "",
        approximate=(_text(row, "approximate") or "").lower() in ("true", "1"),
    )
