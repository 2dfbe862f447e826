"""The classify page with the patient, in Chromium at desktop and phone size: age, sex and the
months since weaning in the form and the address; the imaging for the patient with the 2016
ratings and sources, the curators' reading, what to give when age or sex is missing; the
lactation window; values ``/classify`` refuses shown with its message. What the page shows is
compared with the ``/classify`` JSON for the same parameters and with the graph."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from ndkg.explorer.names import local_path
from ndkg.service.classify import PARAMETERS
from ndkg.storage.store import EmbeddedStore
from tests.ui.conftest import DESKTOP, open_page, screenshot
from tests.ui.test_people import PHONE_390

PATHOLOGIC = {"laterality": "HP:0012833", "ducts": "NDKG:0000400", "character": "PATO:0002105",
              "onset": "NDKG:0000402"}
"""Bloody discharge from one duct of one breast, on its own: the article's pathologic pattern."""
SEROUS_BOTH_BREASTS = {"laterality": "HP:0012832", "ducts": "NDKG:0000401",
                       "character": "PATO:0002128"}
"""Serous discharge from several ducts of both breasts: needs evaluation, not the pattern."""
MILKY, NOT_LACTATING = {"character": "PATO:0000323"}, {"lactating": "NDKG:0000405"}
CASES: dict[str, dict[str, str]] = {
    "woman-45": {**PATHOLOGIC, "age": "45", "sex": "female"},
    "woman-25": {**PATHOLOGIC, "age": "25", "sex": "female"},
    "man-30": {**PATHOLOGIC, "age": "30", "sex": "male"},
    "needs-evaluation": {**SEROUS_BOTH_BREASTS, "age": "45", "sex": "female"},
    "no-age": {**PATHOLOGIC, "sex": "female"},
    "weaned-8": {**MILKY, "months_since_weaning": "8"},
    "weaned-8-not-lactating": {**MILKY, **NOT_LACTATING, "months_since_weaning": "8"},
    "weaned-14-not-lactating": {**MILKY, **NOT_LACTATING, "months_since_weaning": "14"},
    "age-130": {**PATHOLOGIC, "age": "130"},
    "patient-woman-45": {**PATHOLOGIC, "age": "45", "sex": "female", "audience": "patient"},
}
GROUPS = ("first", "together_with_first", "added_when")
CITED_WORK = """
SELECT ?container ?date ?pmid ?doi WHERE {
  VALUES ?citation { <%s> }
  ?citation NDKG:0000027 ?container ; <http://purl.org/dc/terms/date> ?date .
  OPTIONAL { ?citation NDKG:0000024 ?pmid }
  OPTIONAL { ?citation NDKG:0000025 ?doi }
}
"""


def short_citation(store: EmbeddedStore, iri: str) -> tuple[str, str | None, str | None]:
    """The short citation of a cited work as the graph gives it (journal and year), its PMID
    and its DOI."""
    [row] = store.select(CITED_WORK % iri, use_prefixes=True)
    pmid, doi = row.get("pmid"), row.get("doi")
    return (f"{row['container']} {row['date']}", str(pmid) if pmid else None,
            str(doi) if doi else None)


def expect_source(store: EmbeddedStore, shown: Locator, iri: str) -> None:
    """``shown`` names the work ``iri`` by its short citation, linked to its page, with its
    PubMed identifier (its DOI when it has none)."""
    short, pmid, doi = short_citation(store, iri)
    link = shown.get_by_role("link", name=short, exact=True)
    expect(link).to_have_attribute("href", local_path(iri))
    if pmid:
        expect(shown.get_by_role("link", name=f"PubMed {pmid}")).to_have_attribute(
            "href", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
    else:
        expect(shown.get_by_role("link", name=f"doi:{doi}")).to_have_attribute(
            "href", f"https://doi.org/{doi}")


def expect_imaging(page: Page, store: EmbeddedStore, imaging: dict[str, Any]) -> None:
    """The imaging section shows what ``imaging`` (the JSON answer's) says."""
    section = page.locator("#imaging")
    section.scroll_into_view_if_needed()
    expect(section).to_be_visible()
    if imaging["needed"]:
        note = section.locator(".imaging-note")
        expect(note).to_have_text(imaging["note"])
        for name in imaging["needed"]:
            note.get_by_role("link", name=name, exact=True).click()
            expect(page.locator(f'[name="{name}"]')).to_be_focused()
    elif imaging["age"] is not None:
        expect(section.locator(".imaging-for")).to_contain_text(f"aged {imaging['age']:g}")
    reading = imaging["reading"]
    if reading:
        told = section.locator(".imaging-reading")
        expect(told).to_contain_text(f"given for {imaging['for']['label']}")
        expect(told).to_contain_text(f"apply them to {reading['object']['label']}")
        grounds = reading["note"].removeprefix("The curators' reading: ")
        expect(section.locator(".reading").first).to_contain_text(grounds[1:])
        expect(section.locator(".reading").first).to_contain_text(reading["evidence"]["id"])
    else:
        expect(section.locator(".imaging-reading")).to_have_count(0)
    for group in GROUPS:
        steps = imaging[group]
        items = section.locator(f'ul[data-group="{group}"] > li')
        expect(items).to_have_count(len(steps))
        for index, step in enumerate(steps):
            item = items.nth(index)
            expect(item.locator("p.edge strong")).to_have_text(step["procedure"]["label"])
            if step["conditions"]:
                expect(item.locator(".conditions")).to_have_text("; ".join(step["conditions"]))
            rating = step["rating"]
            if rating:
                shown = item.locator(".rating")
                expect(shown).to_contain_text(f"{rating['value']:g}")
                expect(shown.locator(".band")).to_have_text(rating["category"]["label"])
                expect_source(store, shown, rating["citation"]["iri"])
            else:
                expect(item.locator(".rating")).to_have_count(0)
            for cited in {e["citation"]["iri"] for e in step["evidence"]}:
                expect_source(store, item.locator("p.source"), cited)
    rows = section.locator("table.ratings tbody tr")
    expect(rows).to_have_count(len(imaging["ratings"]))
    for index, rating in enumerate(imaging["ratings"]):
        band = rating["category"]["label"] if rating["category"] else ""
        expect(rows.nth(index).locator("th, td")).to_have_text(
            [rating["procedure"]["label"], f"{rating['value']:g}", band])


def expect_window(page: Page, store: EmbeddedStore, window: dict[str, Any]) -> None:
    """The lactation window section shows what ``window`` (the JSON answer's) says."""
    section = page.locator("#lactation-window")
    section.scroll_into_view_if_needed()
    expect(section).to_be_visible()
    months = window["months_since_weaning"]
    expect(section.get_by_role("heading", level=2)).to_have_text(
        f"{months:g} months since the last pregnancy or since breastfeeding stopped")
    within = "within" if window["context"]["id"] == "NDKG:0000404" else "beyond"
    expect(section.locator(".window")).to_have_text(
        f"That is {within} the {window['window_months']:g}-month window of the source: the "
        f"lactation context is taken as {window['context']['label']}.")
    expect(section.locator(".quote")).to_have_text(window["text"])
    expect_source(store, section.locator(".source"), window["citation"]["iri"])
    expect(section.get_by_role("link", name=window["statistic"]["label"])).to_have_count(0)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "phone"])
def test_the_classify_page_shows_what_classify_answers_for_the_patient(
    browser: Browser, explorer_url: str, store: EmbeddedStore, viewport: dict[str, int]
) -> None:
    for page in open_page(browser, explorer_url, viewport):
        for case, params in CASES.items():
            response = page.goto("/explore/classify?" + urlencode(params) + "#verdict")
            api = httpx.get(f"{explorer_url}/classify", params=params)
            assert response is not None and response.status == api.status_code, case
            assert api.status_code in (200, 422), case
            if api.status_code == 422:
                [refused] = api.json()["detail"]
                name = refused["loc"][-1]
                alert = page.get_by_role("alert")
                expect(alert).to_be_in_viewport()
                expect(alert).to_contain_text(refused["msg"])
                field = page.locator(f'[name="{name}"]')
                expect(field).to_have_value(params[name])
                expect(field).to_have_attribute("aria-invalid", "true")
                alert.get_by_role("link").click()
                expect(field).to_be_focused()
            else:
                answer = api.json()
                expect(page.locator("#verdict .bottom-line")).to_have_text(answer["bottom_line"])
                if answer["imaging"] is None:
                    expect(page.locator("#imaging")).to_have_count(0)
                else:
                    expect_imaging(page, store, answer["imaging"])
                if answer["lactation_window"] is None:
                    expect(page.locator("#lactation-window")).to_have_count(0)
                else:
                    expect_window(page, store, answer["lactation_window"])
                if case == "patient-woman-45":
                    expect(page.get_by_role("heading", name="Breast scans")).to_be_visible()
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], f"{case} scrolls sideways: {widths}"
            screenshot(page, f"classify-patient-{case}-{viewport['width']}")


def test_the_cases_cover_each_kind_of_answer(explorer_url: str) -> None:
    """The cases above reach every part of the section: steps in each group with ratings, no
    rating, the curators' reading, what is needed, the window both ways, refused values."""
    answers = {case: httpx.get(f"{explorer_url}/classify", params=params)
               for case, params in CASES.items()}
    body = {case: r.json() for case, r in answers.items() if r.status_code == 200}
    assert {case for case, r in answers.items() if r.status_code == 422} == {
        "weaned-8-not-lactating", "age-130"}
    assert all(body["woman-45"]["imaging"][g] for g in ("first", "together_with_first"))
    assert body["woman-25"]["imaging"]["added_when"]
    assert body["woman-45"]["imaging"]["first"][0]["rating"] is not None
    assert body["woman-25"]["imaging"]["first"][0]["rating"] is None
    assert body["needs-evaluation"]["verdict"] == "needs_evaluation"
    assert body["needs-evaluation"]["imaging"]["reading"] is not None
    assert body["no-age"]["imaging"]["needed"] == ["age"]
    assert body["weaned-8"]["lactation_window"]["context"]["id"] == "NDKG:0000404"
    assert body["weaned-14-not-lactating"]["lactation_window"]["context"]["id"] == "NDKG:0000405"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "phone"])
def test_the_form_takes_the_patient_and_keeps_one_address(
    browser: Browser, explorer_url: str, viewport: dict[str, int]
) -> None:
    for page in open_page(browser, explorer_url, viewport):
        page.goto("/explore/classify")
        page.get_by_label("Laterality").select_option(PATHOLOGIC["laterality"])
        page.get_by_label("Character").select_option(PATHOLOGIC["character"])
        page.get_by_label("Age in years").fill("52")
        page.get_by_label("Sex").select_option("female")
        page.get_by_role("button", name="Classify").click()
        page.wait_for_url("**#verdict")
        submitted = [name for name, _ in parse_qsl(urlsplit(page.url).query,
                                                     keep_blank_values=True)]
        assert submitted == ["classify", *PARAMETERS]
        expect(page.locator("#imaging")).to_be_visible()
        expect(page.get_by_role("combobox", name="Search terms")).to_have_value("")
        links = [urlsplit(href) for href in page.locator(
            'main a[href^="/explore/classify?"], main a[href^="/classify?"]').evaluate_all(
            "links => links.map(a => a.getAttribute('href'))")]
        assert links
        for link in links:
            names = [name for name, _ in parse_qsl(link.query)]
            assert names == [n for n in PARAMETERS if n in names], link
            assert dict(parse_qsl(link.query))["age"] == "52", link
        page.get_by_label("Age in years").fill("130")
        page.get_by_role("button", name="Classify").click()
        page.wait_for_url("**age=130**")
        expect(page.get_by_role("alert")).to_contain_text(
            "Age: Input should be less than or equal to 120")
        expect(page.get_by_label("Age in years")).to_have_value("130")
        expect(page.get_by_label("Sex")).to_have_value("female")
        expect(page.get_by_label("Laterality")).to_have_value(PATHOLOGIC["laterality"])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "phone"])
def test_the_ask_page_shows_the_patient_and_the_first_imaging(
    browser: Browser, explorer_url: str, viewport: dict[str, int]
) -> None:
    text = "45 year old woman with bloody discharge from one breast"
    answer = httpx.get(f"{explorer_url}/ask", params={"q": text}).json()["classification"]
    for page in open_page(browser, explorer_url, viewport):
        page.goto("/ask?" + urlencode({"q": text}))
        verdict = page.locator("#verdict")
        expect(verdict).to_be_in_viewport()
        read = verdict.locator(".read-from-words")
        expect(read).to_contain_text(
            f"age {answer['age']['value']:g} (“{answer['age']['matched']}”)")
        expect(read).to_contain_text(
            f"sex {answer['sex']['label']} (“{answer['sex']['matched']}”)")
        first = verdict.locator('ul.imaging-steps li[data-order="1"]')
        expect(first.get_by_role("link")).to_have_text(
            [step["procedure"]["label"] for step in answer["imaging"]["first"]])
        together = verdict.locator('ul.imaging-steps li[data-order="2"]')
        expect(together.get_by_role("link")).to_have_text(
            [step["procedure"]["label"] for step in answer["imaging"]["together_with_first"]])
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], widths
        screenshot(page, f"ask-patient-{viewport['width']}")
        verdict.get_by_role("link", name="The whole answer on the classify page").click()
        page.wait_for_url("**/explore/classify?**#verdict")
        query = dict(parse_qsl(urlsplit(page.url).query))
        assert (query["age"], query["sex"]) == ("45", "female")
        expect(page.get_by_label("Age in years")).to_have_value("45")
        page.locator("#imaging").scroll_into_view_if_needed()
        expect(page.locator("#imaging")).to_be_visible()


def test_refused_values_are_shown_with_the_messages_of_classify_and_kept(
    browser: Browser, explorer_url: str
) -> None:
    params = {**PATHOLOGIC, "age": "200", "sex": "x"}
    api = httpx.get(f"{explorer_url}/classify", params=params)
    assert api.status_code == 422
    refused = {e["loc"][-1]: e["msg"] for e in api.json()["detail"]}
    assert set(refused) == {"age", "sex"}
    for page in open_page(browser, explorer_url, PHONE_390):
        response = page.goto("/explore/classify?" + urlencode(params) + "#verdict")
        assert response is not None and response.status == 422
        alert = page.get_by_role("alert")
        for name, message in refused.items():
            expect(alert).to_contain_text(message)
            expect(page.locator(f'[name="{name}"]')).to_have_value(params[name])
            expect(page.locator(f'[name="{name}"]')).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_label("Laterality")).to_have_value(PATHOLOGIC["laterality"])
        page.get_by_role("button", name="Classify").click()
        page.wait_for_url("**sex=x**")
        expect(page.get_by_role("alert")).to_contain_text(refused["sex"])
