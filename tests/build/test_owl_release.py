"""The OWL release, read by the tools of the field: the OWL API (under ROBOT and Protégé),
ROBOT-style report checks, pronto and OAK; and the release files agreeing with each other."""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from ndkg.build import BuildResult
from ndkg.export.owl import owl_release
from ndkg.export.report import ERROR, report
from ndkg.model.claims import claim_axioms
from ndkg.storage.store import EmbeddedStore

OWLAPI_JARS = Path("/usr/share/java")
OWLCHECK = Path(__file__).with_name("owlapi") / "OwlCheck.java"
N = Namespace("https://w3id.org/ndkg/NDKG_")
OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
CLAIMS_WITH_AXIOMS = """
SELECT (COUNT(DISTINCT ?claim) AS ?n) WHERE {
  ?claim a NDKG:0000107 ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  ?s a owl:Class .
  FILTER NOT EXISTS { ?claim owl:deprecated true }
  FILTER (?p %s owl:equivalentClass)
}
"""
"""Claims between classes (``!=``: subclass axioms) or the evidence of definitions (``=``)."""


def _release(built: BuildResult) -> Path:
    return built.path / "release"


@pytest.fixture(scope="module")
def owlapi(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """What the OWL API keeps of ``ndkg.owl``: ``key -> values`` from OwlCheck.java."""
    if not (OWLAPI_JARS / "owlapi-distribution.jar").exists() or shutil.which("javac") is None:
        pytest.fail("the OWL API is not installed: apt-get install libowlapi-java "
                    "default-jdk-headless (see .ci/setup)")
    classes = tmp_path_factory.mktemp("owlcheck")
    classpath = f"{OWLAPI_JARS}/*"
    subprocess.run(["javac", "-cp", classpath, "-d", str(classes), str(OWLCHECK)],
                   check=True, capture_output=True, timeout=300)
    done = subprocess.run(
        ["java", "-cp", f"{classes}:{classpath}", "OwlCheck",
         str(_release(built) / "ndkg.owl")],
        check=True, capture_output=True, text=True, timeout=300,
    )
    found: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition("\t")
        found.setdefault(key, []).append(value)
    return found


def test_the_owl_api_parses_every_triple_and_finds_nothing_undeclared(
    owlapi: dict[str, list[str]],
) -> None:
    assert owlapi["format"] == ["RDF/XML Syntax"]
    assert owlapi["unparsed"] == ["0"], owlapi.get("unparsed-triple")
    assert "undeclared" not in owlapi, owlapi["undeclared"]
    assert "dl-violation" not in owlapi, owlapi["dl-violation"]


def test_the_owl_api_keeps_each_claim_as_an_annotated_axiom(
    owlapi: dict[str, list[str]], built: BuildResult, store: EmbeddedStore
) -> None:
    claims = store.select(CLAIMS_WITH_AXIOMS % "!=", use_prefixes=True)[0]["n"]
    definitions = store.select(CLAIMS_WITH_AXIOMS % "=", use_prefixes=True)[0]["n"]
    assert claims >= 50 and definitions >= 9
    see_also = "annotated:SubClassOf http://www.w3.org/2000/01/rdf-schema#seeAlso"
    assert owlapi[see_also] == [str(claims)]
    for evidence in ("NDKG_0000003", "NDKG_0000004"):  # status, date
        assert owlapi[f"annotated:SubClassOf https://w3id.org/ndkg/{evidence}"] == [str(claims)]
    # The quoted sentence, or the curators' summary of a work that is not quoted.
    texts = [int(owlapi.get(f"annotated:SubClassOf https://w3id.org/ndkg/{p}", ["0"])[0])
             for p in ("NDKG_0000002", "NDKG_0000045")]
    assert sum(texts) == claims and all(texts)
    equivalence_see_also = "annotated:EquivalentClasses http://www.w3.org/2000/01/rdf-schema#seeAlso"
    assert owlapi[equivalence_see_also] == [str(definitions)]

    # Every subclass axiom of the file reaches the OWL API: one per triple, one more for each
    # further claim annotating the same axiom.
    graph = Graph().parse(_release(built) / "ndkg.owl", format="xml")
    triples = len(list(graph.triples((None, RDFS.subClassOf, None))))
    annotations = Counter(
        (graph.value(a, OWL.annotatedSource), _restriction_key(graph, a))
        for a in graph.subjects(OWL.annotatedProperty, RDFS.subClassOf)
    )
    expected = triples + sum(n - 1 for n in annotations.values())
    assert owlapi["type:SubClassOf"] == [str(expected)]
    equivalences = len([s for s in graph.subjects(OWL.equivalentClass, None)
                        if isinstance(s, URIRef)])
    assert owlapi["type:EquivalentClasses"] == [str(equivalences)]


def _restriction_key(graph: Graph, axiom: object) -> tuple[object, ...]:
    target = graph.value(axiom, OWL.annotatedTarget)  # type: ignore[arg-type]
    return (graph.value(target, OWL.onProperty), graph.value(target, OWL.someValuesFrom))


def test_report_checks_find_no_error_in_any_ontology_file(built: BuildResult) -> None:
    for name in ("ndkg.owl", "ndkg.ttl"):
        errors = [p for p in report(_release(built) / name) if p.level == ERROR]
        assert errors == [], "\n".join(map(str, errors))
    written = built.path.parent.parent / "reports" / "release-report.tsv"  # by the build
    assert written.read_text() == "level\tcheck\tentity\tproperty\tvalue\n"


def test_report_checks_find_what_robot_would(tmp_path: Path) -> None:
    broken = Graph()
    broken.parse(format="turtle", data="""
        @prefix NDKG: <https://w3id.org/ndkg/NDKG_> .
        @prefix obo: <http://purl.obolibrary.org/obo/> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <https://w3id.org/ndkg/ndkg.owl> a owl:Ontology ; dcterms:title "t" ;
            dcterms:description "d" .
        dcterms:title a owl:AnnotationProperty . dcterms:description a owl:AnnotationProperty .
        obo:IAO_0000115 a owl:AnnotationProperty . obo:IAO_0100001 a owl:AnnotationProperty .
        NDKG:1 a owl:Class ; rdfs:label "a" ; obo:IAO_0000115 "Same." .
        NDKG:2 a owl:Class ; rdfs:label "a" ; obo:IAO_0000115 "Same." ; rdfs:subClassOf NDKG:4 .
        NDKG:3 a owl:Class ; rdfs:subClassOf NDKG:1 .
        NDKG:4 a owl:Class ; rdfs:label "obsolete four" ; owl:deprecated true ;
            obo:IAO_0100001 NDKG:1 .
        NDKG:5 a owl:Class ; rdfs:label "five " ; obo:IAO_0100001 NDKG:1 ;
            rdfs:subClassOf NDKG:1, NDKG:3 .
        NDKG:6 a owl:Class ; rdfs:label "obsolete six" ; <urn:x:undeclared> "x" .
    """)
    path = tmp_path / "broken.ttl"
    broken.serialize(path, format="turtle")
    found = {(p.check, p.entity.rsplit("_", 1)[-1]) for p in report(path) if p.level == ERROR}
    assert found == {
        ("ontology_header", "https://w3id.org/ndkg/ndkg.owl"),  # no licence
        ("duplicate_label", "1"), ("duplicate_label", "2"),
        ("duplicate_definition", "1"), ("duplicate_definition", "2"),
        ("missing_label", "3"),
        ("deprecated_reference", "2"),  # a subclass of the deprecated NDKG:4
        ("replaced_by", "5"),  # term replaced by, on a class that is not deprecated
        ("label_formatting", "5"),
        ("redundant_subclass", "5"),  # NDKG:5 ⊑ NDKG:1 through NDKG:3
        ("obsolete_label", "6"),
        ("undeclared_property", "6"),
    }


def _graph_with_claims(extra: str = "") -> Graph:
    graph = Graph()
    graph.parse(format="turtle", data="""
        @prefix NDKG: <https://w3id.org/ndkg/NDKG_> .
        @prefix obo: <http://purl.obolibrary.org/obo/> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        NDKG:0000006 a owl:AnnotationProperty . NDKG:0000002 a owl:AnnotationProperty .
        NDKG:0000032 a owl:AnnotationProperty . NDKG:0000024 a owl:AnnotationProperty .
        NDKG:0000026 a owl:AnnotationProperty .
        obo:RO_0003303 a owl:ObjectProperty . obo:RO_0002558 a owl:ObjectProperty .
        NDKG:a a owl:Class ; rdfs:label "a" . NDKG:b a owl:Class ; rdfs:label "b" .
        NDKG:c a owl:Class ; rdfs:label "c" ;
            owl:equivalentClass [ a owl:Restriction ; owl:onProperty obo:RO_0003303 ;
                                  owl:someValuesFrom NDKG:b ] .
        NDKG:study a NDKG:0000109 ; NDKG:0000026 NDKG:0000610 ; NDKG:0000024 "40043530" .
        NDKG:kept a NDKG:0000107 ; rdf:subject NDKG:a ; rdf:predicate obo:RO_0003303 ;
            rdf:object NDKG:b ; NDKG:0000006 NDKG:study ; NDKG:0000002 "a causes b" ;
            obo:RO_0002558 obo:ECO_0000305 .
        NDKG:notreported a NDKG:0000107 ; rdf:subject NDKG:a ; rdf:predicate obo:RO_0003303 ;
            rdf:object NDKG:b ; NDKG:0000006 NDKG:study ; NDKG:0000032 false ;
            NDKG:0000002 "curators' reading" .
        NDKG:gone a NDKG:0000107 ; rdf:subject NDKG:b ; rdf:predicate obo:RO_0003303 ;
            rdf:object NDKG:a ; owl:deprecated true ; rdfs:label "obsolete claim" ;
            obo:IAO_0100001 NDKG:kept ; NDKG:0000002 "withdrawn" .
    """ + extra)
    for node in graph.subjects(RDF.type, N["0000107"]):
        graph.add((node, RDF.type, OWL.NamedIndividual))
    return graph


def test_claims_become_axiom_annotations_and_deprecated_claims_none() -> None:
    curated = _graph_with_claims()
    equivalence = curated.value(N.c, OWL.equivalentClass)
    curated.add((N.defines, RDF.type, N["0000107"]))
    curated.add((N.defines, RDF.subject, N.c))
    curated.add((N.defines, RDF.predicate, OWL.equivalentClass))
    curated.add((N.defines, RDF.object, equivalence))
    curated.add((N.defines, N["0000002"], Literal("c is what causes b")))
    release = owl_release(curated + claim_axioms(curated), Graph(), Graph())

    assert not list(release.triples((None, RDF.subject, None)))
    axioms = {release.value(a, RDFS.seeAlso): a for a in release.subjects(RDF.type, OWL.Axiom)}
    assert set(axioms) == {N.kept, N.notreported, N.defines}

    kept = axioms[N.kept]
    assert release.value(kept, OWL.annotatedSource) == N.a
    assert release.value(kept, OWL.annotatedProperty) == RDFS.subClassOf
    target = release.value(kept, OWL.annotatedTarget)
    assert isinstance(target, BNode)
    assert (release.value(target, OWL.onProperty), release.value(target, OWL.someValuesFrom)) == (
        OBO.RO_0003303, N.b)
    assert release.value(kept, N["0000002"]) == Literal("a causes b")
    assert set(release.objects(kept, OBOINOWL.hasDbXref)) == {Literal("PMID:40043530")}
    # the cited work does not report this one: no publication, the citation kept
    assert not list(release.objects(axioms[N.notreported], OBOINOWL.hasDbXref))
    assert release.value(axioms[N.notreported], N["0000006"]) == N.study
    # the two claims of a ⊑ RO:0003303 some b annotate one axiom, not two copies of it
    assert len(list(release.objects(N.a, RDFS.subClassOf))) == 1

    defines = axioms[N.defines]
    assert release.value(defines, OWL.annotatedProperty) == OWL.equivalentClass
    copy = release.value(defines, OWL.annotatedTarget)
    assert release.value(copy, OWL.someValuesFrom) == N.b

    # the deprecated claim gives no axiom and keeps its own annotations
    assert not [o for o in release.objects(N.b, RDFS.subClassOf) if isinstance(o, BNode)]
    assert release.value(N.gone, OWL.deprecated) == Literal(True)
    assert release.value(N.gone, OBO.IAO_0100001) == N.kept
    assert release.value(N.gone, RDFS.label) == Literal("obsolete claim")


def test_pronto_and_oak_open_the_owl_release(built: BuildResult) -> None:
    pronto = pytest.importorskip("pronto")
    path = _release(built) / "ndkg.owl"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pronto warns about axioms it does not model
        ontology = pronto.Ontology(str(path))
        papilloma = ontology["NDKG:0000224"]
        assert papilloma.name == "intraductal papilloma"
        assert {"HP:6000102", "MONDO:0021097"} <= {x.id for x in papilloma.xrefs}
        assert {t.id for t in papilloma.superclasses(distance=1, with_self=False)} == {
            "NDKG:0000114", "NDKG:0000127"}
        assert ontology.metadata.data_version.endswith("/2026-01-01/ndkg.owl")

        oaklib = pytest.importorskip("oaklib")
        adapter = oaklib.get_adapter(f"pronto:{path}")
        assert adapter.label("NDKG:0000214") == "galactorrhea"
        assert ("oio:hasDbXref", "HP:0100829") in set(
            adapter.simple_mappings_by_curie("NDKG:0000214"))


def test_owl_release_carries_mappings_as_xrefs_and_skos(built: BuildResult) -> None:
    graph = Graph().parse(_release(built) / "ndkg.owl", format="xml")
    galactorrhea = N["0000214"]
    assert Literal("HP:0100829") in set(graph.objects(galactorrhea, OBOINOWL.hasDbXref))
    assert OBO.HP_0100829 in set(graph.objects(galactorrhea, SKOS.exactMatch))
    assert OBO.MONDO_0045019 in set(graph.objects(N["0000212"], SKOS.broadMatch))
    assert not list(graph.objects(N["0000212"], OBOINOWL.hasDbXref)), "broad is no xref"
    assert graph.value(galactorrhea, OBOINOWL.id) == Literal("NDKG:0000214")


def test_release_files_agree_on_every_number(built: BuildResult) -> None:
    release = _release(built)
    graphs = {
        "ndkg.owl": Graph().parse(release / "ndkg.owl", format="xml"),
        "ndkg.ttl": Graph().parse(release / "ndkg.ttl", format="turtle"),
        "ndkg.nt": Graph().parse(release / "ndkg.nt", format="nt"),
        "ndkg.jsonld": Graph().parse(release / "ndkg.jsonld", format="json-ld"),
    }
    numbers = {
        name: sorted(str(o) for o in g.objects() if isinstance(o, Literal)
                     and o.datatype in (XSD.decimal, XSD.integer))
        for name, g in graphs.items()
    }
    assert numbers["ndkg.owl"] == numbers["ndkg.ttl"] == numbers["ndkg.nt"] == numbers[
        "ndkg.jsonld"]
    assert {"80.0", "14.2", "209"} <= set(numbers["ndkg.ttl"])
    assert "80" not in numbers["ndkg.ttl"]
    turtle = (release / "ndkg.ttl").read_text()
    assert "80.0" in turtle
    quads = (release / "ndkg-full.nq").read_text()
    assert '"80.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in quads
    assert '"80"^^<http://www.w3.org/2001/XMLSchema#decimal>' not in quads
    assert all(isomorphic(g, graphs["ndkg.ttl"]) for g in graphs.values())


def test_jsonld_uses_obo_curies_and_round_trips_through_pyld(built: BuildResult) -> None:
    jsonld = pytest.importorskip("pyld.jsonld")
    release = _release(built)
    document = json.loads((release / "ndkg.jsonld").read_text())
    context = json.loads((release / "context.jsonld").read_text())
    assert document["@context"] == context["@context"]
    assert context["@context"]["NDKG"] == {"@id": "https://w3id.org/ndkg/NDKG_", "@prefix": True}
    papilloma = next(n for n in document["@graph"] if n["@id"] == "NDKG:0000224")
    assert {"@id": "HP:6000102"} in papilloma["skos:exactMatch"]

    expanded = jsonld.expand(document)
    assert any(n["@id"] == "https://w3id.org/ndkg/NDKG_0000224" for n in expanded)
    quads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=quads, format="nt"),
                      Graph().parse(release / "ndkg.ttl", format="turtle"))
    compacted = jsonld.compact(
        {"@id": "https://w3id.org/ndkg/NDKG_0000214",
         "http://www.w3.org/2004/02/skos/core#exactMatch": {
             "@id": "http://purl.obolibrary.org/obo/HP_0100829"}},
        context,
    )
    assert compacted["@id"] == "NDKG:0000214"
    assert compacted["skos:exactMatch"] == {"@id": "HP:0100829"}
