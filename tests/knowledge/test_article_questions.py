"""The graph answers the article's questions as the article does (SPARQL over the build)."""

from __future__ import annotations

from ndkg.questions import Questions
from ndkg.storage.store import EmbeddedStore

ARTICLE = {f"https://w3id.org/ndkg/NDKG_000070{n}" for n in range(6)}
"""The source article and the works it cites: what the article itself says."""


def _labels(questions: Questions, name: str, column: str, **params: str) -> set[str]:
    return {row[column] for row in questions.answer(name, params).rows if column in row}


def _article_labels(questions: Questions, name: str, column: str, **params: str) -> set[str]:
    """The labels of the rows whose claim cites the article or one of its references."""
    return {row[column] for row in questions.answer(name, params).rows
            if column in row and row.get("citation") in ARTICLE}


def test_causes_of_unilateral_bloody_discharge(questions: Questions) -> None:
    causes = _labels(questions, "causes-by-features", "causeLabel",
                     laterality="unilateral", character="bloody")
    # The article gives an underlying malignancy as a risk of pathologic discharge, not a cause.
    assert causes == {"intraductal papilloma"}


def test_lay_words_reach_the_same_features(questions: Questions) -> None:
    causes = _labels(questions, "causes-by-features", "causeLabel",
                     laterality="one breast", character="blood-stained")
    assert "intraductal papilloma" in causes
    assert "milk ejection reflex" not in causes and "hyperlactation" not in causes


def test_causes_of_bilateral_milky_leaking_in_lactation(questions: Questions) -> None:
    causes = _labels(questions, "causes-by-features", "causeLabel",
                     laterality="bilateral", character="milky", context="during lactation")
    assert {"milk ejection reflex", "hyperlactation", "missed or delayed feeding"} <= causes
    assert "intraductal papilloma" not in causes


def test_what_triggers_let_down(questions: Questions) -> None:
    triggers = _labels(questions, "triggers-of-mechanism", "triggerLabel")
    assert triggers == {
        "infant suckling", "breast pump use", "thinking about the baby", "hearing the baby cry",
        "sexual arousal", "warm shower water on the breasts", "stress", "sexual activity",
    }


def test_which_hormones_act_on_what(questions: Questions) -> None:
    rows = questions.answer("hormones", {}).rows
    pairs = {(r["hormoneLabel"], r["relationLabel"], r["targetLabel"]) for r in rows}
    assert ("oxytocin", "acts on", "myoepithelial cell of lactiferous duct") in pairs
    assert ("prolactin", "acts on", "milk production") in pairs
    assert ("oxytocin", "positively regulates", "milk ejection reflex") in pairs


def test_what_causes_galactorrhea(questions: Questions) -> None:
    causes = _article_labels(questions, "causes-of-condition", "causeLabel",
                             condition="galactorrhea")
    # "some antidepressants" and "pituitary disorders (prolactinomas)": subclasses, not every
    # antidepressant or pituitary disorder.
    assert causes == {
        "dopamine-affecting medication", "antipsychotic medication",
        "dopamine-affecting antidepressant", "prolactinoma", "hypothyroidism",
    }


def test_what_treats_galactorrhea_and_its_unresolved_citation(questions: Questions) -> None:
    answer = questions.answer("treatments-of-condition", {"condition": "galactorrhea"})
    rows = [r for r in answer.rows if r["citation"] in ARTICLE]
    assert {r["treatmentLabel"] for r in rows} == {"cabergoline", "evaluation for galactorrhea"}
    [cabergoline] = [r for r in rows if r["treatmentLabel"] == "cabergoline"]
    assert cabergoline["actionTargetLabel"] == "prolactin secretion"
    assert cabergoline["citationStatusLabel"] == "unresolved"


def test_which_features_make_discharge_pathologic(questions: Questions) -> None:
    rows = questions.answer("defining-features", {}).rows
    assert {(r["featureLabel"], r["valueLabel"]) for r in rows} == {
        ("has onset", "spontaneous onset"),
        ("has duct involvement", "single duct"),
        ("has laterality", "Unilateral"),
        ("has colour or character", "serous"),
        ("has colour or character", "hemorrhagic"),
    }
    physiologic = questions.answer("defining-features", {"presentation": "NDKG:0000301"}).rows
    assert {r["valueLabel"] for r in physiologic} == {
        "Bilateral", "multiple ducts", "white", "green", "yellow", "during lactation"}


def test_how_common_leaking_is_and_at_six_months(questions: Questions) -> None:
    rows = questions.answer("statistics", {"about": "breast milk leakage"}).rows
    prevalence = next(r for r in rows if r["measure"] == "prevalence")
    assert (prevalence["minimum"], prevalence["maximum"]) == ("50", "80")
    assert prevalence["unit"] == "percent"
    assert prevalence["population"] == "lactating women"
    six_months = next(r for r in rows if r["measure"] == "proportion still leaking")
    assert (six_months["value"], six_months["monthsPostpartum"]) == ("66", "6")
    assert six_months["population"] == "breastfeeding mothers"


def test_when_leaking_resolves(questions: Questions) -> None:
    rows = questions.answer("statistics", {"about": "breast milk leakage"}).rows
    resolution = next(r for r in rows if "resolves" in r["measure"])
    assert (resolution["minimum"], resolution["maximum"], resolution["unit"]) == ("3", "4", "month")
    early = questions.answer("statistics", {"about": "early postpartum period"}).rows
    assert {(r["minimum"], r["maximum"], r["unit"]) for r in early} == {("6", "12", "week")}


def test_other_figures_of_the_article(questions: Questions) -> None:
    rows = questions.answer("statistics", {}).rows
    dmer = next(r for r in rows if r["aboutLabel"] == "dysphoric milk ejection reflex")
    assert (dmer["value"], dmer["numerator"], dmer["denominator"]) == ("14.2", "209", "1469")
    # "affects approximately 14.2% of lactating women": approximate, and no time point.
    assert dmer["approximate"] == "true" and "timePoint" not in dmer
    risk = next(r for r in rows if r["measure"] == "risk of underlying malignancy")
    assert (risk["minimum"], risk["maximum"]) == ("3", "29")


def test_every_claim_and_statistic_has_citation_and_evidence_code(store: EmbeddedStore) -> None:
    missing = store.select("""
        SELECT ?s WHERE {
          { ?s a NDKG:0000107 } UNION { ?s a NDKG:0000108 }
          FILTER NOT EXISTS {
            ?s NDKG:0000006 ?citation ; obo:RO_0002558 ?eco ; NDKG:0000002|NDKG:0000045 ?text ;
               NDKG:0000003 ?status ; NDKG:0000004 ?date .
            ?citation a NDKG:0000109 .
            FILTER(STRSTARTS(STR(?eco), "http://purl.obolibrary.org/obo/ECO_"))
          }
        }""", use_prefixes=True)
    assert missing == []
    count = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s a NDKG:0000107 }", use_prefixes=True)
    assert int(count[0]["n"]) >= 50


def test_claims_quote_the_source_article(store: EmbeddedStore) -> None:
    from ..conftest import SHARED

    article = (SHARED / "seed" / "what-causes-breast-milk-leakage.txt").read_text()
    texts = store.select("SELECT DISTINCT ?t WHERE { ?s NDKG:0000002 ?t }", use_prefixes=True)
    assert [t["t"] for t in texts if t["t"] not in article] == []


def test_marker_two_stays_unresolved(store: EmbeddedStore) -> None:
    rows = store.select("""
        SELECT ?status ?pmid WHERE { ?c NDKG:0000005 "2" ; NDKG:0000026 ?status .
          OPTIONAL { ?c NDKG:0000024 ?pmid } }""", use_prefixes=True)
    assert rows == [{"status": "https://w3id.org/ndkg/NDKG_0000611"}]


def test_claims_are_submitted_for_review(store: EmbeddedStore) -> None:
    statuses = store.select(
        "SELECT DISTINCT ?label WHERE { ?s NDKG:0000003/rdfs:label ?label }", use_prefixes=True)
    assert statuses == [{"label": "submitted"}]


def test_reverse_mapping_from_hpo_to_ndkg(questions: Questions) -> None:
    assert _labels(questions, "term-by-external-id", "termLabel", external="HP:0100829") == {
        "galactorrhea"}
    externals = _labels(questions, "mappings-of-term", "external", term="NDKG:0000219")
    assert "http://purl.obolibrary.org/obo/MONDO_0010911" in externals


def test_every_statement_of_the_article_is_in_the_graph(store: EmbeddedStore) -> None:
    """Each bullet of the article is quoted by a claim or statistic, or defines a term."""
    import re

    from ..conftest import SHARED

    article = (SHARED / "seed" / "what-causes-breast-milk-leakage.txt").read_text()
    bullets = [
        re.sub(r"\s+\d+(, \d+)*$", "", line.strip().lstrip("•").strip())
        for line in article.splitlines() if line.strip().startswith("•")
    ]
    quotes = [r["t"] for r in store.select(
        "SELECT DISTINCT ?t WHERE { ?s NDKG:0000002 ?t }", use_prefixes=True)]
    definitions = [r["t"] for r in store.select(
        "SELECT DISTINCT ?t WHERE { ?s obo:IAO_0000115 ?t }", use_prefixes=True)]
    missing = [
        b for b in bullets
        if not any(b in q for q in quotes)
        and not any(b.split(" - ", 1)[-1] in d for d in definitions)
    ]
    assert len(bullets) == 33
    assert missing == []


def test_a_label_names_the_ndkg_term_before_an_external_one(questions: Questions) -> None:
    rows = questions.answer("evidence", {"term": "intraductal papilloma"}).rows
    assert {r["role"] for r in rows} == {"subject", "statistic"}  # Alcock 2010: 21 of 49
    assert {r["citationLabel"] for r in rows if r["role"] == "subject"} == {
        "Guideline Directed Topic Overview (2025)"}
