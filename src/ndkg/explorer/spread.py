"""Estimates of a figure side by side, as a small chart drawn on the server: each estimate a
point (a bar for a range, a whisker for its 95% confidence interval) on an axis shared by the
estimates of one unit, labelled with its source, population and time point; the spread of the
estimates of each measure shaded behind them; and the same numbers as a table.

Only what the graph holds is plotted. Where a chart has an axis of months and an estimate in
another unit has a time point in months after childbirth (``NDKG:0000031``), the estimate is
also placed on the months axis at its time point, as a square labelled with its value ("66% at
6 months postpartum"), beside the time figures it is compared with (most leaking resolves by
3–4 months); its own axis is left out when nothing else is on it.

Positions along an axis are percentages of the chart's width, so that the SVG takes the width
of its column without scaling its text; labels are wrapped for the narrowest screens
(:data:`WRAP` characters a line).

>>> def axis(low, high): return " ".join(figures.number(t) for t in ticks(low, high))
>>> axis(Decimal(0), Decimal("23.3"))
'0 5 10 15 20 25'
>>> axis(Decimal(0), Decimal(6))
'0 2 4 6 8'
>>> axis(Decimal(0), Decimal("9.09"))
'0 2 4 6 8 10'
>>> axis(Decimal(0), Decimal("0.96"))
'0 0.2 0.4 0.6 0.8 1'
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from ndkg.explorer import figures
from ndkg.explorer.estimates import TIME_UNIT, ConflictRecord, Estimate, Estimates, quantities
from ndkg.explorer.names import Names, TermRef

WRAP = 38
"""Characters a line of a label holds: 13 px text in the width a 390 px phone leaves, or in
the label column of a wider chart."""
LINE = 17
"""Height of a line of text, in px."""
TRACK = 24
"""Height of the line an estimate is drawn on, in px."""
ROW_GAP = 6
GROUP_GAP = 10
PANEL_GAP = 18
AXIS = 46
"""Height of an axis with its tick labels and title, in px."""
MAX_TICKS = 6
STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))


@dataclass(frozen=True)
class Arrangement:
    """Where labels go: above each estimate's track (narrow charts) or beside it, in a column
    on the left (wide charts); and where the axis starts and ends, in percent of the width."""

    name: str
    beside: bool
    plot_left: float
    plot_right: float


STACKED = Arrangement("stacked", beside=False, plot_left=6.0, plot_right=94.0)
BESIDE = Arrangement("beside", beside=True, plot_left=54.0, plot_right=95.0)
ARRANGEMENTS = (STACKED, BESIDE)


def ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    """Round values for an axis from ``low`` (at or below the lowest value) past ``high``: at
    most :data:`MAX_TICKS` steps of 1, 2, 2.5 or 5 times a power of ten, the last above
    ``high``."""
    span = max(high - low, Decimal("1e-6"))
    scale = Decimal(10) ** (span.adjusted() - 1)
    for factor in (Decimal(1), Decimal(10), Decimal(100)):
        for step in STEPS:
            size = step * scale * factor
            first = (low / size).to_integral_value(rounding=ROUND_FLOOR)
            count = int((high / size).to_integral_value(rounding=ROUND_FLOOR) - first) + 1
            if count <= MAX_TICKS:
                return [(first + i) * size for i in range(count + 1)]
    return [low, high]


@dataclass(frozen=True)
class Segment:
    """A run of text in a label: plain, strong (a figure), or a link (a source)."""

    text: str
    href: str | None = None
    strong: bool = False
    title: str | None = None


@dataclass(frozen=True)
class Line:
    """A line of text of the chart, at its baseline ``y``."""

    y: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Mark:
    """An estimate drawn on a track: a point (``value``), a bar (``range``) or a square at
    its time point (``time point``); ``low`` and ``high`` are the ends of the range or of the
    confidence interval (in percent of the width), ``y`` the track's middle."""

    ref: TermRef
    source: TermRef
    short: str
    kind: str
    figure: str
    x: float
    low: float
    high: float
    y: int
    lines: tuple[Line, ...]
    interval: bool = False


@dataclass(frozen=True)
class Group:
    """The estimates of one measure on an axis, with the band of their spread."""

    heading: tuple[Line, ...]
    marks: tuple[Mark, ...]
    band: tuple[float, float, int, int] | None = None


@dataclass(frozen=True)
class Tick:
    """A labelled value of an axis, at ``x`` percent of the width."""

    text: str
    x: float


@dataclass(frozen=True)
class Panel:
    """The estimates of one unit on their shared axis (at ``axis``, px from the top)."""

    unit: str
    title: str
    groups: tuple[Group, ...]
    ticks: tuple[Tick, ...]
    top: int
    axis: int


@dataclass(frozen=True)
class Listed:
    """An estimate as the table of the same numbers gives it."""

    ref: TermRef
    source: TermRef
    short: str
    figure: str
    details: tuple[str, ...]


@dataclass(frozen=True)
class Quantity:
    """The estimates of one measure, for the table: its name, spread, and each estimate."""

    name: str
    spread: str | None
    estimates: tuple[Listed, ...]


@dataclass(frozen=True)
class Note:
    """The curators' note on a conflict the chart shows."""

    ref: TermRef
    text: str | None


@dataclass(frozen=True)
class Layout:
    """The chart drawn in one arrangement: its panels and its height in px."""

    arrangement: Arrangement
    panels: tuple[Panel, ...]
    height: int


@dataclass(frozen=True)
class SpreadChart:
    """A chart of estimates: drawn in each arrangement (the page shows the one that fits), what
    it shows in words (the SVG's description), the same numbers as a table, and the curators'
    notes on the conflicts it shows; ``conflict`` is the record it is of, if any."""

    id: str
    title: str
    layouts: tuple[Layout, ...]
    description: str
    quantities: tuple[Quantity, ...]
    notes: tuple[Note, ...]
    conflict: TermRef | None = None

    @property
    def legend(self) -> str:
        """What the marks of the chart mean, for those it has."""
        marks = [m for p in self.layouts[0].panels for g in p.groups for m in g.marks]
        kinds = {m.kind for m in marks}
        said = [text for present, text in (
            ("value" in kinds, "a dot is an estimate"),
            ("range" in kinds, "a bar is a range"),
            (any(m.interval for m in marks), "a whisker is a 95% confidence interval"),
            ("time point" in kinds, "a square is a figure placed at its time point, in months "
                                    "after childbirth"),
            (any(g.band for p in self.layouts[0].panels for g in p.groups),
             "the shade spans the estimates of one measure"),
        ) if present]
        return "; ".join(said).capitalize() + ". Each source links to its page."

    @property
    def plotted(self) -> frozenset[str]:
        """The statistics the chart shows."""
        return frozenset(e.ref.iri for q in self.quantities for e in q.estimates)


Placement = tuple[Estimate, str]
"""An estimate and how it is drawn: by its ``value``, or at its ``time point``."""
Position = Callable[[Decimal], float]
"""Where a value falls on an axis, in percent of the chart's width."""


def spread_chart(
    chart_id: str, title: str, estimates: Sequence[Estimate], data: Estimates, names: Names,
    conflicts: Sequence[ConflictRecord] = (), conflict: str | None = None,
) -> SpreadChart | None:
    """The chart of ``estimates`` (``None`` when fewer than two have a number), with the notes
    of ``conflicts``; ``conflict`` is the record the chart is of, if any."""
    plotted = [e for e in estimates if e.plotted]
    if len(plotted) < 2:
        return None
    several_terms = len({e.about for e in plotted}) > 1
    placed = _placements(plotted)
    layouts = []
    for arrangement in ARRANGEMENTS:
        panels, y = [], 8
        for unit, marks in sorted(placed.items(), key=lambda item: -len(item[1])):
            panel = _panel(arrangement, unit, marks, y, data, names, several_terms)
            panels.append(panel)
            y = panel.axis + AXIS + PANEL_GAP
        layouts.append(Layout(arrangement, tuple(panels), y - PANEL_GAP))
    drawn = [m.ref.iri for p in layouts[0].panels for g in p.groups for m in g.marks]
    listed = tuple(_quantity(group, data, names, several_terms) for group in sorted(
        quantities(plotted).values(), key=lambda group: min(drawn.index(e.iri) for e in group)))
    return SpreadChart(
        chart_id, title, tuple(layouts), _description(title, layouts[0].panels, listed),
        listed, tuple(Note(names.ref(c.iri), c.note) for c in conflicts),
        names.ref(conflict) if conflict else None,
    )


def _placements(plotted: Sequence[Estimate]) -> dict[str, list[Placement]]:
    """Each unit's estimates and how each is drawn: by its value, or at its time point on the
    months axis; a unit whose estimates are all at their time points has no axis. The unit with
    the most estimates is drawn first."""
    by_unit: dict[str, list[Estimate]] = {}
    for estimate in plotted:
        by_unit.setdefault(estimate.unit, []).append(estimate)
    timed = {e.iri for e in plotted
             if TIME_UNIT in by_unit and e.unit != TIME_UNIT and e.months is not None}
    placed: dict[str, list[Placement]] = {}
    for unit, members in by_unit.items():
        if not all(e.iri in timed for e in members):
            placed[unit] = [(e, "value") for e in members]
        if unit == TIME_UNIT:
            placed[unit] = [(e, "value") for e in members] + [
                (e, "time point") for e in plotted if e.iri in timed]
    return placed


def _panel(
    arrangement: Arrangement, unit: str, placed: list[Placement], top: int, data: Estimates,
    names: Names, several_terms: bool,
) -> Panel:
    values = [v for e, kind in placed for v in _extent(e, kind)]
    lowest, highest = min(values), max(values)
    scale = ticks(min(lowest, Decimal(0)), highest)
    if unit.lower() in figures.PERCENT and scale[-1] > 100 >= highest:
        scale = [t for t in scale if t <= 100]
    left, right = arrangement.plot_left, arrangement.plot_right

    def at(value: Decimal) -> float:
        share = (value - scale[0]) / (scale[-1] - scale[0])
        return round(left + float(share) * (right - left), 2)

    grouped: dict[tuple[str | None, str, str], list[Placement]] = {}
    for estimate, kind in placed:
        grouped.setdefault((estimate.about, estimate.measure, kind), []).append((estimate, kind))
    order = sorted(grouped.items(), key=lambda item: (item[0][2] != "value", -len(item[1])))
    y, groups = top, []
    for (about, measure, _), members in order:
        heading = _lines(_heading(measure, about, names, several_terms), y, strong=True)
        y += LINE * len(heading) + ROW_GAP // 2
        band_top, marks = y, []
        members.sort(key=lambda member: -(_extent(*member)[-1]))
        for estimate, kind in members:
            mark, y = _mark(arrangement, estimate, kind, y, at, data, names)
            marks.append(mark)
        band = None
        if len(marks) > 1:
            band = (min(m.low for m in marks), max(m.high for m in marks), band_top, y)
        groups.append(Group(heading, tuple(marks), band))
        y += GROUP_GAP
    return Panel(
        unit, _axis_title(unit),
        tuple(groups), tuple(Tick(_tick_text(t, unit), at(t)) for t in scale), top, y + 4,
    )


def _extent(estimate: Estimate, kind: str) -> list[Decimal]:
    """The values an estimate takes on its axis: its time point, or its value or range and
    its confidence interval."""
    if kind == "time point":
        assert estimate.months is not None, "placed at its time point"
        return [estimate.months]
    found = [v for v in (estimate.low, estimate.high, estimate.ci_lower, estimate.ci_upper)
             if v is not None]
    return sorted(found)


def _mark(
    arrangement: Arrangement, estimate: Estimate, kind: str, top: int, at: Position,
    data: Estimates, names: Names,
) -> tuple[Mark, int]:
    """The mark of ``estimate`` with its label, from ``top``; and where the next one starts."""
    source = data.source(estimate.source)
    figure = estimate.figure
    if kind == "time point" and estimate.months is not None:
        figure = f"{figure} at {figures.number(estimate.months)} months postpartum"
    href = names.ref(source.iri).href
    strong = Segment(figure, strong=True)
    rows: list[tuple[Segment, ...]]
    if len(figure) + len(source.short) + 3 <= WRAP:
        rows = [(strong, Segment(" · "), Segment(source.short, href, title=source.label))]
    else:
        rows = [(strong,), *((Segment(part, href, title=source.label),)
                             for part in _wrap(source.short))]
    details = ", ".join(part for part in (estimate.population, "" if kind == "time point"
                                          else estimate.time_point) if part)
    if estimate.interval and kind == "value":
        details = f"{details} ({estimate.interval})" if details else estimate.interval
    rows += [(Segment(text),) for text in _wrap(details)]
    text_height = LINE * len(rows)
    if arrangement.beside:
        y = top + max(text_height, TRACK) // 2
        lines_top = y - text_height // 2
        bottom = top + max(text_height, TRACK) + ROW_GAP
    else:
        y = top + text_height + TRACK // 2
        lines_top = top
        bottom = top + text_height + TRACK + ROW_GAP
    lines = tuple(Line(lines_top + LINE * i + 13, segments) for i, segments in enumerate(rows))
    extent = _extent(estimate, kind)
    low, high = at(extent[0]), at(extent[-1])
    drawn, x = kind, low
    if kind == "value" and estimate.value is not None:
        x = at(estimate.value)
    elif kind == "value" and low != high:
        drawn, x = "range", round((low + high) / 2, 2)
    mark = Mark(
        names.ref(estimate.iri), names.ref(source.iri), source.short, drawn, figure, x, low,
        high, y, lines, interval=estimate.interval is not None and kind == "value",
    )
    return mark, bottom


def _quantity(
    estimates: list[Estimate], data: Estimates, names: Names, several_terms: bool,
) -> Quantity:
    first = estimates[0]
    spread = None
    if len(estimates) > 1:
        low = min(e.low for e in estimates if e.low is not None)
        high = max(e.high for e in estimates if e.high is not None)
        sources = len({e.source for e in estimates})
        span = figures.figure(minimum=low, maximum=high, unit=first.unit)
        spread = f"from {span}, by {sources} source{'s' if sources != 1 else ''}"
    listed = []
    for estimate in sorted(estimates, key=lambda e: -(e.high or 0)):
        source = data.source(estimate.source)
        details = [part for part in (
            estimate.population, estimate.time_point, estimate.method, estimate.interval or "",
        ) if part]
        listed.append(Listed(names.ref(estimate.iri), names.ref(source.iri), source.short,
                             estimate.figure, tuple(details)))
    return Quantity(_heading(first.measure, first.about, names, several_terms), spread,
                    tuple(listed))


def _heading(measure: str, about: str | None, names: Names, several_terms: bool) -> str:
    text = measure[:1].upper() + measure[1:]
    return f"{text} ({names.label(about)})" if several_terms and about else text


def _axis_title(unit: str) -> str:
    if unit.lower() in figures.PERCENT:
        return "percent"
    if unit.isalpha() and not unit.endswith("s"):
        return unit + "s"
    return unit


def _tick_text(value: Decimal, unit: str) -> str:
    text = figures.number(value)
    return f"{text}%" if unit.lower() in figures.PERCENT else text


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WRAP, break_long_words=False) if text else []


def _lines(text: str, top: int, strong: bool = False) -> tuple[Line, ...]:
    return tuple(Line(top + LINE * i + 13, (Segment(part, strong=strong),))
                 for i, part in enumerate(_wrap(text)))


def _description(title: str, panels: Sequence[Panel], listed: Sequence[Quantity]) -> str:
    """The chart in words: its axes and each estimate with its source and population."""
    axes = "; ".join(f"{p.title} from {p.ticks[0].text} to {p.ticks[-1].text}" for p in panels)
    parts = [f"{title}. Axes: {axes}."]
    for quantity in listed:
        each = "; ".join(
            f"{e.figure} ({e.short}{', ' if e.details else ''}{', '.join(e.details[:2])})"
            for e in quantity.estimates)
        spread = f"; {quantity.spread}" if quantity.spread else ""
        parts.append(f"{quantity.name}: {each}{spread}.")
    return " ".join(parts)


def chart_id(iri: str) -> str:
    """An HTML id for the chart of ``iri``.

    >>> chart_id("https://w3id.org/ndkg/NDKG_0003002")
    'spread-NDKG_0003002'
    """
    return "spread-" + re.sub(r"[^A-Za-z0-9_-]+", "-", iri.rsplit("/", 1)[-1])
