"""Estimates side by side and what the sources say of a term, on the real build served on
loopback: the charts' points and labels against the named question's answer and SPARQL over
/sparql, the counts per source against a SPARQL count, and the charts in Chromium at desktop
and phone widths."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from ndkg.answers.lexicon import Lexicon
from ndkg.explorer.figures import number
from ndkg.explorer.names import local_path
from ndkg.storage.store import EmbeddedStore
from tests.ui.conftest import DESKTOP, open_page, screenshot

PHONE_390 = {"width": 390, "height": 844}
D_MER, LEAKAGE = "NDKG:0000227", "NDKG:0000300"
PREFIXES = """PREFIX NDKG: <https://w3id.org/ndkg/NDKG_>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
JSON = {"Accept": "application/sparql-results+json"}


@dataclass(frozen=True)
class Drawn:
    """A mark of a chart as the page draws it."""

    kind: str
    statistic: str
    source: str
    html: str
    panel: str

    @property
    def text(self) -> str:
        return " ".join(re.sub(r"<[^>]+>", " ", self.html).split())


def sparql(http: httpx.Client, query: str) -> list[dict[str, str]]:
    """The rows of ``query`` answered by /sparql, as text."""
    answer = http.post("/sparql", data={"query": PREFIXES + query}, headers=JSON)
    assert answer.status_code == 200, answer.text
    return [{k: v["value"] for k, v in b.items()} for b in answer.json()["results"]["bindings"]]


def chart(page: str, chart_id: str, arrangement: str = "stacked") -> str:
    """The SVG of the chart ``chart_id`` in one arrangement."""
    found = re.search(rf'<div class="spread" id="{chart_id}">(.*?)</figure>', page, re.S)
    assert found is not None, f"no chart {chart_id}"
    svg = re.search(rf'<svg class="spread-chart spread-{arrangement}".*?</svg>', found.group(1),
                    re.S)
    assert svg is not None
    return svg.group(0)


def aside(page: str, chart_id: str) -> str:
    """The curators' notes and the table of the same numbers of the chart ``chart_id``."""
    found = re.search(rf'<div class="spread" id="{chart_id}">.*?</figure>(.*?</table>)', page,
                      re.S)
    assert found is not None
    return found.group(1)


def marks(svg: str) -> list[Drawn]:
    """Every mark of a chart, in the panel (unit) it is drawn in."""
    found = []
    for panel in re.finditer(r'<g class="panel" data-unit="([^"]+)">(.*?)\n  </g>', svg, re.S):
        for mark in re.finditer(r'<g class="mark mark-([\w-]+)" data-statistic="([^"]+)" '
                                r'data-source="([^"]+)">(.*?)</g>', panel.group(2), re.S):
            found.append(Drawn(mark.group(1), mark.group(2), mark.group(3), mark.group(4),
                               panel.group(1)))
    return found


def ticks(svg: str, unit: str) -> dict[Decimal, float]:
    """The labelled values of the axis of ``unit`` and where they are (percent of the width)."""
    panel = re.search(rf'<g class="panel" data-unit="{re.escape(unit)}">(.*?)\n  </g>', svg, re.S)
    assert panel is not None
    return {Decimal(text.rstrip("%")): float(x) for x, text in re.findall(
        r'<text class="tick" x="([\d.]+)%"[^>]*>([^<]+)</text>', panel.group(1))}


def at(scale: dict[Decimal, float], value: object) -> float:
    """Where ``value`` falls on an axis of ``scale``."""
    (v0, x0), (v1, x1) = min(scale.items()), max(scale.items())
    return x0 + float((Decimal(str(value)) - v0) / (v1 - v0)) * (x1 - x0)


def numbers(pattern: str, html: str) -> list[float]:
    """The numbers the groups of the first match of ``pattern`` in ``html`` capture."""
    found = re.search(pattern, html)
    assert found is not None, pattern
    return [float(group) for group in found.groups()]


def estimates_answer(http: httpx.Client, about: str) -> list[dict[str, Any]]:
    answer = http.get("/questions/estimates", params={"about": about},
                      headers={"Accept": "application/json"})
    assert answer.status_code == 200
    rows: list[dict[str, Any]] = answer.json()["rows"]
    return rows


def written(row: dict[str, Any]) -> str:
    """The figure of an answer's row, as the pages write numbers."""
    if "value" in row:
        return number(row["value"])
    return f"{number(row['minimum'])}–{number(row['maximum'])}"


def test_the_estimates_page_draws_every_estimate_of_the_answer(http: httpx.Client) -> None:
    rows = estimates_answer(http, D_MER)
    page = http.get("/explore/questions/estimates", params={"about": D_MER}).text
    for arrangement in ("stacked", "beside"):
        svg = chart(page, "spread-NDKG_0000227", arrangement)
        drawn = {m.statistic: m for m in marks(svg)}
        assert set(drawn) == {row["statistic"]["id"] for row in rows}
        for row in rows:
            mark = drawn[row["statistic"]["id"]]
            assert mark.source == row["citation"]["id"]
            assert written(row) in mark.text
            assert f'href="{local_path(row["citation"]["iri"])}"' in mark.html
            assert mark.panel == row["unit"]
            [x] = numbers(r'<circle class="value" cx="([\d.]+)%"', mark.html)
            assert x == pytest.approx(at(ticks(svg, row["unit"]), row["value"]), abs=0.02)
    listed = aside(page, "spread-NDKG_0000227")
    in_table = re.findall(r'<tr data-statistic="([^"]+)">', listed)
    assert in_table == [m.statistic for m in marks(chart(page, "spread-NDKG_0000227"))]
    for row in rows:
        item = re.search(rf'<tr data-statistic="{row["statistic"]["id"]}">(.*?)</tr>', listed, re.S)
        assert item is not None
        figure, source, details = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", item.group(1), re.S)
        assert f'href="{local_path(row["statistic"]["iri"])}"' in figure
        assert written(row) in figure
        assert f'href="{local_path(row["citation"]["iri"])}"' in source
        assert row["population"] in details
    notes = {row["conflictNote"] for row in rows if "conflictNote" in row}
    assert notes and all(str(note).replace("'", "&#39;") in listed for note in notes)
    odds = next(row for row in rows if "ratio" in row["unit"])
    interval = sparql(http, f"SELECT ?low ?high WHERE {{ <{odds['statistic']['iri']}> "
                            "NDKG:0000053 ?low ; NDKG:0000054 ?high }")[0]
    mark = {m.statistic: m for m in marks(chart(page, "spread-NDKG_0000227"))}[
        odds["statistic"]["id"]]
    ends = [float(x) for x in re.findall(r'<line class="interval" x1="([\d.]+)%"', mark.html)]
    scale = ticks(chart(page, "spread-NDKG_0000227"), odds["unit"])
    assert ends[0] == pytest.approx(at(scale, interval["low"]), abs=0.02)
    assert ends[2] == pytest.approx(at(scale, interval["high"]), abs=0.02)


def test_the_term_page_draws_the_estimates_the_curators_say_disagree(http: httpx.Client) -> None:
    rows = [row for row in estimates_answer(http, D_MER) if "conflict" in row]
    [conflict] = {row["conflict"]["id"] for row in rows}
    chart_id = "spread-" + conflict.replace(":", "_")
    page = http.get(f"/{D_MER.replace(':', '_')}").text
    sources = page.split('id="h-sources"')[1]
    drawn = {m.statistic: m for m in marks(chart(sources, chart_id))}
    assert set(drawn) == {row["statistic"]["id"] for row in rows}
    for row in rows:
        assert drawn[row["statistic"]["id"]].source == row["citation"]["id"]
        assert written(row) in drawn[row["statistic"]["id"]].text
    prevalence = [row for row in rows if row["measure"] == "prevalence"]
    spread = f"from {number(prevalence[0]['lowest'])}–{number(prevalence[0]['highest'])}%, " \
             f"by {prevalence[0]['sources']} sources"
    assert spread in aside(sources, chart_id)
    assert "The curators' note:" in aside(sources, chart_id)


def test_the_conflict_page_shows_both_statements_their_sources_and_the_chart(
    http: httpx.Client,
) -> None:
    statements = sparql(http, """
        SELECT ?statement ?citation ?low ?high ?months WHERE {
          NDKG:0003001 NDKG:0000034 ?statement . ?statement NDKG:0000006 ?citation .
          OPTIONAL { ?statement NDKG:0000017 ?low ; NDKG:0000018 ?high ; NDKG:0000019 "month" }
          OPTIONAL { ?statement NDKG:0000031 ?months }
        }""")
    assert len(statements) == 2
    page = http.get("/NDKG_0003001").text
    svg = chart(page, "spread-NDKG_0003001")
    drawn = marks(svg)
    scale = ticks(svg, "month")
    listed = page.split('<ol class="conflicting">')[1].split("</ol>")[0]
    for statement in statements:
        path = local_path(statement["statement"])
        assert f'<a href="{path}">' in listed
        assert f'href="{local_path(statement["citation"])}"' in listed
        [mark] = [m for m in drawn if m.statistic == path.strip("/").replace("_", ":")]
        assert mark.source == local_path(statement["citation"]).strip("/").replace("_", ":")
        assert mark.panel == "month"
        if "low" in statement:
            assert mark.kind == "range"
            x, width = numbers(r'<rect class="range" x="([\d.]+)%" width="([\d.]+)%"',
                               mark.html)
            assert x == pytest.approx(at(scale, statement["low"]), abs=0.02)
            assert x + width == pytest.approx(at(scale, statement["high"]), abs=0.02)
        else:
            assert mark.kind == "time-point"
            [x] = numbers(r'<rect class="time-point" x="([\d.]+)%"', mark.html)
            assert x == pytest.approx(at(scale, statement["months"]), abs=0.02)
            assert f"at {number(statement['months'])} months postpartum" in mark.text
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg


TERMS = ["NDKG:0000214", "NDKG:0000227", "NDKG:0000302", "NDKG:0000516", "NDKG:0000221"]
"""Galactorrhea, D-MER, pathologic nipple discharge, serum prolactin measurement, cabergoline."""


def counted(http: httpx.Client, curie: str) -> dict[str, tuple[int, int]]:
    """Claims (subject or object) and statistics (about, setting or outcome) per source."""
    term = f"<https://w3id.org/ndkg/{curie.replace(':', '_')}>"
    rows = sparql(http, f"""
        SELECT ?citation ?kind (COUNT(DISTINCT ?statement) AS ?n) WHERE {{
          {{ ?statement a NDKG:0000107 ; rdf:subject|rdf:object {term} . BIND("claim" AS ?kind) }}
          UNION {{ ?statement a NDKG:0000108 ; NDKG:0000015|NDKG:0000052|NDKG:0000036 {term} .
                  BIND("statistic" AS ?kind) }}
          ?statement NDKG:0000006 ?citation .
          FILTER NOT EXISTS {{ ?statement owl:deprecated true }}
        }} GROUP BY ?citation ?kind""")
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        found[row["citation"]][row["kind"] == "statistic"] = int(row["n"])
    return {local_path(c).strip("/").replace("_", ":"): (n[0], n[1]) for c, n in found.items()}


def shown_counts(page: str) -> dict[str, tuple[int, int]]:
    table = page.split('class="source-counts"')[1].split("</table>")[0]
    return {source: (int(claims), int(figures)) for source, claims, figures in re.findall(
        r'<tr data-source="([^"]+)">.*?<td class="num">(\d+)</td><td class="num">(\d+)</td>',
        table, re.S)}


@pytest.mark.parametrize("curie", TERMS)
def test_the_counts_per_source_are_what_sparql_counts(http: httpx.Client, curie: str) -> None:
    page = http.get(f"/{curie.replace(':', '_')}").text
    expected = counted(http, curie)
    assert expected, "the term has statements"
    assert shown_counts(page) == expected
    link = re.search(r'<a href="/editor\?query=([^"]+)">Count them in the query editor</a>', page)
    assert link is not None
    query = httpx.QueryParams("query=" + link.group(1).replace("&amp;", "&"))["query"]
    assert http.get("/editor", params={"query": query}).status_code == 200
    answer = http.post("/sparql", data={"query": query}, headers=JSON).json()
    assert {local_path(b["citation"]["value"]).strip("/").replace("_", ":"):
            (int(b["claims"]["value"]), int(b["statistics"]["value"]))
            for b in answer["results"]["bindings"]} == expected


def test_an_agreeing_statement_lists_each_of_its_sources(http: httpx.Client) -> None:
    term = "https://w3id.org/ndkg/NDKG_0000214"
    rows = sparql(http, f"""
        SELECT ?s ?p ?o ?citation ?claim WHERE {{
          {{ SELECT ?s ?p ?o WHERE {{
               ?c a NDKG:0000107 ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                  NDKG:0000006 ?source .
               FILTER((?s = <{term}> || ?o = <{term}>) && isIRI(?o))
               FILTER NOT EXISTS {{ ?c owl:deprecated true }}
             }} GROUP BY ?s ?p ?o HAVING (COUNT(DISTINCT ?source) > 1) }}
          ?claim a NDKG:0000107 ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                 NDKG:0000006 ?citation .
          FILTER NOT EXISTS {{ ?claim owl:deprecated true }}
        }}""")
    statements: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in rows:
        statements[(row["s"], row["p"], row["o"])].add(row["citation"])
    assert statements
    page = http.get("/NDKG_0000214").text
    items = re.findall(r"<li><p class=\"statement-line\">(.*?)</li>",
                       page.split('<ul class="agreements">')[1].split("</ul>")[0], re.S)
    assert len(items) == len(statements)
    for (s, p, o), sources in statements.items():
        [item] = [i for i in items if all(f'<a href="{local_path(t)}">' in i for t in (s, p, o))
                  and re.match(rf'<a href="{re.escape(local_path(s))}">', i)]
        cited = {local_path(c) for c in sources}
        assert set(re.findall(r'<a href="(/NDKG_\d+)" title=', item)) == cited
        assert f"{len(sources)} sources:" in item


@pytest.mark.parametrize(("curie", "terms"), [(D_MER, 1), (LEAKAGE, 1), ("NDKG:0000214", 0)])
def test_a_term_with_a_conflict_lists_it(http: httpx.Client, curie: str, terms: int) -> None:
    term = f"<https://w3id.org/ndkg/{curie.replace(':', '_')}>"
    conflicts = {row["conflict"] for row in sparql(http, f"""
        SELECT DISTINCT ?conflict WHERE {{
          ?conflict a NDKG:0000129 ; NDKG:0000034 ?statement .
          {{ ?statement rdf:subject|rdf:object {term} }}
          UNION {{ ?statement NDKG:0000015|NDKG:0000052|NDKG:0000036 {term} }}
        }}""")}
    assert len(conflicts) == terms
    page = http.get(f"/{curie.replace(':', '_')}").text
    disagree = page.split('id="h-disagree-sources"')[1].split("</section>")[0]
    for conflict in conflicts:
        assert f'id="spread-{conflict.rsplit("/", 1)[1]}"' in disagree
        assert f'<a href="{local_path(conflict)}">The curators\' record</a>' in disagree
    if not conflicts:
        assert "The curators recorded no conflict" in disagree


def test_what_the_sources_say_in_everyday_words(http: httpx.Client, store: EmbeddedStore) -> None:
    words = Lexicon.from_store(store)
    page = http.get("/NDKG_0000214", params={"audience": "patient"}).text
    agree = page.split('<ul class="agreements">')[1].split("</ul>")[0]
    everyday = words.lay_label("https://w3id.org/ndkg/NDKG_0000214")
    assert everyday != words.label("https://w3id.org/ndkg/NDKG_0000214")
    assert f">{everyday}</a>" in agree
    assert ">galactorrhea</a>" not in agree


PAGES = {
    "d-mer": "/NDKG_0000227#h-disagree-sources",
    "conflict": "/NDKG_0003001#h-conflict",
    "estimates": "/explore/questions/estimates?about=NDKG%3A0000227#h-side-by-side",
}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "phone"])
def test_the_charts_are_readable_on_desktop_and_phone(
    browser: Browser, explorer_url: str, viewport: dict[str, int]
) -> None:
    expected = "beside" if viewport["width"] >= 1000 else "stacked"
    for page in open_page(browser, explorer_url, viewport):
        for name, path in PAGES.items():
            page.goto(path)
            spread = page.locator(".spread").first
            shown = spread.locator("svg.spread-chart:visible")
            expect(shown).to_have_count(1)
            expect(shown).to_have_class(f"spread-chart spread-{expected}")
            expect(shown).to_be_visible()
            table = spread.locator("table.estimate-table")
            expect(table.locator("caption")).to_have_text("The same numbers")
            expect(table.locator("tr[data-statistic]").first).to_be_visible()
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], f"{name} scrolls sideways: {widths}"
            texts = shown.evaluate("""svg => {
              const box = svg.getBoundingClientRect();
              return Array.from(svg.querySelectorAll('text')).map(t => {
                const b = t.getBoundingClientRect();
                return {text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize),
                        inside: b.left >= box.left - 0.5 && b.right <= box.right + 0.5};
              });
            }""")
            assert texts and all(t["size"] >= 12 for t in texts), texts
            assert [t["text"] for t in texts if not t["inside"]] == []
            sizes = spread.locator(".spread-body").evaluate(
                "a => Math.min(...Array.from(a.querySelectorAll('*')).map("
                "e => parseFloat(getComputedStyle(e).fontSize)))")
            assert sizes >= 12
            cells = table.evaluate(
                "t => Array.from(t.querySelectorAll('tr[data-statistic] > *')).map("
                "c => c.getBoundingClientRect().width)")
            assert min(cells) >= 80, f"{name}: a column of the table is {min(cells)} px wide"
            spread.scroll_into_view_if_needed()
            screenshot(page, f"estimates-{name}-{viewport['width']}")
