"""The explorer's pages, read as HTML: evidence, categories, questions, classification,
downloads, and what every page carries."""

from __future__ import annotations

import csv
import io
import re

import httpx
import pytest

from ndkg.build import BuildResult
from ndkg.store import BUILD_INFO


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
    assert ("Prevalence of dysphoric milk ejection reflex: 14.2% (209/1469) of lactating women"
            in text(page))


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
    assert response.status_code == 400


def test_the_downloads_of_the_current_version(http: httpx.Client, built: BuildResult) -> None:
    page = http.get("/downloads").text
    assert "Release files of version 2026-01-01" in page
    listed = dict(re.findall(r'href="/downloads/([^"]+)" download>.*?data-bytes="(\d+)"', page,
                             re.S))
    expected = {p.name: p.stat().st_size for p in (built.path / "release").iterdir()}
    expected[BUILD_INFO] = (built.path / BUILD_INFO).stat().st_size
    assert {name: int(size) for name, size in listed.items()} == expected
    assert {"ndkg.owl", "ndkg.ttl", "ndkg.jsonld", "ndkg.nt", "ndkg-full.nq", "ndkg_nodes.tsv",
            "ndkg_edges.tsv", "ndkg.sssom.tsv", BUILD_INFO} <= set(listed)
    response = http.get("/downloads/ndkg.ttl")
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.content == (built.path / "release" / "ndkg.ttl").read_bytes()


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
