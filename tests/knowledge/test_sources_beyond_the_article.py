"""What the sources beyond the article support, answered from the built graph: citations with
their verified identifiers and kinds, evidence codes that fit, facts in the curators' words, the
further causes of galactorrhea, its work-up and treatments, and every estimate of D-MER."""

from __future__ import annotations

from ndkg.questions import Questions
from ndkg.storage.store import EmbeddedStore

NDKG = "https://w3id.org/ndkg/NDKG_"
ACR_2022, ACR_2016, ALCOCK = f"{NDKG}0000706", f"{NDKG}0000707", f"{NDKG}0000708"
DMER_2019, DMER_2024, REF_3 = f"{NDKG}0000709", f"{NDKG}0000710", f"{NDKG}0000703"
GAL_2012, GAL_2022, GAL_2004 = f"{NDKG}0000711", f"{NDKG}0000712", f"{NDKG}0000713"

CITATIONS = """
SELECT ?citation ?pmid ?doi ?kind ?code ?status WHERE {
  VALUES ?citation { %s }
  ?citation NDKG:0000026 ?status ; NDKG:0000043 ?kind .
  ?kind NDKG:0000044 ?code .
  OPTIONAL { ?citation NDKG:0000024 ?pmid }
  OPTIONAL { ?citation NDKG:0000025 ?doi }
}"""


def test_each_source_is_a_citation_with_what_was_verified_of_it(store: EmbeddedStore) -> None:
    sources = (ACR_2022, ACR_2016, ALCOCK, DMER_2019, DMER_2024, GAL_2012, GAL_2022, GAL_2004)
    rows = {r["citation"]: r for r in store.select(
        CITATIONS % " ".join(f"<{c}>" for c in sources), use_prefixes=True)}
    assert {c: (r.get("pmid"), r.get("doi")) for c, r in rows.items()} == {
        ACR_2022: ("36436958", None),
        ACR_2016: (None, "10.1016/j.jacr.2017.01.030"),
        ALCOCK: (None, None),  # no PMID or DOI verified: none recorded
        DMER_2019: ("31393168", "10.1089/bfm.2019.0091"),
        DMER_2024: ("38539175", "10.1186/s13006-024-00625-0"),
        GAL_2012: ("22962879", None),
        GAL_2022: ("36521467", None),
        GAL_2004: ("15317441", None),
    }
    assert rows[ALCOCK]["status"] == f"{NDKG}0000612"  # identifier not verified
    kinds = {c: r["kind"].rsplit("_", 1)[1] for c, r in rows.items()}
    assert kinds[ACR_2022] == kinds[ACR_2016] == "0000620"  # guideline
    assert kinds[GAL_2012] == kinds[GAL_2022] == kinds[GAL_2004] == "0000621"  # review
    assert (kinds[ALCOCK], kinds[DMER_2019], kinds[DMER_2024]) == (
        "0000622", "0000623", "0000624")  # observational, descriptive, survey


def test_the_facts_of_a_source_carry_its_evidence_code_and_no_quote(store: EmbeddedStore) -> None:
    rows = store.select("""
        SELECT ?statement ?code ?fitting ?quote WHERE {
          ?statement NDKG:0000045 ?summary ; obo:RO_0002558 ?code ; NDKG:0000006 ?citation .
          ?citation NDKG:0000043/NDKG:0000044 ?fitting .
          OPTIONAL { ?statement NDKG:0000002 ?quote }
        }""", use_prefixes=True)
    assert len(rows) >= 100
    assert [r for r in rows if "quote" in r] == []
    # Each fact has the code of its kind of source, or the curators' inference for their reading.
    assert {r["statement"] for r in rows if r["code"] not in (r["fitting"],
            "http://purl.obolibrary.org/obo/ECO_0000305")} == set()
    codes = {r["code"].rsplit("_", 1)[1] for r in rows}
    assert codes == {"0000304", "0007121", "0000305"}


def test_a_claim_of_several_sources_keeps_each_sources_evidence(questions: Questions) -> None:
    rows = questions.answer("causes-of-condition", {"condition": "galactorrhea"}).rows
    hypothyroidism = {r["citation"]: r for r in rows if r["causeLabel"] == "hypothyroidism"}
    assert set(hypothyroidism) == {f"{NDKG}0000700", GAL_2012, GAL_2022}
    assert hypothyroidism[GAL_2012]["qualifier"] == "less common"
    assert hypothyroidism[GAL_2022]["qualifier"] == "less often"
    assert hypothyroidism[f"{NDKG}0000700"]["text"] == "Can be caused by hypothyroidism"
    assert hypothyroidism[GAL_2012]["text"].startswith("Less common causes of galactorrhea:")


def test_the_further_causes_of_galactorrhea_the_reviews_name(questions: Questions) -> None:
    rows = questions.answer("causes-of-condition", {"condition": "galactorrhea"}).rows
    by_cause: dict[str, set[str]] = {}
    for row in rows:
        by_cause.setdefault(row["causeLabel"], set()).add(row["citation"])
    assert by_cause["renal insufficiency"] == {GAL_2012, GAL_2022, GAL_2004}
    assert by_cause["cirrhosis"] == {GAL_2022}
    assert by_cause["hypothalamic lesion"] == {GAL_2022, GAL_2004}
    assert by_cause["pituitary stalk lesion"] == {GAL_2004}
    assert by_cause["pregnancy"] == by_cause["nipple stimulation"] == {GAL_2012}
    assert by_cause["hyperprolactinemia"] == {GAL_2012, GAL_2022}
    assert by_cause["pituitary adenoma"] == {GAL_2004}
    hyper = questions.answer("causes-of-condition", {"condition": "hyperprolactinemia"}).rows
    assert {r["causeLabel"] for r in hyper} == {
        "causative medication", "pituitary adenoma", "pituitary microadenoma",
        "sellar or suprasellar lesion"}


def test_the_work_up_and_treatment_of_galactorrhea(questions: Questions) -> None:
    rows = questions.answer("treatments-of-condition", {"condition": "galactorrhea"}).rows
    steps: dict[str, set[str]] = {}
    for row in rows:
        steps.setdefault(row["treatmentLabel"], set()).add(row["citation"])
    assert steps["serum prolactin measurement"] == {GAL_2012, GAL_2022, GAL_2004}
    assert steps["thyroid-stimulating hormone measurement"] == {GAL_2022, GAL_2004}
    assert steps["pregnancy test"] == {GAL_2022, GAL_2004}
    assert steps["renal function tests"] == {GAL_2022}
    assert steps["pituitary MRI"] == {GAL_2004}
    assert steps["stopping or switching the causative medication"] == {GAL_2012, GAL_2022}
    hyper = questions.answer("treatments-of-condition", {"condition": "hyperprolactinemia"}).rows
    treatments = {(r["treatmentLabel"], r["citation"]) for r in hyper}
    assert {("cabergoline", GAL_2022), ("cabergoline", GAL_2004), ("bromocriptine", GAL_2004),
            ("dopamine agonist", GAL_2004), ("pituitary MRI", GAL_2022)} <= treatments
    prolactinoma = questions.answer("treatments-of-condition", {"condition": "prolactinoma"}).rows
    assert {r["treatmentLabel"] for r in prolactinoma if r["citation"] == GAL_2012} == {
        "dopamine agonist", "bromocriptine", "cabergoline", "pituitary surgery or radiation"}


def test_every_estimate_of_d_mer_side_by_side(questions: Questions) -> None:
    rows = questions.answer("estimates", {"about": "D-MER"}).rows
    prevalence = {r["citation"]: r for r in rows if r["measure"] == "prevalence"}
    assert {c: (r["value"], r.get("numerator"), r.get("denominator"))
            for c, r in prevalence.items()} == {
        REF_3: ("14.2", "209", "1469"),
        DMER_2019: ("9.1", None, None),
        DMER_2024: ("23.3", "47", "202"),
    }
    assert prevalence[REF_3]["approximate"] == "true"
    assert prevalence[DMER_2019]["method"] == "12-month retrospective chart review"
    assert prevalence[DMER_2019]["timePoint"] == "6 to 8 weeks postpartum"
    assert prevalence[DMER_2024]["population"] == (
        "mothers at 3-year child health checks in Kagoshima, Japan")
    assert {(r["lowest"], r["highest"], r["sources"]) for r in prevalence.values()} == {
        ("9.1", "23.3", "3")}
    children = next(r for r in rows if r["measure"].startswith("proportion of breastfed"))
    assert (children["value"], children["numerator"], children["denominator"]) == (
        "15.4", "62", "403")
    assert {r.get("conflict") for r in [*prevalence.values(), children]} == {f"{NDKG}0003002"}


def test_the_figures_of_the_2024_survey_and_the_observational_study(
    questions: Questions,
) -> None:
    feelings = {r["aboutLabel"]: r["value"] for r in questions.answer("statistics", {}).rows
                if r["citation"] == DMER_2024 and r["aboutLabel"] in (
                    "irritability", "anxiety", "sadness")}
    assert feelings == {"irritability": "51.1", "anxiety": "46.8", "sadness": "38.3"}
    odds = questions.answer("estimates", {"about": "D-MER"}).rows
    [ratio] = [r for r in odds if r["unit"] == "odds ratio"]
    assert ratio["value"] == "3.78"
    operated = {r["aboutLabel"]: (r["value"], r["denominator"])
                for r in questions.answer("statistics", {}).rows
                if r["citation"] == ALCOCK and r["measure"] == "frequency at operation"}
    assert operated == {"intraductal papilloma": ("21", "49"), "duct ectasia": ("19", "49"),
                        "underlying breast malignancy": ("6", "49")}
    predictive = {r["measure"]: r["value"] for r in questions.answer(
        "statistics", {"about": "hemorrhagic"}).rows}
    assert predictive == {"sensitivity for malignancy": "0.83",
                          "specificity for malignancy": "0.53",
                          "positive predictive value for malignancy": "0.2",
                          "negative predictive value for malignancy": "0.96"}
