"""What the sources say of a term: each cited work that says something of it, with how many of
its claims and statistics do; the statements that two or more works support; and where they
disagree: the conflicts the curators recorded between the term's statements, and estimates of
one figure about the term that differ, each drawn side by side
(:func:`ndkg.explorer.spread.spread_chart`).

A claim says something of a term when the term is its subject or object; a statistic, when it
is about the term (``NDKG:0000015``), or the term is its setting (``NDKG:0000052``) or outcome
(``NDKG:0000036``). Deprecated statements say nothing. :func:`counting_query` is the SPARQL
that counts them per source, as the page shows it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from ndkg.explorer.estimates import Estimates, quantities
from ndkg.explorer.names import Names, TermRef
from ndkg.explorer.rdf import solutions, values
from ndkg.explorer.spread import SpreadChart, chart_id, spread_chart
from ndkg.storage.store import Store

STATEMENTS = """
  {
    { ?claim rdf:subject ?term } UNION { ?claim rdf:object ?term }
    ?claim a NDKG:0000107 ; NDKG:0000006 ?citation ;
           rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object .
    FILTER NOT EXISTS { ?claim owl:deprecated true }
  } UNION {
    VALUES ?link { NDKG:0000015 NDKG:0000052 NDKG:0000036 }
    ?statistic ?link ?term ; a NDKG:0000108 ; NDKG:0000006 ?citation .
    FILTER NOT EXISTS { ?statistic owl:deprecated true }
  }"""
"""The claims and statistics that say something of ``?term``, with their citations."""

STATEMENTS_QUERY = """
SELECT DISTINCT ?claim ?statistic ?citation ?subject ?predicate ?object WHERE {
  %s
  %s
}
"""

COUNTING_QUERY = """PREFIX NDKG: <https://w3id.org/ndkg/NDKG_>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# How many claims and statistics of each source say something of a term
SELECT ?citation ?citationLabel (COUNT(DISTINCT ?claim) AS ?claims)
       (COUNT(DISTINCT ?statistic) AS ?statistics)
WHERE {
  %s
  %s
  ?citation rdfs:label ?citationLabel .
}
GROUP BY ?citation ?citationLabel
ORDER BY DESC(COUNT(DISTINCT ?claim) + COUNT(DISTINCT ?statistic)) ?citationLabel
"""


def counting_query(iri: str) -> str:
    """The complete SPARQL that counts, per source, the claims and statistics saying something
    of ``iri``.

    :raises ValueError: if ``iri`` is not a valid IRI.
    """
    return COUNTING_QUERY % (values("term", [iri]), STATEMENTS)


@dataclass(frozen=True)
class SourceCount:
    """A source that says something of the term: how many of its claims and statistics do."""

    source: TermRef
    short: str
    claims: int
    statistics: int


@dataclass(frozen=True)
class Support:
    """A source supporting a statement, and its claim."""

    source: TermRef
    short: str
    claim: TermRef


@dataclass(frozen=True)
class Agreement:
    """A statement (subject, predicate, object) that two or more sources support."""

    subject: TermRef
    predicate: TermRef
    object: TermRef
    supports: tuple[Support, ...]


@dataclass(frozen=True)
class Side:
    """One of the statements that disagree, with its source."""

    statement: TermRef
    source: TermRef | None
    short: str


@dataclass(frozen=True)
class Disagreement:
    """A conflict the curators recorded (``conflict``, with their note), or estimates of one
    figure that differ: the chart of its estimates, and each statement the chart does not
    show with its source."""

    title: str
    sides: tuple[Side, ...]
    conflict: TermRef | None = None
    note: str | None = None
    chart: SpreadChart | None = None


@dataclass(frozen=True)
class SourcesSay:
    """What the sources say of a term."""

    counts: tuple[SourceCount, ...]
    agreements: tuple[Agreement, ...]
    disagreements: tuple[Disagreement, ...]
    query: str


def sources_say(store: Store, names: Names, data: Estimates, iri: str) -> SourcesSay | None:
    """What the sources say of ``iri`` (``None`` when no claim or statistic says anything).

    :raises ValueError: if ``iri`` is not a valid IRI.
    """
    rows = solutions(store, STATEMENTS_QUERY % (values("term", [iri]), STATEMENTS))
    if not rows:
        return None
    claims: dict[str, set[str]] = defaultdict(set)
    statistics: dict[str, set[str]] = defaultdict(set)
    cited: dict[str, str] = {}
    said: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for row in rows:
        citation = row["citation"].value
        if "claim" in row:
            claim = row["claim"].value
            claims[citation].add(claim)
            cited[claim] = citation
            parts = [row.get(name) for name in ("subject", "predicate", "object")]
            if all(isinstance(part, ox.NamedNode) for part in parts):
                s, p, o = (part.value for part in parts if part is not None)
                said[(s, p, o)].setdefault(citation, claim)
        if "statistic" in row:
            statistics[citation].add(row["statistic"].value)
            cited[row["statistic"].value] = citation
    counts = sorted(
        (SourceCount(names.ref(c), data.source(c).short, len(claims[c]), len(statistics[c]))
         for c in claims.keys() | statistics.keys()),
        key=lambda n: (-(n.claims + n.statistics), n.short.lower()),
    )
    agreements = sorted(
        (Agreement(names.ref(s), names.ref(p), names.ref(o), tuple(
            Support(names.ref(c), data.source(c).short, names.ref(claim))
            for c, claim in sorted(by.items(), key=lambda item: data.source(item[0]).short)))
         for (s, p, o), by in said.items() if len(by) > 1),
        key=lambda a: (a.subject.label.lower(), a.predicate.label, a.object.label.lower()),
    )
    return SourcesSay(tuple(counts), tuple(agreements),
                      tuple(_disagreements(names, data, iri, set(cited))), counting_query(iri))


def _disagreements(
    names: Names, data: Estimates, iri: str, statements: set[str]
) -> list[Disagreement]:
    """The conflicts recorded between ``statements`` (the term's) and others, then the
    estimates about ``iri`` of one figure that differ, unless a conflict already names them
    all."""
    found = [conflict_disagreement(names, data, c.iri)
             for c in data.conflicts_naming(statements)]
    named = [set(c.statements) for c in data.conflicts_naming(statements)]
    for (about, measure, _), group in quantities(data.about(iri)).items():
        if len(group) < 2 or len({(e.low, e.high) for e in group}) < 2:
            continue
        if any({e.iri for e in group} <= record for record in named):
            continue
        title = f"Estimates of {measure} ({names.label(about)})" if about else measure
        chart = spread_chart(chart_id(group[0].iri), title, group, data, names)
        found.append(Disagreement(title, _sides(names, data, [e.iri for e in group], chart),
                                  chart=chart))
    return found


def conflict_disagreement(names: Names, data: Estimates, conflict: str) -> Disagreement:
    """The conflict record ``conflict``: its statements with their sources, the curators' note
    and the chart of its estimates (when two or more have a number)."""
    record = data.conflicts[conflict]
    title = names.label(conflict)
    title = title[:1].upper() + title[1:]
    chart = spread_chart(chart_id(conflict), title, data.of(record.statements), data, names,
                         (record,), conflict)
    return Disagreement(title, _sides(names, data, record.statements, chart),
                        names.ref(conflict), record.note, chart)


def _sides(
    names: Names, data: Estimates, statements: Iterable[str], chart: SpreadChart | None
) -> tuple[Side, ...]:
    """Each of ``statements`` that ``chart`` does not show, with its source."""
    shown = chart.plotted if chart is not None else frozenset()
    sides = []
    for statement in statements:
        if statement in shown:
            continue
        source = data.cited.get(statement)
        sides.append(Side(names.ref(statement), names.ref(source) if source else None,
                          data.source(source).short if source else ""))
    return tuple(sides)
