"""RDF/XML laid out as the OWL API writes it, which every OWL tool reads.

Each named resource is one top-level element typed by its OWL kind (``<owl:Class
rdf:about="...">``), the ontology header first; blank nodes used once (restrictions, class
expressions, lists, axiom annotations) are nested where they are used; a blank node used more
than once (a restriction that is both an axiom's superclass and the target of its annotation)
is a top-level ``rdf:Description`` referred to by ``rdf:nodeID``. rdflib's ``xml`` writer
gives only ``rdf:Description`` elements (pronto then finds no ``owl:Ontology``), and its
``pretty-xml`` writer nests named resources inside others (pronto then misses their
declarations).

>>> from rdflib import URIRef
>>> g = Graph()
>>> _ = g.add((URIRef("urn:x:a"), RDF.type, OWL.Class))
>>> print(to_rdfxml(g, {"owl": str(OWL)}).decode().splitlines()[-2])
  <owl:Class rdf:about="urn:x:a"/>
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

_NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")
_TYPE_ORDER = (
    OWL.Ontology, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
    OWL.AnnotationProperty, OWL.NamedIndividual, OWL.Axiom, OWL.Restriction,
)


class _Writer:
    def __init__(self, graph: Graph, prefixes: Mapping[str, str]) -> None:
        self.graph = graph
        self.namespaces = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), **prefixes}
        self.used: dict[str, str] = {}
        self.uses = Counter(o for o in graph.objects() if isinstance(o, BNode))
        self.lines: list[str] = []
        self.written: set[BNode] = set()

    def qname(self, iri: URIRef) -> str:
        """``prefix:local`` for an element name, declaring a prefix where none fits."""
        text = str(iri)
        best = max(
            ((p, ns) for p, ns in self.namespaces.items()
             if text.startswith(ns) and _NCNAME.match(text[len(ns):])),
            key=lambda pair: len(pair[1]), default=None,
        )
        if best is None:
            cut = max(text.rfind("#"), text.rfind("/")) + 1
            namespace, local = text[:cut], text[cut:]
            if not _NCNAME.match(local):
                raise ValueError(f"{iri} cannot be written as an RDF/XML element name")
            best = (f"ns{len(self.namespaces)}", namespace)
            self.namespaces[best[0]] = namespace
        prefix, namespace = best
        self.used[prefix] = namespace
        return f"{prefix}:{text[len(namespace):]}"

    def node(self, subject: Node, indent: str, attribute: str) -> None:
        types = sorted(self.graph.objects(subject, RDF.type), key=_type_rank)
        element = "rdf:Description"
        if types and isinstance(types[0], URIRef) and _type_rank(types[0]) < len(_TYPE_ORDER):
            element = self.qname(types[0])
            types = types[1:]
        properties = [(RDF.type, t) for t in types] + sorted(
            ((p, o) for p, o in self.graph.predicate_objects(subject) if p != RDF.type),
            key=lambda pair: (str(pair[0]), str(pair[1])),
        )
        opening = f"{indent}<{element}{attribute}"
        if not properties:
            self.lines.append(opening + "/>")
            return
        self.lines.append(opening + ">")
        for predicate, obj in properties:
            self.property(predicate, obj, indent + "  ")  # type: ignore[arg-type]
        self.lines.append(f"{indent}</{element}>")

    def property(self, predicate: URIRef, obj: Node, indent: str) -> None:
        name = self.qname(predicate)
        if isinstance(obj, Literal):
            extra = ""
            if obj.language:
                extra = f" xml:lang={quoteattr(obj.language)}"
            elif obj.datatype is not None:
                extra = f" rdf:datatype={quoteattr(str(obj.datatype))}"
            self.lines.append(f"{indent}<{name}{extra}>{escape(str(obj))}</{name}>")
        elif isinstance(obj, URIRef):
            self.lines.append(f"{indent}<{name} rdf:resource={quoteattr(str(obj))}/>")
        elif isinstance(obj, BNode) and self.uses[obj] == 1 and obj not in self.written:
            self.written.add(obj)
            if (obj, RDF.first, None) in self.graph or obj == RDF.nil:
                self.collection(name, obj, indent)
            else:
                self.lines.append(f"{indent}<{name}>")
                self.node(obj, indent + "  ", "")
                self.lines.append(f"{indent}</{name}>")
        else:
            self.lines.append(f"{indent}<{name} rdf:nodeID={quoteattr(_node_id(obj))}/>")

    def collection(self, name: str, head: BNode, indent: str) -> None:
        self.lines.append(f'{indent}<{name} rdf:parseType="Collection">')
        cell: Node | None = head
        while isinstance(cell, BNode):
            self.written.add(cell)
            cell = self.graph.value(cell, RDF.rest)
        for item in Collection(self.graph, head):
            if isinstance(item, URIRef):
                self.lines.append(f"{indent}  <rdf:Description rdf:about={quoteattr(str(item))}/>")
            else:
                self.written.add(item)  # type: ignore[arg-type]
                self.node(item, indent + "  ", "")
        self.lines.append(f"{indent}</{name}>")

    def document(self) -> bytes:
        subjects = sorted({s for s in self.graph.subjects() if isinstance(s, URIRef)},
                          key=lambda s: (_type_rank(_first_type(self.graph, s)), str(s)))
        for subject in subjects:
            self.node(subject, "  ", f" rdf:about={quoteattr(str(subject))}")
        roots = sorted((s for s in set(self.graph.subjects()) if isinstance(s, BNode)
                        and self.uses[s] == 0), key=lambda b: _sort_key(self.graph, b))
        for root in roots:
            self.node(root, "  ", "")
        shared = sorted((s for s in set(self.graph.subjects()) if isinstance(s, BNode)
                         and s not in self.written and self.uses[s] > 0),
                        key=lambda b: _sort_key(self.graph, b))
        for node in shared:
            self.node(node, "  ", f" rdf:nodeID={quoteattr(_node_id(node))}")
        head = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
        head += [f"  xmlns:{p}={quoteattr(ns)}" for p, ns in sorted(
            {"rdf": str(RDF), **self.used}.items())]
        head[-1] += ">"
        return ("\n".join([*head, *self.lines, "</rdf:RDF>"]) + "\n").encode("utf-8")


def _type_rank(node: Node | None) -> int:
    return _TYPE_ORDER.index(node) if node in _TYPE_ORDER else len(_TYPE_ORDER)


def _first_type(graph: Graph, node: Node) -> Node | None:
    return min(graph.objects(node, RDF.type), key=_type_rank, default=None)


def _node_id(node: Node) -> str:
    text = str(node)
    return text if _NCNAME.match(text) else "b" + re.sub(r"\W", "_", text)


def _sort_key(graph: Graph, node: BNode) -> str:
    """A stable order for blank nodes: the triples they carry, then their label."""
    return " ".join(sorted(f"{p} {o}" for p, o in graph.predicate_objects(node)
                           if not isinstance(o, BNode))) + str(node)


def to_rdfxml(graph: Graph, prefixes: Mapping[str, str]) -> bytes:
    """``graph`` as RDF/XML, each named resource a top-level typed element.

    :raises ValueError: if a predicate or type cannot be written as an element name.
    """
    return _Writer(graph, prefixes).document()
