"""What a researcher, a clinician and a patient try first, on the real build served on
loopback: every link answers, shown SPARQL runs as shown, answers in everyday words, the classify
verdict in view, search that forgives typos, the API documentation offline."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from markupsafe import escape
from playwright.sync_api import Browser, Page, expect

from ndkg.questions import Questions
from tests.ui.conftest import DESKTOP, open_page, screenshot

PHONE_390 = {"width": 390, "height": 844}
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class Links(HTMLParser):
    """The href and src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and not value.startswith(("#", "data:")):
                self.found.append(value)


def links(html: str, base: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return [urljoin(base, link).split("#")[0] for link in parser.found]


def rows(response: httpx.Response) -> set[frozenset[tuple[str, str]]]:
    """The rows of a SPARQL JSON answer, as sets of (variable, value)."""
    body = response.json()
    return {frozenset((k, v["value"]) for k, v in b.items()) for b in body["results"]["bindings"]}


def test_every_internal_link_answers(http: httpx.Client, explorer_url: str) -> None:
    """A crawl from / of every page (downloads and data formats checked, not read)."""
    seen: set[str] = set()
    queue = [f"{explorer_url}/"]
    failures = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = http.get(url, headers={"Accept": BROWSER_ACCEPT})
        if response.status_code >= 400:
            failures.append((url, response.status_code))
            continue
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        for link in links(response.text, url):
            if link.startswith(explorer_url) and link not in seen and "/downloads/" not in link:
                queue.append(link)
    assert failures == []
    assert len(seen) > 150
    assert f"{explorer_url}/term/rdf:subject" in seen


def test_vocabulary_terms_have_pages_that_cite_their_specification(http: httpx.Client) -> None:
    for curie in ("rdf:subject", "rdf:predicate", "rdfs:subPropertyOf", "rdfs:seeAlso"):
        page = http.get(f"/term/{curie}")
        if curie == "rdfs:seeAlso" and page.status_code == 404:
            continue  # the graph does not use it
        assert page.status_code == 200, curie
        assert "https://www.w3.org/TR/rdf11-schema/" in page.text


@pytest.mark.parametrize(
    "text", ["what helps with leaking breasts", "which nipple discharge needs a scan",
             "blood-stained discharge from one breast", "I feel sad when my milk lets down"],
)
def test_the_sparql_shown_by_ask_gives_the_same_rows(http: httpx.Client, text: str) -> None:
    answer = http.get("/ask", params={"q": text}).json()
    shown = answer["sparql"]["query"]
    assert "__" not in "".join(answer["rows"][0]) and "_iri" not in "".join(answer["rows"][0])
    again = http.post("/sparql", data={"query": shown},
                      headers={"Accept": "application/sparql-results+json"})
    assert again.status_code == 200
    assert len(rows(again)) == len({frozenset(
        (k, v["iri"] if isinstance(v, dict) else str(v)) for k, v in row.items()
    ) for row in answer["rows"]})


def test_the_sparql_shown_on_each_question_page_gives_its_rows(
    http: httpx.Client, questions: Questions
) -> None:
    for name, question in questions.by_name.items():
        shown = questions.example(question)
        page = http.get(f"/explore/questions/{name}")
        assert page.status_code == 200, name
        assert str(escape(shown)) in page.text
        answered = http.post("/sparql", data={"query": shown},
                             headers={"Accept": "application/sparql-results+json"})
        assert answered.status_code == 200, name
        expected = questions.execute(shown)
        assert len(rows(answered)) == len(list(expected)), name
        assert not any(v.value.startswith("_") for v in questions.execute(shown).variables)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("what helps with leaking breasts", {"use of breast pads", "pressure on the nipples"}),
     ("which nipple discharge needs a scan", {"pathologic nipple discharge"}),
     ("when to see a doctor", {"pathologic nipple discharge"}),
     ("I feel sad when my milk lets down", {"dysphoric milk ejection reflex"})],
)
def test_management_next_steps_and_symptoms_are_answered(
    http: httpx.Client, text: str, expected: set[str]
) -> None:
    answer = http.get("/ask", params={"q": text}).json()
    named = {v["label"] for row in answer["rows"] for v in row.values() if isinstance(v, dict)}
    named |= {p["label"] for p in answer["interpretation"]["parameters"].values()}
    assert expected <= named


def test_the_ask_page_answers_in_sentences_and_offers_did_you_mean(http: httpx.Client) -> None:
    page = http.get("/ask", params={"q": "what helps with leaking breasts"},
                    headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
    assert "use of breast pads is recommended management for physiologic nipple discharge" in text
    assert "Show the SPARQL" in text
    typo = http.get("/ask", params={"q": "galactorea"}, headers={"Accept": "text/html"}).text
    assert "Did you mean" in typo and ">galactorrhea</a>" in typo


def test_patients_words_on_every_page(http: httpx.Client, questions: Questions) -> None:
    paths = ["/", "/chain", "/browse/triggers", "/NDKG_0000224", "/search?q=bloody",
             "/explore/classify?character=PATO%3A0002105", "/ask?q=what+triggers+let-down",
             *(f"/explore/questions/{name}" for name in questions.by_name)]
    for path in paths:
        response = http.get(path, params={"audience": "patient"}, headers={"Accept": "text/html"})
        assert response.status_code == 200, path
    assert "small growth inside a milk duct" in http.get(
        "/browse/pathologic-causes", params={"audience": "patient"}).text
    assert ">bloody<" in http.get("/explore/classify", params={"audience": "patient"}).text
    remembered = http.get("/NDKG_0000228", cookies={"ndkg-audience": "patient"}).text
    assert '<h1 id="term-title">baby feeding at the breast</h1>' in remembered


def test_classify_accepts_words_scoped_to_their_field(http: httpx.Client) -> None:
    body = http.post("/classify", json={"ducts": "single", "character": "blood",
                                         "laterality": "one", "onset": "spontaneous"}).json()
    assert body["presentation"]["ducts"]["id"] == "NDKG:0000400"
    assert body["presentation"]["character"]["id"] == "PATO:0002105"
    assert http.post("/classify", json={"ducts": "multiple"}).status_code == 200
    assert http.post("/classify", json={"ducts": "duct"}).status_code == 422


def test_search_puts_own_terms_first_and_forgives_typos(http: httpx.Client) -> None:
    page = http.get("/search", params={"q": "nipple discharge"}).text
    terms = page.split('id="h-combinations"')[0]
    assert ">physiologic nipple discharge</a>" in terms
    assert ">pathologic nipple discharge</a>" in terms
    assert "Bilateral, single duct" not in terms
    # Grouped by verdict: the 6 complete physiologic combinations and 3 with the onset left open.
    assert "Show 9 combinations in physiologic nipple discharge" in page
    typo = http.get("/search", params={"q": "galactorea"}).text
    assert "Did you mean" in typo and ">galactorrhea</a>" in typo
    assert "Milk leaking" in typo or "milk leaking" in typo


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "phone"])
def test_the_classify_verdict_is_in_view_after_submitting(
    browser: Browser, explorer_url: str, viewport: dict[str, int]
) -> None:
    for page in open_page(browser, explorer_url, viewport):
        page.goto("/explore/classify")
        page.get_by_label("Laterality").select_option("HP:0012833")
        page.get_by_label("Character").select_option("PATO:0002105")
        page.get_by_role("button", name="Classify").click()
        page.wait_for_url("**#verdict")
        verdict = page.locator("#verdict")
        expect(verdict).to_be_in_viewport()
        expect(page.get_by_role("heading", name="Tell us more")).to_be_visible()
        screenshot(page, f"classify-verdict-{viewport['width']}")


def test_each_editor_tab_runs_and_shows_rows(page: Page, questions: Questions) -> None:
    page.goto("/editor")
    page.wait_for_function("typeof yasgui !== 'undefined' && yasgui.getTab() !== undefined")
    for name in questions.by_name:
        page.evaluate(f"Object.values(yasgui._tabs).find(t => t.getName() === {name!r}).show()")
        page.locator(".tabPanel.active .yasqe_queryButton").click()
        expect(page.locator(".tabPanel.active .yasr table tbody tr").first).to_be_visible(
            timeout=15000)
    link = page.locator(".tabPanel.active .yasr table a[href]").first
    assert not (link.get_attribute("href") or "").startswith("http")


def test_the_api_documentation_works_offline(page: Page, explorer_url: str) -> None:
    elsewhere: list[str] = []
    host = urlsplit(explorer_url).netloc
    page.on("request", lambda r: None if urlsplit(r.url).netloc in (host, "")
            else elsewhere.append(r.url))
    page.goto("/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=15000)
    assert page.locator(".opblock").count() > 10
    page.goto("/redoc")
    expect(page.get_by_text("Classify a nipple discharge presentation").first).to_be_attached(
        timeout=15000)
    assert elsewhere == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "phone"])
def test_pictures_are_readable(
    browser: Browser, explorer_url: str, viewport: dict[str, int]
) -> None:
    for page in open_page(browser, explorer_url, viewport):
        for path, name in (("/chain", "chain"), ("/NDKG_0000224", "neighbourhood")):
            page.goto(path)
            expect(page.locator(f'[data-graph="{name}"]')).to_have_attribute("data-ready", "true")
            zoom = page.evaluate(f"window.ndkgGraphs.{name}.zoom()")
            assert zoom * 14 >= 12, f"{name} text drawn at {zoom * 14:.1f} px"
            legend = page.locator(".graph-legend").first
            expect(legend).to_contain_text("causes condition")
            overlaps = page.evaluate(f"""(() => {{
              const boxes = window.ndkgGraphs.{name}.nodes().map(n => n.boundingBox(
                {{includeLabels: false}}));
              let count = 0;
              for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {{
                const a = boxes[i], b = boxes[j];
                if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) count++;
              }}
              return count; }})()""")
            assert overlaps == 0, f"{name}: {overlaps} boxes overlap"
            screenshot(page, f"{name}-{viewport['width']}")
        if name == "chain":
            xs = page.evaluate(
                "['NDKG_0000228', 'NDKG_0000200', 'NDKG_0000300'].map(id => window.ndkgGraphs"
                ".chain.getElementById('https://w3id.org/ndkg/' + id).position().x)")
            assert xs == sorted(xs)
