"""The explorer's pages, read as HTML: evidence, categories, questions, classification,
downloads, and what every page carries."""

from __future__ import annotations

import csv
import io
import re

import httpx
import pytest

from ndkg.answers.lexicon import compress
from ndkg.build import RELEASE_REPORT, REPORTS_DIR, SHACL_REPORT, BuildResult
from ndkg.explorer import Explorer
from ndkg.storage.store import BUILD_INFO, EmbeddedStore


def text(html: str) -> str:
    """The text of a page, tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_term_page_shows_its_evidence(http: httpx.Client) -> None:
    page = http.get("/NDKG_0000224").text
    shown = text(page)
    assert "In everyday words: small growth inside a milk duct" in shown
    assert "A growth inside a milk duct of the breast" in shown
    assert "Intraductal papillomas - Can cause pathologic nipple discharge" in shown
    assert "Guideline Directed Topic Overview (2025) [ref. 1] · no identifier exists" in shown
    assert "author statement without traceable support used in manual assertion" in shown
    assert "submitted on 2026-11-25" in shown
    assert 'href="http://purl.obolibrary.org/obo/HP_6000102"' in page
    assert "skos:exactMatch" in shown
    assert "pathologic cause inferred" in shown and "anatomical factor asserted" in shown


def test_verified_citations_link_to_pubmed_and_doi(http: httpx.Client) -> None:
    page = http.get("/NDKG_0000227").text
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/40043530/"' in page
    assert 'href="https://doi.org/10.1016/j.ejogrb.2025.02.051"' in page
    assert ("Prevalence of dysphoric milk ejection reflex: about 14.2% (209/1469) of lactating "
            "women") in text(page)


def test_an_unresolved_citation_says_so(http: httpx.Client) -> None:
    shown = text(http.get("/NDKG_0000221").text)
    assert "Unresolved reference 2 [ref. 2] · unresolved" in shown


def test_statistics_and_claims_have_pages(http: httpx.Client) -> None:
    statistic = text(http.get("/NDKG_0002006").text)
    assert ("Proportion still leaking of breast milk leakage: 66% of breastfeeding mothers, "
            "6 months postpartum.") in statistic
    claim = text(http.get("/NDKG_0001034").text)
    assert "intraductal papilloma causes condition pathologic nipple discharge" in claim


def test_terms_on_the_causal_chain_show_it(http: httpx.Client) -> None:
    assert 'data-graph="chain"' in http.get("/NDKG_0000203").text
    assert 'data-graph="chain"' not in http.get("/NDKG_0000224").text
    chain = text(http.get("/chain").text)
    assert "Trigger : breast pump use" in chain
    assert "Outcome : breast milk leakage" in chain


@pytest.mark.parametrize(
    ("slug", "members"),
    [
        ("hormones", {"oxytocin", "prolactin"}),
        ("triggers", {"infant suckling", "breast pump use", "hearing the baby cry"}),
        ("pathologic-causes", {"intraductal papilloma", "prolactinoma", "galactorrhea"}),
        ("physiologic-causes", {"milk ejection reflex", "oxytocin release"}),
        ("behavioural-factors", {"stress", "tight clothing"}),
        ("conditions", {"hypothyroidism", "duct ectasia"}),
        ("medications", {"cabergoline", "antipsychotic medication"}),
        ("management", {"use of breast pads", "diagnostic breast imaging"}),
    ],
)
def test_categories_list_their_members(http: httpx.Client, slug: str, members: set[str]) -> None:
    response = http.get(f"/browse/{slug}")
    assert response.status_code == 200
    rows = set(re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', response.text))
    assert members <= rows


def test_inferred_members_are_marked(http: httpx.Client) -> None:
    page = http.get("/browse/presentations").text
    assert re.search(r">galactorrhea</a> <span class=\"badge inferred\"", page)


def test_unknown_pages_are_404(http: httpx.Client) -> None:
    for path in ("/browse/nothing", "/explore/questions/nothing", "/downloads/secret.txt"):
        assert http.get(path).status_code == 404


def test_a_question_page_answers_with_a_table_and_its_sparql(http: httpx.Client) -> None:
    params = {"laterality": "HP:0012833", "character": "PATO:0002105"}
    page = http.get("/explore/questions/causes-by-features", params=params).text
    assert re.search(r'<option value="HP:0012833" selected>', page)
    assert "1 row: Which causes produce a discharge with these features?" in text(page)
    assert ">intraductal papilloma</a>" in page
    assert "Show the SPARQL" in page
    assert "?lateralityValue a obo:HP_0012833 ." in page and "__laterality_iri" not in text(page)


def test_a_question_answers_as_csv(http: httpx.Client) -> None:
    params = {"laterality": "HP:0012833", "character": "PATO:0002105", "format": "csv"}
    response = http.get("/explore/questions/causes-by-features", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert all(not column.startswith("_") for column in rows[0])
    assert "https://w3id.org/ndkg/NDKG_0000224" in {r["cause"] for r in rows}


def test_a_question_with_a_disallowed_value_says_why(http: httpx.Client) -> None:
    response = http.get("/explore/questions/causes-by-features", params={"laterality": "green"})
    assert response.status_code == 400
    assert "is not an allowed value of" in response.text
    assert 'role="alert"' in response.text


def test_the_classify_page(http: httpx.Client) -> None:
    params = {"laterality": "HP:0012833", "character": "PATO:0002105", "weeks_postpartum": "10"}
    shown = text(http.get("/explore/classify", params=params).text)
    # Bloody from one breast needs evaluation whatever else; ducts and onset could make it the
    # article's pathologic pattern.
    assert ("nipple discharge needing evaluation Nipple discharge needing evaluation. Next: "
            in shown)
    assert shown.index("needing evaluation") < shown.index("Tell us more") < shown.index(
        "Next steps")
    assert "Ducts : single duct" in shown and "Onset : spontaneous onset" in shown
    assert "intraductal papilloma , through pathologic nipple discharge" in shown
    settled = {**params, "ducts": "NDKG:0000400", "onset": "NDKG:0000402"}
    decided = text(http.get("/explore/classify", params=settled).text)
    assert "Pathologic nipple discharge. Next: diagnostic breast imaging" in decided
    assert "Tell us more" not in decided
    nothing = text(http.get("/explore/classify", params={"classify": "1"}).text)
    assert "Not enough is known to decide: tell us" in nothing and "Tell us more" in nothing
    response = http.get("/explore/classify", params={"weeks_postpartum": "soon"})
    assert response.status_code == 422


def test_the_downloads_list_every_file_of_the_build(http: httpx.Client, built: BuildResult) -> None:
    page = http.get("/downloads").text
    assert "Release: files of version 2026-01-01" in page
    rows = re.findall(r'<tr>\s*<th scope="row"><a href="/downloads/([^"]+)" download>.*?</th>'
                      r'\s*<td class="long">([^<]+)</td>\s*<td>([^<]*)</td>.*?'
                      r'data-bytes="(\d+)"', page, re.S)
    listed = {name: int(size) for name, _, _, size in rows}
    expected = {p.name: p.stat().st_size for p in (built.path / "release").iterdir()}
    expected[BUILD_INFO] = (built.path / BUILD_INFO).stat().st_size
    reports = built.path.parent.parent / REPORTS_DIR
    expected |= {p.name: p.stat().st_size for p in reports.iterdir()}
    assert listed == expected
    assert {"ndkg_kgx_context.jsonld", SHACL_REPORT, RELEASE_REPORT} <= set(listed)
    for name, description, tools, _ in rows:
        assert description != name and tools, f"{name} says what it is for and what reads it"
        response = http.get(f"/downloads/{name}")
        assert response.status_code == 200, name
    described = {name: (description, tools) for name, description, tools, _ in rows}
    assert "kgx" in described["ndkg_kgx_context.jsonld"][1]
    assert "Biolink" in described["ndkg_kgx_context.jsonld"][0]
    assert "SHACL" in described[SHACL_REPORT][0]
    response = http.get("/downloads/ndkg.ttl")
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.content == (built.path / "release" / "ndkg.ttl").read_bytes()
    assert http.get(f"/downloads/{RELEASE_REPORT}").content == (
        reports / RELEASE_REPORT).read_bytes()


@pytest.mark.parametrize(
    "path",
    ["/", "/NDKG_0000224", "/chain", "/browse", "/browse/triggers", "/explore/questions",
     "/explore/questions/hormones", "/explore/classify", "/downloads", "/search?q=milk",
     "/NDKG_9999999"],
)
def test_every_page_has_landmarks_the_disclaimer_and_the_version(
    http: httpx.Client, path: str
) -> None:
    page = http.get(path).text
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page and '<nav aria-label="Main">' in page
    assert 'role="combobox"' in page and 'role="search"' in page
    assert "Educational use only; not a substitute for clinical judgement." in page
    assert 'Graph version <span class="version">2026-01-01</span>' in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//(?!creativecommons)""",
                         re.sub(r'<(a|link rel="canonical")[^>]*>', "", page))
    for table in re.findall(r"<table.*?</table>", page, re.S):
        assert "<caption" in table


PATHOLOGIC_PRESENTATION = (
    "/presentation/HP_0012833-NDKG_0000400-PATO_0002105-NDKG_0000402-NDKG_0000405"
)


@pytest.mark.parametrize(
    ("path", "kind", "says"),
    [
        ("/NDKG_0000224", "class", ["Intraductal papillomas - Can cause pathologic nipple"]),
        ("/NDKG_0000309", "class", [
            "Defining rule",
            "In one sentence: nipple discharge needing evaluation is nipple discharge and (has "
            "colour or character serous or hemorrhagic or ((has laterality Unilateral or has "
            "onset spontaneous onset), not nipple discharge of the physiologic pattern, and not "
            "breast milk leakage)).",
            "What the rule rests on",
            "The curators' reading of the source, not its own words (evidence: curator "
            "inference, ECO:0000305). It rests on this: Each feature the advice names",
        ]),
        ("/NDKG_0001034", "claim", [
            "intraductal papilloma causes condition pathologic nipple discharge",
            "Qualifier typically serous or bloody",
        ]),
        ("/NDKG_0001059", "claim", [
            "physiologic nipple discharge is defined as what is all of:",
            "In one sentence: physiologic nipple discharge is nipple discharge, has laterality "
            "Bilateral, has duct involvement multiple ducts",
            "The curators' reading of the source, not its own words",
            "It rests on this: The source speaks of the leaking of lactating women",
        ]),
        ("/NDKG_0001038", "claim", [
            "The cited work does not report this. The article cites it, but the curators record "
            "that it does not say this: Reference 3 is a survey of the dysphoric milk ejection "
            "reflex",
        ]),
        ("/NDKG_0001035", "individual", [
            "Obsolete — replaced by intraductal papilloma causes condition pathologic nipple "
            "discharge (ref. 1)",
            "Withdrawn: with the claim about serous discharge",
        ]),
        ("/NDKG_0002003", "statistic", [
            "Prevalence of dysphoric milk ejection reflex: about 14.2% (209/1469) of lactating "
            "women.",
            "Value about 14.2% (209/1469) (approximate",
        ]),
        ("/NDKG_0002004", "statistic", [
            "Pathologic nipple discharge: 3–29% risk of underlying breast malignancy, in people "
            "with pathologic nipple discharge.",
            "Outcome underlying breast malignancy",
        ]),
        ("/NDKG_0002005", "statistic", [
            "The sources disagree This disagrees with Proportion still leaking of breast milk "
            "leakage: 66% of breastfeeding mothers, 6 months postpartum.",
            "Leaking: a problem of lactation (1989) [ref. 4]",
            "The curators' record of the conflict",
        ]),
        ("/NDKG_0003001", "conflict", [
            "Statements that disagree The curators' note: The source article says that most "
            "leaking resolves by 3-4 months",
            "Typical time by which most leaking resolves (breast milk leakage): 3–4 months",
            "Most leaking resolves as lactation becomes established and regulated",
            "Citation What causes breast milk leakage? (source article)",
            "Proportion still leaking of breast milk leakage: 66% of breastfeeding mothers",
            "Leaking is extremely common, with 66% of breastfeeding mothers",
            "Citation Leaking: a problem of lactation (1989) [ref. 4]",
            "curator inference used in manual assertion ECO:0000305",
        ]),
        ("/NDKG_0000703", "citation", [
            "Cited work Title Dysphoric Milk Ejection Reflex: Prevalence, persistence, and "
            "implications", "PubMed 40043530", "Cross-sectional online survey, n=1469.",
        ]),
        ("/term/HP:0100829", "external term", [
            "ndkg terms mapped to this term", "skos:exactMatch galactorrhea NDKG:0000214",
        ]),
        (PATHOLOGIC_PRESENTATION, "presentation", [
            "A combination of features the build classified",
            "Laterality Unilateral Ducts single duct Character hemorrhagic Onset spontaneous "
            "onset Lactating unrelated to lactation",
            "Verdict: pathologic nipple discharge",
        ]),
    ],
)
def test_every_kind_of_entity_page_says_what_a_person_needs(
    http: httpx.Client, path: str, kind: str, says: list[str]
) -> None:
    page = http.get(path)
    assert page.status_code == 200
    shown = text(page.text)
    assert f'<span class="badge kind-{kind.replace(" ", "-")}">{kind}</span>' in page.text
    for words in says:
        assert words in shown, words


def test_an_obsolete_claim_links_to_its_replacement_and_is_not_defined_by_its_reason(
    http: httpx.Client,
) -> None:
    page = http.get("/NDKG_0001027").text
    assert '<span class="badge obsolete">obsolete</span>' in page
    head = page.split('id="h-obsolete"')[1].split("</h2>")[0]
    assert '<a href="/NDKG_0001052">' in head
    assert 'id="h-definition"' not in page
    assert http.get("/NDKG_0001052").status_code == 200


def test_a_generated_presentation_links_to_its_classification(http: httpx.Client) -> None:
    page = http.get(PATHOLOGIC_PRESENTATION).text
    link = re.search(r'href="(/explore/classify\?[^"]+)"', page)
    assert link is not None
    classified = text(http.get(link.group(1).replace("&amp;", "&")).text)
    assert "Pathologic nipple discharge. Next: diagnostic breast imaging" in classified


@pytest.mark.parametrize(
    "path",
    ["/NDKG_0000300", "/NDKG_0000227", "/NDKG_0000302", "/NDKG_0000211", "/NDKG_0003001",
     "/NDKG_0000703", "/NDKG_0000704", "/NDKG_0000108", "/NDKG_0002006",
     "/explore/questions/statistics", "/explore/questions/evidence?term=NDKG%3A0000300",
     "/explore/questions/about-term?term=NDKG%3A0000300",
     "/ask?q=how+common+is+leaking", "/ask?q=I+feel+sad+when+my+milk+lets+down",
     "/ask?q=evidence+for+D-MER", "/explore/questions/evidence?term=NDKG%3A0000227",
     "/explore/classify?lactating=NDKG%3A0000404&weeks_postpartum=26",
     "/explore/classify?laterality=HP%3A0012833&ducts=NDKG%3A0000400&character=PATO%3A0002105"
     "&onset=NDKG%3A0000402&lactating=NDKG%3A0000405"],
)
def test_a_statistic_is_never_a_bare_identifier(
    http: httpx.Client, store: EmbeddedStore, path: str
) -> None:
    sentences = Explorer(store).names.described
    page = http.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200
    shown = text(page.text)
    seen = 0
    for iri, sentence in sentences.items():
        curie = compress(iri)
        assert not re.search(rf">\s*{curie}\s*</(a|td|th|li|p)>", page.text), curie
        for found in re.finditer(re.escape(curie), shown):
            before = shown[: found.start()].rstrip()
            assert before.endswith((sentence, "Identifier")), f"{curie} without its sentence"
        seen += sentence in shown
    assert seen, "the page names a statistic"


def test_the_ask_page_marks_figures_the_sources_disagree_on(http: httpx.Client) -> None:
    page = http.get("/ask", params={"q": "how common is leaking"},
                    headers={"Accept": "text/html"}).text
    shown = re.findall(r'<li>\s*<p><a href="/NDKG_(\d+)">', page)
    disagreeing = re.findall(r'<p><a href="/NDKG_(\d+)">[^<]+</a> <a class="badge inferred" '
                             r'href="/NDKG_0003001"', page)
    assert set(disagreeing) == {"0002005", "0002006"}
    assert {"0002001", "0002005", "0002006"} <= set(shown)
