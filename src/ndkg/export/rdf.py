"""Write the ontology and the whole graph in the usual RDF serialisations."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from ndkg.vocab import PREFIXES

ONTOLOGY_FORMATS = {"ndkg.owl": "xml", "ndkg.ttl": "turtle", "ndkg.nt": "nt"}
JSONLD_FILE = "ndkg.jsonld"
CONTEXT_FILE = "context.jsonld"
QUADS_FILE = "ndkg-full.nq"
VOID_FILE = "void.ttl"


def jsonld_context() -> dict[str, object]:
    """The JSON-LD context of ndkg: its prefixes."""
    return {"@context": dict(PREFIXES)}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind ndkg's prefixes on ``graph`` for readable serialisations."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def write_ontology(ontology: Graph, release_dir: Path) -> list[Path]:
    """Write the ontology as RDF/XML (OWL), Turtle, N-Triples and JSON-LD with its context."""
    bind_prefixes(ontology)
    written = []
    for name, fmt in ONTOLOGY_FORMATS.items():
        path = release_dir / name
        ontology.serialize(destination=path, format=fmt, encoding="utf-8")
        written.append(path)
    context = jsonld_context()
    (release_dir / CONTEXT_FILE).write_text(json.dumps(context, indent=2) + "\n")
    ontology.serialize(
        destination=release_dir / JSONLD_FILE, format="json-ld", context=context["@context"],
        encoding="utf-8",
    )
    written += [release_dir / CONTEXT_FILE, release_dir / JSONLD_FILE]
    return written


def write_quads(graphs: Mapping[URIRef, Graph], release_dir: Path) -> Path:
    """Write every named graph of the build as N-Quads."""
    dataset = Dataset()
    for iri, graph in graphs.items():
        named = dataset.graph(iri)
        for triple in graph:
            named.add(triple)
    path = release_dir / QUADS_FILE
    dataset.serialize(destination=path, format="nquads", encoding="utf-8")
    return path


def write_void(metadata: Graph, release_dir: Path) -> Path:
    """Write the VoID/DCAT description of the build as Turtle."""
    path = release_dir / VOID_FILE
    bind_prefixes(metadata).serialize(destination=path, format="turtle", encoding="utf-8")
    return path
