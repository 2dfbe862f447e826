"""Write the ontology and the whole graph in the usual RDF serialisations.

Every file says the same thing in the same words: numbers are written in their canonical
lexical form (``"80"^^xsd:decimal`` becomes ``80.0`` everywhere, as Turtle writes it), and the
ontology files (``ndkg.owl``, ``ndkg.ttl``, ``ndkg.nt``, ``ndkg.jsonld``) hold the same triples.
``ndkg.owl`` is RDF/XML laid out as the OWL API writes it (:mod:`ndkg.export.rdfxml`), which
pronto and OAK need.

The JSON-LD context declares every prefix with ``"@prefix": true``: JSON-LD 1.1 only uses a
term as a CURIE prefix on its own when its IRI ends in ``/`` or ``#``, and OBO IRIs end in
``_`` (``NDKG:0000224`` → ``https://w3id.org/ndkg/NDKG_0000224``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import curies
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from ndkg.export.rdfxml import to_rdfxml
from ndkg.vocab import PREFIXES

OWL_FILE = "ndkg.owl"
ONTOLOGY_FORMATS = {"ndkg.ttl": "turtle", "ndkg.nt": "nt"}
JSONLD_FILE = "ndkg.jsonld"
CONTEXT_FILE = "context.jsonld"
QUADS_FILE = "ndkg-full.nq"
VOID_FILE = "void.ttl"
_CONVERTER = curies.Converter.from_prefix_map(PREFIXES)
_INTEGER_TYPES = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger,
                  XSD.positiveInteger}


def jsonld_context() -> dict[str, object]:
    """The JSON-LD 1.1 context of ndkg: its prefixes, each usable in CURIEs.

    >>> jsonld_context()["@context"]["NDKG"]
    {'@id': 'https://w3id.org/ndkg/NDKG_', '@prefix': True}
    """
    terms: dict[str, object] = {"@version": 1.1}
    for prefix, iri in PREFIXES.items():
        terms[prefix] = {"@id": iri, "@prefix": True}
    return {"@context": terms}


def jsonld_document(graph: Graph) -> dict[str, object]:
    """``graph`` as JSON-LD with ndkg's context, its IRIs written as OBO CURIEs.

    rdflib compacts an IRI only at its last ``/`` or ``#`` (``ndkg:NDKG_0000224``); here each
    IRI in a key, an ``@id`` or an ``@type`` is written with the longest prefix that fits.

    >>> g = Graph()
    >>> _ = g.add((URIRef(PREFIXES["NDKG"] + "0000224"), URIRef(PREFIXES["skos"] + "exactMatch"),
    ...            URIRef(PREFIXES["HP"] + "0100829")))
    >>> jsonld_document(g)["@graph"]
    [{'@id': 'NDKG:0000224', 'skos:exactMatch': [{'@id': 'HP:0100829'}]}]
    """
    expanded = json.loads(graph.serialize(format="json-ld"))
    return {"@context": jsonld_context()["@context"], "@graph": _compact(expanded)}


def _compact(value: object) -> Any:
    if isinstance(value, list):
        return [_compact(item) for item in value]
    if not isinstance(value, dict):
        return value
    compacted: dict[str, object] = {}
    for key, item in value.items():
        if key == "@id" and isinstance(item, str):
            compacted[key] = _CONVERTER.compress(item, passthrough=True)
        elif key == "@type":
            types = item if isinstance(item, list) else [item]
            names = [_CONVERTER.compress(t, passthrough=True) for t in types]
            compacted[key] = names if isinstance(item, list) else names[0]
        elif key.startswith("@"):
            compacted[key] = _compact(item)
        else:
            compacted[_CONVERTER.compress(key, passthrough=True)] = _compact(item)
    return compacted


def canonical(literal: Literal) -> Literal:
    """A numeric literal in its canonical lexical form; any other literal as it is.

    >>> str(canonical(Literal("80", datatype=XSD.decimal)))
    '80.0'
    >>> str(canonical(Literal("14.20", datatype=XSD.decimal)))
    '14.2'
    >>> str(canonical(Literal("0209", datatype=XSD.integer)))
    '209'
    """
    try:
        if literal.datatype == XSD.decimal:
            value = Decimal(str(literal)).normalize()
            text = format(value, "f")
            return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)
        if literal.datatype in _INTEGER_TYPES:
            return Literal(str(int(str(literal))), datatype=literal.datatype)
    except (InvalidOperation, ValueError):
        return literal
    return literal


def canonical_numbers(graph: Graph) -> Graph:
    """``graph`` with its numeric literals in canonical form (changed in place)."""
    changed = [
        (s, p, o) for s, p, o in graph
        if isinstance(o, Literal) and o.datatype is not None and canonical(o) is not o
    ]
    for s, p, o in changed:
        graph.remove((s, p, o))
        graph.add((s, p, canonical(o)))
    return graph


def bind_prefixes(graph: Graph) -> Graph:
    """Bind ndkg's prefixes on ``graph`` for readable serialisations."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def write_ontology(ontology: Graph, release_dir: Path) -> list[Path]:
    """Write the ontology as RDF/XML (OWL), Turtle, N-Triples and JSON-LD with its context."""
    bind_prefixes(canonical_numbers(ontology))
    (release_dir / OWL_FILE).write_bytes(to_rdfxml(ontology, PREFIXES))
    written = [release_dir / OWL_FILE]
    for name, fmt in ONTOLOGY_FORMATS.items():
        path = release_dir / name
        ontology.serialize(destination=path, format=fmt, encoding="utf-8")
        written.append(path)
    context = jsonld_context()
    (release_dir / CONTEXT_FILE).write_text(json.dumps(context, indent=2) + "\n")
    document = jsonld_document(ontology)
    (release_dir / JSONLD_FILE).write_text(json.dumps(document, indent=1, ensure_ascii=False))
    written += [release_dir / CONTEXT_FILE, release_dir / JSONLD_FILE]
    return written


def write_quads(graphs: Mapping[URIRef, Graph], release_dir: Path) -> Path:
    """Write every named graph of the build as N-Quads."""
    dataset = Dataset()
    for iri, graph in graphs.items():
        named = dataset.graph(iri)
        for s, p, o in graph:
            named.add((s, p, canonical(o) if isinstance(o, Literal) else o))
    path = release_dir / QUADS_FILE
    dataset.serialize(destination=path, format="nquads", encoding="utf-8")
    return path


def write_void(metadata: Graph, release_dir: Path) -> Path:
    """Write the VoID/DCAT description of the build as Turtle."""
    path = release_dir / VOID_FILE
    bind_prefixes(metadata).serialize(destination=path, format="turtle", encoding="utf-8")
    return path
