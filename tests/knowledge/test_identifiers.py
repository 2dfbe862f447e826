"""External identifiers are verified, terms are well-formed, the mappings are valid SSSOM."""

from __future__ import annotations

import csv
import re

import pytest

from ndkg.storage.store import EmbeddedStore

from ..conftest import PROJECT, REFERENCE_TERMS

OBO = "http://purl.obolibrary.org/obo/"
# Ontologies whose identifiers must come from the reference table.
CHECKED = re.compile(rf"^{OBO}(HP|MONDO|DOID|CHEBI|PR|UBERON|CL|GO|ECO|NCIT|PATO|RO)_")
# OBO metadata properties: IAO definition, definition source, and term replaced by (the
# obsoletion policy, docs/identifiers.md).
METADATA_PROPERTIES = {f"{OBO}IAO_0000115", f"{OBO}IAO_0000119", f"{OBO}IAO_0100001"}


def _reference_iris() -> set[str]:
    with REFERENCE_TERMS.open() as handle:
        return {row["iri"] for row in csv.DictReader(handle, delimiter="\t")}


def test_every_external_iri_is_in_the_reference_table(store: EmbeddedStore) -> None:
    iris = {
        row["iri"]
        for row in store.select(
            "SELECT DISTINCT ?iri WHERE { { ?iri ?p ?o } UNION { ?s ?iri ?o } UNION { ?s ?p ?iri } "
            "FILTER(isIRI(?iri) && STRSTARTS(STR(?iri), 'http://purl.obolibrary.org/obo/')) }")
    }
    unverified = sorted(i for i in iris if CHECKED.match(i) and i not in _reference_iris())
    others = sorted(i for i in iris if not CHECKED.match(i) and i not in METADATA_PROPERTIES)
    assert unverified == []
    assert others == []


def test_cabergoline_has_no_external_identifier(store: EmbeddedStore) -> None:
    assert store.select(
        "SELECT ?x WHERE { NDKG:0000221 ?p ?x . FILTER(STRSTARTS(STR(?p), STR(skos:))) }",
        use_prefixes=True) == []


def test_every_ndkg_class_has_label_definition_lay_label_and_synonym(
    store: EmbeddedStore,
) -> None:
    incomplete = store.select("""
        SELECT ?term WHERE {
          GRAPH <https://w3id.org/ndkg/graph/asserted> { ?term a owl:Class }
          FILTER(STRSTARTS(STR(?term), "https://w3id.org/ndkg/NDKG_"))
          FILTER(NOT EXISTS { ?term rdfs:label ?l ; obo:IAO_0000115 ?d ; obo:IAO_0000119 ?s ;
                                      NDKG:0000001 ?lay }
                 || NOT EXISTS { ?term oboInOwl:hasExactSynonym|oboInOwl:hasRelatedSynonym ?y })
        }""", use_prefixes=True)
    assert incomplete == []


def test_ontology_header_has_licence_and_dated_version(store: EmbeddedStore) -> None:
    rows = store.select("""
        SELECT ?title ?licence ?versionIri ?versionInfo WHERE {
          <https://w3id.org/ndkg/ndkg.owl> a owl:Ontology ; dcterms:title ?title ;
            dcterms:license ?licence ; owl:versionIRI ?versionIri ; owl:versionInfo ?versionInfo }
        """, use_prefixes=True)
    assert rows == [{
        "title": "Nipple Discharge & Lactation Knowledge Graph (ndkg)",
        "licence": "https://creativecommons.org/licenses/by/4.0/",
        "versionIri": "https://w3id.org/ndkg/releases/2026-01-01/ndkg.owl",
        "versionInfo": "2026-01-01",
    }]


def test_no_two_ndkg_terms_share_a_label(store: EmbeddedStore) -> None:
    assert store.select("""
        SELECT ?label WHERE { ?a rdfs:label ?label . ?b rdfs:label ?label .
          FILTER(?a != ?b && STRSTARTS(STR(?a), "https://w3id.org/ndkg/NDKG_")
                 && STRSTARTS(STR(?b), "https://w3id.org/ndkg/NDKG_")) }""",
        use_prefixes=True) == []


def test_mapping_table_is_valid_sssom() -> None:
    sssom_io = pytest.importorskip("sssom.parsers")
    from sssom.validators import validate

    table = PROJECT / "ontology" / "mappings" / "ndkg.sssom.tsv"
    msdf = sssom_io.parse_sssom_table(table)
    validate(msdf=msdf, validation_types=None, fail_on_error=True)
    assert len(msdf.df) == sum(
        1 for line in table.read_text().splitlines() if line and not line.startswith("#")) - 1
    assert set(msdf.df["mapping_justification"]) == {"semapv:ManualMappingCuration"}


def test_mapping_triples_match_the_table(store: EmbeddedStore) -> None:
    count = store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/ndkg/graph/mappings> "
        "{ ?a a owl:Axiom ; owl:annotatedProperty ?p } }", use_prefixes=True)
    table = PROJECT / "ontology" / "mappings" / "ndkg.sssom.tsv"
    rows = [ln for ln in table.read_text().splitlines() if ln and not ln.startswith("#")][1:]
    assert int(count[0]["n"]) == len(rows)
