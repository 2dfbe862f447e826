"""The KGX release as KGX and the Biolink Model Toolkit read it, offline, and how a claim's
evidence decides its edge."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from ndkg.build import BuildResult
from ndkg.export.kgx import EVIDENCE_LEVELS, kgx_tables
from ndkg.model.claims import claim_axioms
from ndkg.vocab import Graphs

from .test_owl_release import OBO, _graph_with_claims

CHECK = Path(__file__).with_name("kgx_check.py")


def _check(release: Path, *options: str) -> dict[str, object]:
    pytest.importorskip("kgx")
    pytest.importorskip("bmt")
    done = subprocess.run(
        [sys.executable, "-W", "ignore", str(CHECK), str(release), *options],
        capture_output=True, text=True, timeout=600, check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_kgx_validates_with_the_declared_prefixes_and_biolink_knows_every_term(
    built: BuildResult,
) -> None:
    release = built.path / "release"
    assert _check(release) == {
        "errors": {}, "unknown_categories": [], "unknown_predicates": [],
        "unknown_levels": [], "unknown_agents": [], "unknown_edge_columns": [],
    }
    without = json.dumps(_check(release, "--without-context")["errors"])
    assert "with a CURIE prefix 'NDKG' that is not represented" in without


def _tables(extra: str = "") -> dict[str, dict[str, str]]:
    curated = _graph_with_claims(extra)
    graphs = {Graphs.ASSERTED: curated + claim_axioms(curated), Graphs.INFERRED: Graph(),
              Graphs.MAPPINGS: Graph()}
    _, edges = kgx_tables(graphs)
    return {row["id"]: row for row in edges}


def test_claims_edges_cite_what_reports_them_and_deprecated_claims_give_none() -> None:
    edges = _tables()
    assert edges["NDKG:kept"]["publications"] == "PMID:40043530"
    assert edges["NDKG:kept"]["primary_knowledge_source"] == "infores:ndkg"
    assert edges["NDKG:notreported"]["publications"] == ""  # NDKG:0000032 false
    assert "NDKG:gone" not in edges


def test_knowledge_level_and_agent_come_from_the_evidence_code_table() -> None:
    edges = _tables("""
        NDKG:inferred a NDKG:0000107 ; rdf:subject NDKG:b ; rdf:predicate obo:RO_0003303 ;
            rdf:object NDKG:c ; obo:RO_0002558 obo:ECO_0000305 .
        NDKG:newkind a NDKG:0000107 ; rdf:subject NDKG:c ; rdf:predicate obo:RO_0003303 ;
            rdf:object NDKG:a ; obo:RO_0002558 obo:ECO_9999999 .
        obo:ECO_9999999 rdfs:subClassOf obo:ECO_0000205 .
    """)
    assert (edges["NDKG:kept"]["knowledge_level"], edges["NDKG:kept"]["agent_type"]) == (
        "logical_entailment", "manual_agent")  # ECO:0000305 curator inference
    assert (edges["NDKG:inferred"]["knowledge_level"]) == "logical_entailment"
    # a code outside the table takes its nearest ancestor's row
    assert (edges["NDKG:newkind"]["knowledge_level"], edges["NDKG:newkind"]["agent_type"]) == (
        "logical_entailment", "manual_agent")
    assert edges["NDKG:notreported"]["knowledge_level"] == "not_provided"  # no evidence code
    assert EVIDENCE_LEVELS[URIRef(OBO.ECO_0000303)] == ("knowledge_assertion", "manual_agent")
