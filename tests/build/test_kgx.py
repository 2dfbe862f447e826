"""The KGX release: Biolink nodes and edges that carry every claim with its evidence."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ndkg.answers.lexicon import compress
from ndkg.build import BuildResult
from ndkg.storage.store import EmbeddedStore

NODE_COLUMNS = {"id", "category", "name", "description", "xref", "synonym", "provided_by", "iri"}
EDGE_COLUMNS = {
    "id", "subject", "predicate", "object", "category", "knowledge_level", "agent_type",
    "publications", "has_evidence", "original_predicate", "qualifiers",
    "primary_knowledge_source", "description",
}
Rows = dict[str, dict[str, str]]
CLAIMS = """
SELECT ?claim ?subject ?object ?relation ?citation ?status ?evidence ?reported ?pmid WHERE {
  ?claim a NDKG:0000107 ; rdf:subject ?subject ; rdf:predicate ?relation ; rdf:object ?object ;
      NDKG:0000006 ?citation ; RO:0002558 ?evidence .
  ?citation NDKG:0000026 ?status .
  OPTIONAL { ?claim NDKG:0000032 ?reported }
  OPTIONAL { ?citation NDKG:0000024 ?pmid }
  FILTER(isIRI(?object))  # the evidence of a definition is no edge
}
"""


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def nodes(built: BuildResult) -> Rows:
    columns, rows = _read(built.path / "release" / "ndkg_nodes.tsv")
    assert set(columns) >= NODE_COLUMNS
    return {row["id"]: row for row in rows}


@pytest.fixture(scope="module")
def edges(built: BuildResult) -> Rows:
    columns, rows = _read(built.path / "release" / "ndkg_edges.tsv")
    assert set(columns) >= EDGE_COLUMNS
    assert len({row["id"] for row in rows}) == len(rows), "edge ids are unique"
    return {row["id"]: row for row in rows}


def test_every_edge_joins_two_nodes(nodes: Rows, edges: Rows) -> None:
    for edge in edges.values():
        assert edge["subject"] in nodes, edge
        assert edge["object"] in nodes, edge


def test_categories_and_predicates_are_biolink_curies(nodes: Rows, edges: Rows) -> None:
    assert all(re.fullmatch(r"biolink:[A-Z][A-Za-z]+", n["category"]) for n in nodes.values())
    assert all(re.fullmatch(r"biolink:[a-z_]+", e["predicate"]) for e in edges.values())
    assert {e["knowledge_level"] for e in edges.values()} <= {
        "knowledge_assertion", "logical_entailment"}
    assert {e["agent_type"] for e in edges.values()} <= {"manual_agent", "automated_agent"}


def test_each_claim_is_an_edge_with_its_publication_and_evidence(
    store: EmbeddedStore, edges: Rows
) -> None:
    claims = store.select(CLAIMS, use_prefixes=True)
    assert len(claims) >= 50
    for claim in claims:
        edge = edges[compress(claim["claim"])]
        assert (edge["subject"], edge["object"]) == (
            compress(claim["subject"]), compress(claim["object"]))
        assert edge["original_predicate"] == compress(claim["relation"])
        assert compress(claim["evidence"]) in edge["has_evidence"].split("|")
        assert edge["predicate"].startswith("biolink:")
        publications = edge["publications"].split("|")
        if claim.get("reported") is False:  # the cited work does not report the claim
            assert edge["publications"] == ""
        elif "pmid" in claim:  # verified: its PubMed identifier
            assert f"PMID:{claim['pmid']}" in publications
        else:
            assert compress(claim["citation"]) in publications


def test_claims_read_in_biolink_terms(edges: Rows) -> None:
    papilloma = edges["NDKG:0001034"]
    assert (papilloma["subject"], papilloma["predicate"], papilloma["object"]) == (
        "NDKG:0000224", "biolink:causes", "NDKG:0000302")
    assert papilloma["original_predicate"] == "RO:0003303"
    assert papilloma["description"] == "typically serous or bloody"  # the source's words
    assert papilloma["qualifiers"] == ""  # ontology classes only
    assert papilloma["primary_knowledge_source"] == "infores:ndkg"
    cabergoline = edges["NDKG:0001031"]
    assert cabergoline["predicate"] == "biolink:treats"
    assert cabergoline["publications"] == "NDKG:0000702"  # the unresolved reference
    oxytocin = edges["NDKG:0001010"]
    assert (oxytocin["predicate"], oxytocin["object_direction_qualifier"]) == (
        "biolink:regulates", "upregulated")
    # Reference 3 reports stress worsening D-MER, not stress setting off let-down: the claim
    # keeps the article's citation in the graph, but no publication is given as its support.
    stress = edges["NDKG:0001038"]
    assert stress["publications"] == ""
    assert stress["has_evidence"] == "ECO:0000303"
    dmer = edges["NDKG:0001040"]
    assert dmer["publications"] == "PMID:40043530|doi:10.1016/j.ejogrb.2025.02.051"
    assert dmer["has_evidence"] == "ECO:0006017"
    # Withdrawn claims are no edges.
    assert "NDKG:0001035" not in edges and "NDKG:0001037" not in edges


def test_categories_follow_the_class_hierarchy(nodes: Rows) -> None:
    expected = {
        "NDKG:0000200": "biolink:BiologicalProcess",  # milk ejection reflex
        "NDKG:0000203": "biolink:ChemicalEntity",  # oxytocin
        "NDKG:0000204": "biolink:Protein",  # prolactin, mapped to PR
        "NDKG:0000221": "biolink:Drug",  # cabergoline
        "NDKG:0000224": "biolink:Disease",  # intraductal papilloma, mapped to MONDO
        "NDKG:0000303": "biolink:PhenotypicFeature",  # bloody pathologic nipple discharge
        "NDKG:0000228": "biolink:BehavioralExposure",  # infant suckling
        "NDKG:0000502": "biolink:Procedure",  # diagnostic breast imaging
        "NDKG:0000703": "biolink:Publication",
        "UBERON:0001765": "biolink:AnatomicalEntity",
        "CL:1000419": "biolink:Cell",
        "PATO:0002105": "biolink:PhenotypicQuality",  # hemorrhagic
        "HP:0012833": "biolink:PhenotypicQuality",  # unilateral
    }
    assert {curie: nodes[curie]["category"] for curie in expected} == expected


def test_nodes_carry_labels_definitions_synonyms_and_xrefs(
    nodes: Rows,
) -> None:
    papilloma = nodes["NDKG:0000224"]
    assert papilloma["name"] == "intraductal papilloma"
    assert papilloma["description"].startswith("A growth inside a milk duct")
    assert "duct papilloma" in papilloma["synonym"].split("|")
    assert "small growth inside a milk duct" in papilloma["synonym"].split("|")  # lay label
    assert {"HP:6000102", "MONDO:0021097"} <= set(papilloma["xref"].split("|"))
    assert papilloma["iri"] == "https://w3id.org/ndkg/NDKG_0000224"
    assert nodes["NDKG:0000703"]["xref"] == "PMID:40043530|doi:10.1016/j.ejogrb.2025.02.051"
    assert {n["provided_by"] for n in nodes.values()} == {"infores:ndkg"}


def test_hierarchy_is_asserted_and_reasoned(edges: Rows) -> None:
    subclass = {
        (e["subject"], e["object"]): e["knowledge_level"]
        for e in edges.values() if e["predicate"] == "biolink:subclass_of"
    }
    assert subclass[("NDKG:0000219", "NDKG:0000244")] == "knowledge_assertion"
    assert subclass[("NDKG:0000303", "NDKG:0000302")] == "logical_entailment"
    assert ("NDKG:0000303", "NDKG:0000117") not in subclass, "implied through NDKG:0000302"
