"""What a researcher, a clinician and a patient try first, on the real build served on
loopback: every link answers, shown SPARQL runs as shown, answers in everyday words, the classify
verdict in view, search that forgives typos, the API documentation offline."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import httpx
import pytest
from markupsafe import escape
from playwright.sync_api import Browser, Page, expect

from ndkg.answers.classify import FEATURES, Classification, Classifier
from ndkg.answers.lexicon import Lexicon, compress
from ndkg.questions import Questions
from ndkg.storage.store import EmbeddedStore
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


def verdict_cases(store: EmbeddedStore) -> dict[str, dict[str, str]]:
    """For each verdict a presentation with every feature given can have, the first such
    presentation the build classified (its features as the classify page's query)."""
    classifier = Classifier(store, Lexicon.from_store(store))
    names = {iri: name for name, iri in FEATURES.items()}
    found: dict[str, dict[str, str]] = {}
    for combination in classifier.complete:
        verdict = Classification.verdict_of(combination).value
        found.setdefault(verdict, {names[p]: compress(v) for p, v in combination.values.items()})
    return found


CLASSIFY_CASES = ["pathologic", "needs_evaluation", "galactorrhea", "physiologic",
                  "outside_patterns", "none", "one", "weeks-26", "patient"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "phone"])
def test_the_classify_page_answers_first_and_says_why(
    browser: Browser, explorer_url: str, store: EmbeddedStore, viewport: dict[str, int]
) -> None:
    complete = verdict_cases(store)
    assert set(complete) == set(CLASSIFY_CASES[:5])
    cases: dict[str, dict[str, str]] = {
        **complete, "none": {"classify": "1"}, "one": {"character": "PATO:0002105"},
        "weeks-26": {"lactating": "NDKG:0000404", "weeks_postpartum": "26"},
        "patient": {"laterality": "HP:0012832", "character": "PATO:0000323",
                    "audience": "patient"},
    }
    lexicon = Lexicon.from_store(store)
    for page in open_page(browser, explorer_url, viewport):
        for case in CLASSIFY_CASES:
            page.goto("/explore/classify?" + urlencode(cases[case]) + "#verdict")
            verdict = page.locator("#verdict")
            expect(verdict).to_be_in_viewport()
            expect(verdict.locator(".bottom-line")).to_be_in_viewport()
            expect(verdict.locator(".why")).to_contain_text("Why:")
            heading = verdict.get_by_role("heading", level=2).inner_text()
            asked = {k: v for k, v in cases[case].items() if k != "classify"}
            answer = httpx.get(f"{explorer_url}/classify", params=asked).json()
            assert heading == answer["verdict_class"]["label"]
            expect(verdict.locator(".bottom-line")).to_have_text(answer["bottom_line"])
            if case in complete:
                assert answer["verdict"] == case
                expect(verdict.locator(".why")).to_contain_text("exactly when it is")
                expect(page.get_by_role("heading", name="Tell us more")).to_have_count(0)
            if case == "pathologic":
                expect(page.locator("section", has=page.get_by_role(
                    "heading", name="Figures"))).to_contain_text(
                    "3–29% risk of underlying breast malignancy")
            if case == "needs_evaluation":
                expect(verdict).to_contain_text("ECO:0000305: the curators' reading of the source")
            if case in ("none", "one"):
                expect(page.get_by_role("heading", name="Tell us more")).to_be_visible()
            if case == "none":
                expect(verdict).to_contain_text("Not enough is known to decide")
                expect(verdict.locator(".why")).to_contain_text("what you gave fits discharges of")
            if case == "weeks-26":
                conflict = page.locator("section.conflict")
                expect(conflict).to_contain_text("The curators' note: The source article says")
                expect(conflict).to_contain_text("Leaking: a problem of lactation (1989)")
                expect(conflict).to_contain_text("What causes breast milk leakage? (source "
                                                 "article)")
                expect(conflict.locator("li")).to_have_count(2)
                expect(page.locator("section", has=page.get_by_role(
                    "heading", name="26 weeks since childbirth"))).to_contain_text(
                    "the sources disagree")
                expect(page.get_by_text("Prevalence of breast milk leakage: 50–80%").first
                       ).to_be_visible()
            if case == "patient":
                assert heading == lexicon.lay_label(answer["verdict_class"]["iri"])
                expect(verdict.locator(".why")).not_to_contain_text("reasoner")
                expect(page.get_by_label("Laterality")).to_contain_text("both breasts")
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], f"{case} scrolls sideways: {widths}"
            screenshot(page, f"classify-{case}-{viewport['width']}")


def test_a_cause_the_cited_work_does_not_report_is_marked(http: httpx.Client) -> None:
    page = http.get("/explore/classify", params={
        "laterality": "HP:0012832", "ducts": "NDKG:0000401", "character": "PATO:0000323",
        "onset": "NDKG:0000403", "lactating": "NDKG:0000404"}).text
    stress = re.search(r'<li><p class="edge"><a href="/NDKG_0000226">stress</a>.*?</li>', page,
                       re.S)
    assert stress is not None
    assert "the cited work does not report this" in stress.group(0)
    assert "The cited work does not report this." in stress.group(0)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "phone"])
def test_a_described_discharge_is_answered_with_its_classification(
    browser: Browser, explorer_url: str, viewport: dict[str, int]
) -> None:
    for page in open_page(browser, explorer_url, viewport):
        page.goto("/ask?" + urlencode({"q": "bloody discharge from one breast, what should I do?"}))
        verdict = page.locator("#verdict")
        expect(verdict).to_be_in_viewport()
        expect(verdict).to_contain_text("Read from your words: laterality Unilateral")
        expect(verdict.locator(".bottom-line")).to_contain_text("Next: diagnostic breast imaging")
        expect(verdict.get_by_role("heading", name="Next steps")).to_be_visible()
        screenshot(page, f"ask-classification-{viewport['width']}")
        verdict.get_by_role("link", name="The whole answer on the classify page").click()
        page.wait_for_url("**/explore/classify?**#verdict")
        expect(page.locator("#verdict")).to_be_in_viewport()
        expect(page.get_by_label("Laterality")).to_have_value("HP:0012833")
        expect(page.get_by_label("Character")).to_have_value("PATO:0002105")


def test_sad_at_let_down_is_answered_as_d_mer(page: Page) -> None:
    page.goto("/ask?" + urlencode({"q": "I feel sad when my milk lets down"}))
    expect(page.locator(".interpretation")).to_contain_text(
        "What is this term, and what does the graph say of it?")
    answer = page.locator("section", has=page.get_by_role("heading", name="Answer"))
    expect(answer.get_by_role("link", name="dysphoric milk ejection reflex").first).to_be_visible()
    expect(answer).to_contain_text(
        "A condition where milk let-down is accompanied by negative emotions.")
    expect(answer.get_by_text(
        "Prevalence of dysphoric milk ejection reflex: about 14.2% (209/1469) of lactating "
        "women.", exact=True).first).to_be_visible()
    expect(answer).not_to_contain_text("Numerator")
    expect(page.locator("#verdict")).to_have_count(0)
    screenshot(page, "ask-d-mer-desktop")


def test_suggestions_show_definitions_and_everyday_words(
    browser: Browser, explorer_url: str
) -> None:
    for page in open_page(browser, explorer_url, DESKTOP):
        page.goto("/")
        box = page.get_by_role("combobox", name="Search terms")
        box.fill("galac")
        first = page.locator("#site-search-option-0")
        expect(first.locator(".option-label")).to_have_text("galactorrhea")
        expect(first.locator(".option-words")).to_have_text(
            "in everyday words: milk leaking not linked to a recent birth or breastfeeding")
        expect(first.locator(".option-definition")).to_have_text(
            "Abnormal milk production not associated with childbirth or nursing.")
        expect(first.locator(".option-definition")).to_be_in_viewport()
        screenshot(page, "suggestions-desktop")
        page.goto("/?audience=patient")
        box.fill("galac")
        expect(first.locator(".option-label")).to_have_text(
            "milk leaking not linked to a recent birth or breastfeeding")
        expect(first.locator(".option-words")).to_have_text("clinical term: galactorrhea")


def test_an_obsolete_term_is_offered_only_by_its_identifier_and_marked(page: Page) -> None:
    page.goto("/")
    box = page.get_by_role("combobox", name="Search terms")
    box.fill("pituitary disorder causes")
    expect(page.locator("#site-search-status")).not_to_have_text("")
    expect(page.locator(".option-obsolete")).to_have_count(0)
    box.fill("NDKG:0001028")
    option = page.locator("#site-search-option-0")
    expect(option.locator(".option-obsolete")).to_have_text(
        "Obsolete — replaced by prolactinoma causes condition galactorrhea (source article)")
    box.press("Enter")
    page.wait_for_url("**/search?q=NDKG%3A0001028")
    hit = page.locator("ol.hits li").first
    expect(hit).to_contain_text("obsolete")
    hit.get_by_role("link", name="prolactinoma causes condition galactorrhea").click()
    page.wait_for_url("**/NDKG_0001029")
    expect(page.get_by_role("heading", level=1)).to_contain_text("prolactinoma")
