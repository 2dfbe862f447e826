"""Describe a build: VoID and DCAT statistics in RDF, and the versions of the tools used."""

from __future__ import annotations

import platform
import shutil
import subprocess
from collections.abc import Mapping
from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, XSD

from ndkg.vocab import NDKG, ONTOLOGY_IRI

VOID = Namespace("http://rdfs.org/ns/void#")
DATASET = NDKG["dataset"]
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
PACKAGES = ("ndkg", "rdflib", "pyoxigraph", "owlready2", "pyshacl", "fastapi")


def describe(graphs: Mapping[URIRef, Graph], version: str) -> Graph:
    """A VoID/DCAT description of the build: the dataset, its version and each named graph."""
    meta = Graph()
    meta.bind("void", VOID)
    meta.bind("dcat", DCAT)
    meta.add((DATASET, RDF.type, VOID.Dataset))
    meta.add((DATASET, RDF.type, DCAT.Dataset))
    meta.add((DATASET, DCTERMS.title, Literal("Nipple Discharge & Lactation Knowledge Graph")))
    meta.add((DATASET, DCTERMS.license, LICENSE))
    meta.add((DATASET, OWL.versionInfo, Literal(version)))
    meta.add((DATASET, DCTERMS.issued, Literal(version, datatype=XSD.date)))
    meta.add((DATASET, DCTERMS.conformsTo, ONTOLOGY_IRI))
    meta.add((DATASET, VOID.uriSpace, Literal(str(NDKG))))
    meta.add((DATASET, VOID.triples, Literal(sum(len(g) for g in graphs.values()))))
    for iri, graph in graphs.items():
        meta.add((DATASET, VOID.subset, iri))
        meta.add((iri, RDF.type, VOID.Dataset))
        meta.add((iri, VOID.triples, Literal(len(graph))))
        meta.add((iri, VOID.distinctSubjects, Literal(len(set(graph.subjects())))))
        meta.add((iri, VOID.properties, Literal(len(set(graph.predicates())))))
    return meta


@cache
def tool_versions() -> dict[str, str]:
    """Versions of Python, Java and the packages a build depends on."""
    versions = {"python": platform.python_version(), "java": _java_version()}
    for name in PACKAGES:
        try:
            versions[name] = package_version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _java_version() -> str:
    java = shutil.which("java")
    if java is None:
        return "not found"
    result = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    first = (result.stderr or result.stdout).splitlines()
    return first[0] if first else "unknown"
