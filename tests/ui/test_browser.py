"""The explorer in a real browser: search, term pages, pictures, question forms, the query
editor, keyboard use and phone widths. Screenshots of the main pages are saved as artefacts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ndkg.vocab import NDKG, OBO
from tests.ui.conftest import screenshot

PAPILLOMA = str(NDKG.NDKG_0000224)
MAIN_PAGES = {
    "home": "/",
    "term": "/NDKG_0000224",
    "chain": "/chain",
    "browse": "/browse/pathologic-causes",
    "question": "/explore/questions/causes-by-features?laterality=HP%3A0012833"
                "&character=PATO%3A0002105",
    "classify": "/explore/classify?laterality=HP%3A0012833&character=PATO%3A0002105",
    "downloads": "/downloads",
    "search": "/search?q=milk",
    "conflict": "/NDKG_0003001",
    "obsolete": "/NDKG_0001035",
    "statistic": "/NDKG_0002004",
    "definition-claim": "/NDKG_0001059",
    "presentation": "/presentation/HP_0012833-NDKG_0000400-PATO_0002105-NDKG_0000402-any",
    "ask": "/ask?q=I+feel+sad+when+my+milk+lets+down",
}


def graph_ready(page: Page, name: str) -> None:
    """Wait until the cytoscape picture ``name`` is laid out."""
    expect(page.locator(f'[data-graph="{name}"]')).to_have_attribute("data-ready", "true")


def suggestions(page: Page, text: str) -> list[str]:
    """Type ``text`` into the search box; the labels of the suggestions it lists."""
    box = page.get_by_role("combobox", name="Search terms")
    box.fill(text)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator('#site-search-options [role="option"]').first).to_be_visible()
    return page.locator('#site-search-options [role="option"] .option-label').all_inner_texts()


def test_search_for_a_term_and_open_it_with_the_keyboard(page: Page) -> None:
    page.goto("/")
    assert suggestions(page, "intraductal")[0] == "intraductal papilloma"
    box = page.get_by_role("combobox", name="Search terms")
    box.press("ArrowDown")
    first = page.locator("#site-search-option-0")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "site-search-option-0")
    box.press("Enter")
    page.wait_for_url("**/NDKG_0000224")
    expect(page.get_by_role("heading", level=1)).to_have_text("intraductal papilloma")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("HP:0100829", ["galactorrhea"]),
        ("blood-stained", ["hemorrhagic", "bloody pathologic nipple discharge"]),
        ("let-down", ["milk ejection reflex"]),
    ],
)
def test_search_understands_ids_and_everyday_words(
    page: Page, typed: str, expected: list[str]
) -> None:
    page.goto("/")
    assert suggestions(page, typed)[: len(expected)] == expected


def test_escape_closes_the_suggestions_and_enter_searches(page: Page) -> None:
    page.goto("/")
    suggestions(page, "prolactin")
    box = page.get_by_role("combobox", name="Search terms")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")
    page.wait_for_url("**/search?q=prolactin")
    expect(page.get_by_role("link", name="prolactinoma").first).to_be_visible()


def test_a_term_page_shows_the_evidence_behind_each_relation(page: Page) -> None:
    page.goto("/NDKG_0000224")
    relations = page.locator("section", has=page.get_by_role("heading", name="Relations"))
    target = page.get_by_role("link", name="pathologic nipple discharge", exact=True)
    edge = relations.locator("li", has=target).first
    expect(edge.locator("blockquote")).to_contain_text(
        "Intraductal papillomas - Can cause pathologic nipple discharge"
    )
    citation = edge.get_by_role("link", name="Guideline Directed Topic Overview (2025)")
    expect(citation).to_be_visible()
    expect(edge).to_contain_text("no identifier exists")
    expect(edge).to_contain_text("submitted")
    page.goto("/NDKG_0000227")
    expect(page.get_by_role("link", name="PubMed 40043530").first).to_have_attribute(
        "href", "https://pubmed.ncbi.nlm.nih.gov/40043530/"
    )


def test_the_neighbourhood_graph_draws_the_terms_relations(page: Page) -> None:
    page.goto("/NDKG_0000224")
    graph_ready(page, "neighbourhood")
    nodes = page.evaluate("window.ndkgGraphs.neighbourhood.nodes().map(n => n.id())")
    assert set(nodes) == {PAPILLOMA, str(OBO.UBERON_0001765)} | {
        str(NDKG[f"NDKG_{n}"]) for n in ("0000302", "0000127", "0000114")
    }
    labels = page.evaluate("window.ndkgGraphs.neighbourhood.edges().map(e => e.data('label'))")
    assert {"causes condition", "disease has location", "is a"} == set(labels)
    drawn = page.evaluate(
        "(() => { const n = window.ndkgGraphs.neighbourhood.getElementById("
        f"'{PAPILLOMA}'); return [n.renderedPosition().x > 0, n.visible()]; }})()"
    )
    assert drawn == [True, True]
    screenshot(page, "term-desktop")


def test_the_causal_chain_is_drawn_from_trigger_to_leakage(page: Page) -> None:
    page.goto("/chain")
    graph_ready(page, "chain")
    roles = page.evaluate(
        "Object.fromEntries(window.ndkgGraphs.chain.nodes().map(n => [n.id(), n.data('role')]))"
    )
    assert roles[str(NDKG.NDKG_0000228)] == "trigger"
    assert roles[str(NDKG.NDKG_0000200)] == "reflex"
    assert roles[str(NDKG.NDKG_0000203)] == "hormone"
    assert roles[str(OBO.CL_1000419)] == "cell"
    assert roles[str(NDKG.NDKG_0000300)] == "outcome"
    ys = page.evaluate(
        "['NDKG_0000228', 'NDKG_0000200', 'NDKG_0000300'].map(id => window.ndkgGraphs.chain"
        ".getElementById('https://w3id.org/ndkg/' + id).position().y)"
    )
    assert ys == sorted(ys), "the chain runs from triggers at the top to leakage at the bottom"
    screenshot(page, "chain-desktop")
    page.goto("/NDKG_0000203")
    graph_ready(page, "chain")
    assert page.evaluate(
        f"window.ndkgGraphs.chain.getElementById('{NDKG.NDKG_0000203}').hasClass('focus')"
    )


def test_a_question_form_returns_rows(page: Page) -> None:
    page.goto("/explore/questions/causes-by-features")
    page.get_by_label("laterality").select_option("HP:0012833")
    page.get_by_label("character").select_option("PATO:0002105")
    page.get_by_role("button", name="Run the question").click()
    page.wait_for_url("**laterality=HP%3A0012833**")
    table = page.get_by_role("table", name="row: Which causes produce")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    assert rows.count() >= 1
    expect(rows.first.get_by_role("link", name="intraductal papilloma").first).to_be_visible()
    page.get_by_text("Show the SPARQL").click()
    expect(page.locator("details.sparql pre")).to_contain_text("SELECT")
    expect(page.locator("details.sparql pre")).to_contain_text(
        "?lateralityValue a obo:HP_0012833 .")
    csv_link = page.get_by_role("link", name="Download CSV")
    expect(csv_link).to_have_attribute("href", "/explore/questions/causes-by-features?"
                                       "laterality=HP%3A0012833&ducts=NDKG%3A0000118&character="
                                       "PATO%3A0002105&onset=NDKG%3A0000118&context=NDKG%3A0000118"
                                       "&format=csv")
    screenshot(page, "question-desktop")


def test_the_query_editor_runs_a_query(page: Page) -> None:
    page.goto("/editor")
    page.wait_for_function("typeof yasgui !== 'undefined' && yasgui.getTab() !== undefined")
    page.evaluate(
        "yasgui.getTab().setQuery('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\n"
        "SELECT ?label WHERE { <https://w3id.org/ndkg/NDKG_0000224> rdfs:label ?label }')"
    )
    page.locator(".yasqe_queryButton").click()
    expect(page.locator(".yasr table")).to_contain_text("intraductal papilloma")
    screenshot(page, "editor-desktop")


def test_the_skip_link_comes_first_and_focus_is_visible(page: Page) -> None:
    page.goto("/NDKG_0000224")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to main content")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_main_pages_fit_a_phone_without_horizontal_scrolling(phone: Page, name: str) -> None:
    phone.goto(MAIN_PAGES[name])
    phone.wait_for_load_state("networkidle")
    widths = phone.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{name} scrolls sideways at 375 px: {widths}"
    screenshot(phone, f"{name}-phone")


@pytest.mark.parametrize("name", ["home", "browse", "classify", "downloads"])
def test_desktop_screenshots(page: Page, name: str) -> None:
    page.goto(MAIN_PAGES[name])
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("contentinfo")).to_contain_text("Graph version 2026-01-01")
    screenshot(page, f"{name}-desktop")
