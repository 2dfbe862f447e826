"""HermiT classifies presentations as the article says, and the inferred graph is pure."""

from __future__ import annotations

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ndkg.errors import ReasoningError
from ndkg.model.claims import claim_axioms
from ndkg.model.reason import reason
from ndkg.model.sources import Sources, parse_all
from ndkg.store import EmbeddedStore

from ..conftest import PROJECT

NDKG = Namespace("https://w3id.org/ndkg/NDKG_")
OBO = Namespace("http://purl.obolibrary.org/obo/")
EX = Namespace("https://example.org/patient/")
PHYSIOLOGIC, PATHOLOGIC = NDKG["0000301"], NDKG["0000302"]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    curated = parse_all(Sources.discover(PROJECT).ontology)
    return curated + claim_axioms(curated)


def _presentation(name: str, **features: URIRef) -> Graph:
    """A discharge individual described only by its features, as a clinician would record it."""
    properties = {"laterality": "0000007", "ducts": "0000008", "character": "0000009",
                  "onset": "0000010", "context": "0000011"}
    graph = Graph()
    node = EX[name]
    graph.add((node, RDF.type, OWL.NamedIndividual))
    graph.add((node, RDF.type, NDKG["0000117"]))
    for feature, value in features.items():
        quality = EX[f"{name}-{feature}"]
        graph.add((quality, RDF.type, OWL.NamedIndividual))
        graph.add((quality, RDF.type, value))
        graph.add((node, NDKG[properties[feature]], quality))
    return graph


def test_hermit_classifies_the_article_patterns(ontology: Graph) -> None:
    patients = (
        _presentation("a", laterality=OBO.HP_0012833, character=OBO.PATO_0002105,
                      ducts=NDKG["0000400"], onset=NDKG["0000402"])
        + _presentation("b", laterality=OBO.HP_0012832, character=OBO.PATO_0000323,
                        ducts=NDKG["0000401"])
        + _presentation("c", laterality=OBO.HP_0012833, character=OBO.PATO_0002105,
                        ducts=NDKG["0000400"], onset=NDKG["0000403"])
    )
    inferred = reason(ontology + patients)
    types = {name: set(inferred.objects(EX[name], RDF.type)) for name in "abc"}
    assert PATHOLOGIC in types["a"] and NDKG["0000303"] in types["a"]
    assert PHYSIOLOGIC not in types["a"]
    assert PHYSIOLOGIC in types["b"] and PATHOLOGIC not in types["b"]
    # Provoked rather than spontaneous: the article's pathologic pattern does not apply.
    assert PATHOLOGIC not in types["c"] and PHYSIOLOGIC not in types["c"]


def test_an_inconsistent_ontology_fails_with_the_reasoners_explanation(ontology: Graph) -> None:
    contradiction = _presentation("d", laterality=OBO.HP_0012833)
    contradiction.add((EX["d-laterality"], RDF.type, OBO.HP_0012832))
    with pytest.raises(ReasoningError, match="inconsistent"):
        reason(ontology + contradiction)


def test_subclasses_are_inferred_not_asserted(store: EmbeddedStore) -> None:
    assert store.query(
        "ASK { GRAPH <https://w3id.org/ndkg/graph/inferred> "
        "{ NDKG:0000303 rdfs:subClassOf NDKG:0000302 } }", use_prefixes=True)
    assert not store.query(
        "ASK { GRAPH <https://w3id.org/ndkg/graph/asserted> "
        "{ NDKG:0000303 rdfs:subClassOf NDKG:0000302 } }", use_prefixes=True)


def test_inferred_graph_holds_nothing_asserted(store: EmbeddedStore) -> None:
    overlap = store.select(
        "SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/ndkg/graph/inferred> { ?s ?p ?o } "
        "GRAPH <https://w3id.org/ndkg/graph/asserted> { ?s ?p ?o } }")
    assert overlap == []
    assert store.select(
        "SELECT ?p WHERE { GRAPH <https://w3id.org/ndkg/graph/inferred> { ?s ?p ?o } "
        "FILTER(?p NOT IN (rdf:type, rdfs:subClassOf)) }", use_prefixes=True) == []


def test_every_feature_combination_is_classified(store: EmbeddedStore) -> None:
    counts = {
        row["class"]: int(row["n"])
        for row in store.select(
            "SELECT ?class (COUNT(DISTINCT ?c) AS ?n) WHERE { "
            "GRAPH <https://w3id.org/ndkg/graph/classification> { ?c a NDKG:0000117 } "
            "GRAPH <https://w3id.org/ndkg/graph/inferred> { ?c a ?class } } GROUP BY ?class",
            use_prefixes=True)
    }
    # 2 lateralities x 2 duct counts x 5 characters x 2 onsets x 2 lactation contexts.
    combinations = store.select(
        "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH <https://w3id.org/ndkg/graph/classification>"
        " { ?c a NDKG:0000117 } }", use_prefixes=True)
    assert int(combinations[0]["n"]) == 80
    # Pathologic: unilateral, single duct, spontaneous, serous or bloody; either context.
    assert counts[str(PATHOLOGIC)] == 4
    # Physiologic: bilateral, multiple ducts, white/green/yellow; any onset and context.
    assert counts[str(PHYSIOLOGIC)] == 12


def test_ontology_is_consistent_and_classified(ontology: Graph) -> None:
    inferred = reason(ontology)  # raises ReasoningError when inconsistent or unsatisfiable
    serous_is_pathologic = (NDKG["0000304"], RDFS.subClassOf, PATHOLOGIC)
    assert serous_is_pathologic in inferred and serous_is_pathologic not in ontology
