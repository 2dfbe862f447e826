"""The JSON behind the explorer's search box and pictures."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ndkg.vocab import NDKG, OBO

PAPILLOMA = str(NDKG.NDKG_0000224)


def search(http: httpx.Client, q: str, limit: int = 10) -> list[dict[str, Any]]:
    response = http.get("/api/search", params={"q": q, "limit": limit})
    assert response.status_code == 200
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_an_external_id_finds_the_term_mapped_to_it(http: httpx.Client) -> None:
    first = search(http, "HP:0100829")[0]
    assert first == {
        "curie": "NDKG:0000214",
        "iri": str(NDKG.NDKG_0000214),
        "label": "galactorrhea",
        "matched": "HP:0100829",
        "kind": "external ID (skos:exactMatch)",
        "type": "ndkg term",
        "lay_label": "milk leaking not linked to a recent birth or breastfeeding",
        "definition": "Abnormal milk production not associated with childbirth or nursing.",
        "fuzzy": False,
        "url": "/NDKG_0000214",
        "obsolete": False,
        "replaced_by": [],
    }


def test_everyday_words_find_clinical_terms(http: httpx.Client) -> None:
    first = search(http, "let-down")[0]
    assert (first["curie"], first["label"], first["matched"]) == (
        "NDKG:0000200", "milk ejection reflex", "let-down",
    )
    found = {hit["curie"]: hit for hit in search(http, "blood-stained")}
    assert found["NDKG:0000303"]["label"] == "bloody pathologic nipple discharge"
    assert found["PATO:0002105"]["label"] == "hemorrhagic"
    assert found["PATO:0002105"]["kind"] == "exact synonym"


@pytest.mark.parametrize(("q", "curie"), [("NDKG:0000224", "NDKG:0000224"),
                                          ("intraductal", "NDKG:0000224"),
                                          ("underactive thyroid", "NDKG:0000220"),
                                          ("D-MER", "NDKG:0000227")])
def test_labels_synonyms_and_curies_are_searched(http: httpx.Client, q: str, curie: str) -> None:
    assert search(http, q)[0]["curie"] == curie


def test_search_limits_and_empty_queries(http: httpx.Client) -> None:
    assert len(search(http, "a", limit=3)) == 3
    assert search(http, "  ") == []
    assert http.get("/api/search", params={"q": "x", "limit": 0}).status_code == 422


def nodes_and_edges(body: dict[str, Any]) -> tuple[set[str], set[tuple[str, str, str]]]:
    elements = body["elements"]
    nodes = {n["data"]["id"] for n in elements["nodes"]}
    edges = {(e["data"]["source"], e["data"]["label"], e["data"]["target"])
             for e in elements["edges"]}
    return nodes, edges


def test_the_neighbourhood_of_a_term(http: httpx.Client) -> None:
    nodes, edges = nodes_and_edges(http.get("/api/neighbourhood/NDKG:0000224").json())
    assert nodes == {PAPILLOMA} | {str(NDKG[f"NDKG_{n}"]) for n in
                                   ("0000302", "0000127", "0000114")} | {
        str(OBO.UBERON_0001765)}
    assert (PAPILLOMA, "causes condition", str(NDKG.NDKG_0000302)) in edges
    assert (PAPILLOMA, "is a", str(NDKG.NDKG_0000127)) in edges
    # "causes or contributes to condition" follows from "causes condition": not drawn twice
    assert not any(label == "causes or contributes to condition" for _, label, _ in edges)


def test_the_neighbourhood_by_iri_and_of_unknown_terms(http: httpx.Client) -> None:
    by_iri = http.get("/api/neighbourhood", params={"iri": PAPILLOMA})
    assert by_iri.json() == http.get("/api/neighbourhood/NDKG:0000224").json()
    assert http.get("/api/neighbourhood/NDKG:9999999").status_code == 404
    assert http.get("/api/neighbourhood", params={"iri": "not an iri"}).status_code == 404


def test_the_causal_chain_follows_the_graphs_edges(http: httpx.Client) -> None:
    body = http.get("/api/chain").json()
    _, edges = nodes_and_edges(body)
    roles = {n["data"]["id"]: n["data"]["role"] for n in body["elements"]["nodes"]}
    reflex, release, oxytocin = (str(NDKG[f"NDKG_{n}"]) for n in ("0000200", "0000205", "0000203"))
    contraction, leakage = str(NDKG.NDKG_0000201), str(NDKG.NDKG_0000300)
    cell = str(OBO.CL_1000419)
    assert {
        (str(NDKG.NDKG_0000228), "triggers", reflex),
        (release, "positively regulates", reflex),
        (release, "positively regulates", contraction),
        (release, "has participant", oxytocin),
        (oxytocin, "acts on", cell),
        (contraction, "has participant", cell),
        (reflex, "causes condition", leakage),
    } <= edges
    assert roles[str(NDKG.NDKG_0000228)] == "trigger"
    assert (roles[reflex], roles[oxytocin], roles[cell], roles[leakage]) == (
        "reflex", "hormone", "cell", "outcome",
    )
    assert sum(role == "trigger" for role in roles.values()) == 8


def test_an_obsolete_term_is_found_only_by_its_identifier(http: httpx.Client) -> None:
    [hit] = search(http, "NDKG:0001035")
    assert hit["obsolete"] is True and hit["type"] == "obsolete"
    assert hit["replaced_by"] == [{
        "curie": "NDKG:0001034",
        "label": "intraductal papilloma causes condition pathologic nipple discharge (ref. 1)",
        "url": "/NDKG_0001034",
    }]
    assert search(http, "https://w3id.org/ndkg/NDKG_0001035")[0]["curie"] == "NDKG:0001035"
    for words in ("obsolete claim", "antidepressant", "NDKG:000103", "obsolet"):
        assert not any(h["obsolete"] for h in search(http, words, limit=50)), words


def test_a_statistic_is_found_and_named_by_its_sentence(http: httpx.Client) -> None:
    hit = search(http, "NDKG:0002003")[0]
    assert hit["label"] == (
        "Prevalence of dysphoric milk ejection reflex: about 14.2% (209/1469) of lactating women."
    )
