"""HermiT classifies presentations as the article says, and the inferred graph is pure."""

from __future__ import annotations

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ndkg.errors import ReasoningError
from ndkg.model.claims import claim_axioms
from ndkg.model.reason import reason
from ndkg.model.sources import Sources, parse_all
from ndkg.storage.store import EmbeddedStore

from ..conftest import PROJECT

NDKG = Namespace("https://w3id.org/ndkg/NDKG_")
OBO = Namespace("http://purl.obolibrary.org/obo/")
EX = Namespace("https://example.org/patient/")
PHYSIOLOGIC, PATHOLOGIC = NDKG["0000301"], NDKG["0000302"]
GALACTORRHEA, NEEDS_EVALUATION = NDKG["0000214"], NDKG["0000309"]
OUTSIDE, INSUFFICIENT = NDKG["0000311"], NDKG["0000312"]


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
                        ducts=NDKG["0000401"], context=NDKG["0000404"])
        + _presentation("c", laterality=OBO.HP_0012833, character=OBO.PATO_0002105,
                        ducts=NDKG["0000400"], onset=NDKG["0000403"])
        + _presentation("d", laterality=OBO.HP_0012832, character=OBO.PATO_0000323,
                        ducts=NDKG["0000401"], context=NDKG["0000405"])
    )
    inferred = reason(ontology + patients)
    types = {name: set(inferred.objects(EX[name], RDF.type)) for name in "abcd"}
    assert PATHOLOGIC in types["a"] and NDKG["0000303"] in types["a"]
    assert PHYSIOLOGIC not in types["a"]
    assert PHYSIOLOGIC in types["b"] and PATHOLOGIC not in types["b"]
    # Provoked rather than spontaneous: not the article's pathologic pattern, but bloody and
    # from one breast, it needs evaluation.
    assert PATHOLOGIC not in types["c"] and PHYSIOLOGIC not in types["c"]
    assert NEEDS_EVALUATION in types["c"]
    # Milky, both breasts, many ducts, unrelated to lactation: galactorrhea, never physiologic.
    assert GALACTORRHEA in types["d"] and PHYSIOLOGIC not in types["d"]


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


COMBINATIONS = """
SELECT ?c ?feature ?value WHERE {
  GRAPH <https://w3id.org/ndkg/graph/classification> {
    ?c a NDKG:0000117 .
    OPTIONAL { ?c ?feature ?individual . ?individual a NDKG:0000118, ?value .
               FILTER(?value NOT IN (NDKG:0000118, owl:NamedIndividual)) }
  }
}"""
CLASSES = """
SELECT ?c ?class WHERE {
  { GRAPH <https://w3id.org/ndkg/graph/inferred> { ?c a ?class } }
  UNION { GRAPH <https://w3id.org/ndkg/graph/classification> { ?c a ?class } }
  ?class rdfs:subClassOf NDKG:0000117 .
}"""
VERDICTS = """
SELECT ?c ?verdict WHERE {
  { SELECT ?c (MIN(?priority) AS ?rank) WHERE {
      GRAPH <https://w3id.org/ndkg/graph/classification> { ?c a NDKG:0000117 }
      ?c a ?class . ?class NDKG:0000038 ?priority .
    } GROUP BY ?c }
  ?verdict NDKG:0000038 ?rank .
}"""


def _combinations(store: EmbeddedStore) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for row in store.select(COMBINATIONS, use_prefixes=True):
        values = found.setdefault(row["c"], {})
        if "feature" in row:
            values[row["feature"]] = row["value"]
    return found


def _classes(store: EmbeddedStore) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in store.select(CLASSES, use_prefixes=True):
        found.setdefault(row["c"], set()).add(row["class"])
    return found


def test_every_combination_of_features_is_made_and_classified(store: EmbeddedStore) -> None:
    combinations = _combinations(store)
    # Each of laterality (2), ducts (2), character (5), onset (2), lactation context (2)
    # known or left open: 3 x 3 x 6 x 3 x 3.
    assert len(combinations) == 486
    assert sum(len(values) == 5 for values in combinations.values()) == 80
    complete = {c for c, values in combinations.items() if len(values) == 5}
    classes = _classes(store)
    in_complete = {
        cls: sum(1 for c in complete if cls in classes[c])
        for cls in (str(PATHOLOGIC), str(PHYSIOLOGIC))
    }
    # Pathologic: unilateral, single duct, spontaneous, serous or bloody; either context.
    assert in_complete[str(PATHOLOGIC)] == 4
    # Physiologic: bilateral, multiple ducts, white/green/yellow, during lactation; any onset.
    assert in_complete[str(PHYSIOLOGIC)] == 6


def test_every_combination_gets_a_verdict_and_a_next_step(store: EmbeddedStore) -> None:
    """Walks every combination the build classified, open features included: each falls in
    a verdict class, and the graph recommends a management action for that class."""
    verdicts = {row["c"]: row["verdict"] for row in store.select(VERDICTS, use_prefixes=True)}
    combinations = _combinations(store)
    assert set(verdicts) == set(combinations)
    steps = {
        row["class"]
        for row in store.select(
            "SELECT DISTINCT ?class WHERE { ?claim a NDKG:0000107 ; rdf:predicate NDKG:0000013 ;"
            " rdf:object ?class . ?class NDKG:0000038 ?priority }", use_prefixes=True)
    }
    assert set(verdicts.values()) <= steps
    # Every combination of all five features is decided: none lacks information.
    complete = [c for c, values in combinations.items() if len(values) == 5]
    assert {verdicts[c] for c in complete} <= {
        str(PATHOLOGIC), str(NEEDS_EVALUATION), str(GALACTORRHEA), str(PHYSIOLOGIC),
        str(OUTSIDE)}


def test_complete_combinations_follow_the_rules_in_the_definitions(store: EmbeddedStore) -> None:
    """The verdict of each of the 80 complete combinations, as the definitions state the rules
    in words, against what HermiT concluded."""
    verdicts = {row["c"]: row["verdict"] for row in store.select(VERDICTS, use_prefixes=True)}
    white, green, yellow = OBO.PATO_0000323, OBO.PATO_0000320, OBO.PATO_0000324
    serous, bloody = OBO.PATO_0002128, OBO.PATO_0002105
    checked = 0
    for combination, values in _combinations(store).items():
        if len(values) < 5:
            continue
        laterality, ducts, character, onset, context = (
            URIRef(values[str(NDKG[f"00000{n}"])]) for n in ("07", "08", "09", "10", "11"))
        unilateral = laterality == OBO.HP_0012833
        spontaneous = onset == NDKG["0000402"]
        lactating = context == NDKG["0000404"]
        milk_colour = character in (white, green, yellow)
        pattern = not unilateral and ducts == NDKG["0000401"] and milk_colour
        if unilateral and ducts == NDKG["0000400"] and spontaneous and not milk_colour:
            expected = PATHOLOGIC
        elif character in (serous, bloody) or (
            (unilateral or spontaneous) and not pattern and not (lactating and milk_colour)
        ):
            expected = NEEDS_EVALUATION
        elif character == white and not lactating:
            expected = GALACTORRHEA
        elif pattern and lactating:
            expected = PHYSIOLOGIC
        else:
            expected = OUTSIDE
        assert verdicts[combination] == str(expected), (values, verdicts[combination])
        checked += 1
    assert checked == 80


def test_open_features_get_what_every_completion_shares(store: EmbeddedStore) -> None:
    """A combination with features left open falls in exactly the classes that all its
    complete combinations share, and lacks information exactly when they share no verdict
    class (whatever the open features are, the same next step would not follow)."""
    combinations = _combinations(store)
    classes = _classes(store)
    verdicts = {row["c"]: row["verdict"] for row in store.select(VERDICTS, use_prefixes=True)}
    complete = {c: v for c, v in combinations.items() if len(v) == 5}
    for combination, values in combinations.items():
        completions = [c for c, v in complete.items() if values.items() <= v.items()]
        shared = set.intersection(*(classes[c] for c in completions))
        assert classes[combination] - {str(INSUFFICIENT)} == shared, combination
        decided = bool(shared & {
            str(c) for c in (PATHOLOGIC, NEEDS_EVALUATION, GALACTORRHEA, PHYSIOLOGIC, OUTSIDE)})
        assert (verdicts[combination] != str(INSUFFICIENT)) == decided, combination


def test_galactorrhea_is_never_physiologic(store: EmbeddedStore) -> None:
    assert not store.query(
        "ASK { ?c a NDKG:0000214, NDKG:0000301 }", use_prefixes=True)
    assert store.query(
        "ASK { GRAPH <https://w3id.org/ndkg/graph/inferred> "
        "{ NDKG:0000302 rdfs:subClassOf NDKG:0000309 } }", use_prefixes=True)


def test_ontology_is_consistent_and_classified(ontology: Graph) -> None:
    inferred = reason(ontology)  # raises ReasoningError when inconsistent or unsatisfiable
    serous_is_pathologic = (NDKG["0000304"], RDFS.subClassOf, PATHOLOGIC)
    assert serous_is_pathologic in inferred and serous_is_pathologic not in ontology
