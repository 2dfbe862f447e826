"""Pictures of the graph: a term's neighbourhood, and the causal chain of milk leakage.

Both are read from the graph's own edges (the materialised direct edges, and asserted
``rdfs:subClassOf`` for a term's place in the hierarchy) and handed to the browser as
cytoscape elements (``{"nodes": [{"data": ...}], "edges": [{"data": ...}]}``).

The causal chain follows the edges the graph states: a trigger ``triggers`` (NDKG:0000012) a
reflex; a hormone release ``positively regulates`` (RO:0002213) that reflex and a contraction,
and ``has participant`` (RO:0000057) the hormone; the hormone ``acts on`` (NDKG:0000014) a
cell, in which the contraction happens; the reflex ``causes condition`` (RO:0003303) the
outcome. :data:`CHAIN_STAGES` orders the roles from trigger to outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import RDFS

from ndkg.explorer.names import Names, TermRef
from ndkg.explorer.rdf import solutions, values
from ndkg.storage.store import Store
from ndkg.vocab import Graphs

IS_A = str(RDFS.subClassOf)

CHAIN_QUERY = f"""
SELECT DISTINCT ?trigger ?reflex ?release ?hormone ?contraction ?cell ?outcome WHERE {{
  GRAPH <{Graphs.MATERIALISED}> {{
    ?trigger NDKG:0000012 ?reflex .
    ?reflex RO:0003303 ?outcome .
    ?release RO:0002213 ?reflex ; RO:0000057 ?hormone .
    ?hormone NDKG:0000014 ?cell .
    OPTIONAL {{ ?release RO:0002213 ?contraction . ?contraction RO:0000057 ?cell . }}
  }}
}}
"""
"""The causal chain, one row per trigger (and contraction), each role a variable."""

CHAIN_STAGES = ("trigger", "reflex", "release", "hormone", "contraction", "cell", "outcome")
"""The roles of the chain, in the order a reader follows them."""

STAGE_TITLES = {
    "trigger": "Trigger",
    "reflex": "Reflex",
    "release": "Hormone release",
    "hormone": "Hormone",
    "contraction": "Cell contraction",
    "cell": "Cell",
    "outcome": "Outcome",
}

CHAIN_EDGES = (
    ("trigger", "https://w3id.org/ndkg/NDKG_0000012", "reflex"),
    ("release", "http://purl.obolibrary.org/obo/RO_0002213", "reflex"),
    ("release", "http://purl.obolibrary.org/obo/RO_0000057", "hormone"),
    ("hormone", "https://w3id.org/ndkg/NDKG_0000014", "cell"),
    ("release", "http://purl.obolibrary.org/obo/RO_0002213", "contraction"),
    ("contraction", "http://purl.obolibrary.org/obo/RO_0000057", "cell"),
    ("reflex", "http://purl.obolibrary.org/obo/RO_0003303", "outcome"),
)
"""The edges of :data:`CHAIN_QUERY` between its roles: (subject role, predicate, object role)."""


@dataclass(frozen=True)
class PictureEdge:
    """A labelled edge of a picture."""

    source: TermRef
    predicate: TermRef
    target: TermRef


@dataclass
class Picture:
    """Nodes and labelled edges to draw; nodes may carry a role (``center``, a chain stage)."""

    nodes: dict[str, TermRef] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    edges: list[PictureEdge] = field(default_factory=list)

    def add_edge(self, source: TermRef, predicate: TermRef, target: TermRef) -> None:
        """Add an edge and its two ends, once."""
        edge = PictureEdge(source, predicate, target)
        if edge not in self.edges:
            self.edges.append(edge)
        self.nodes.setdefault(source.iri, source)
        self.nodes.setdefault(target.iri, target)

    def elements(self) -> dict[str, list[dict[str, Any]]]:
        """The picture as cytoscape elements."""
        nodes = [
            {"data": {**ref.as_json(), "id": iri, "role": self.roles.get(iri, "")}}
            for iri, ref in sorted(self.nodes.items(), key=lambda item: item[1].label.lower())
        ]
        edges = [
            {"data": {
                "id": f"e{number}", "source": e.source.iri, "target": e.target.iri,
                "predicate": e.predicate.iri, "label": e.predicate.label,
            }}
            for number, e in enumerate(self.edges)
        ]
        return {"nodes": nodes, "edges": edges}

    def stages(self) -> list[tuple[str, list[TermRef]]]:
        """The nodes of each chain stage, in the order of :data:`CHAIN_STAGES`."""
        return [
            (STAGE_TITLES[stage], sorted(
                (ref for iri, ref in self.nodes.items() if self.roles.get(iri) == stage),
                key=lambda ref: ref.label.lower(),
            ))
            for stage in CHAIN_STAGES
            if stage in self.roles.values()
        ]


def neighbourhood(
    store: Store, names: Names, iri: str, sub_properties: Mapping[str, set[str]]
) -> Picture:
    """``iri``, its direct relations in and out, and its asserted parents and children.

    An edge whose relation is implied by a more specific one between the same terms is left
    out. :raises ValueError: if ``iri`` is not a valid IRI.
    """
    query = f"""
        SELECT DISTINCT ?s ?p ?o WHERE {{
          {values('term', [iri])}
          {{
            GRAPH <{Graphs.MATERIALISED}> {{
              {{ ?term ?p ?o BIND(?term AS ?s) }} UNION {{ ?s ?p ?term BIND(?term AS ?o) }}
            }}
            FILTER(?p != rdfs:label)
          }} UNION {{
            GRAPH <{Graphs.ASSERTED}> {{
              {{ ?term rdfs:subClassOf ?o BIND(?term AS ?s) }}
              UNION {{ ?s rdfs:subClassOf ?term BIND(?term AS ?o) }}
            }}
            BIND(rdfs:subClassOf AS ?p)
          }}
          FILTER(isIRI(?s) && isIRI(?o))
        }}"""
    triples = {(r["s"].value, r["p"].value, r["o"].value) for r in solutions(store, query)}
    picture = Picture()
    picture.nodes[iri] = names.ref(iri)
    picture.roles[iri] = "center"
    for s, p, o in sorted(triples):
        if any((s, q, o) in triples for q in sub_properties.get(p, ())):
            continue
        picture.add_edge(names.ref(s), _predicate(names, p), names.ref(o))
    return picture


def causal_chain(store: Store, names: Names) -> Picture:
    """The chain from triggers to leakage, as :data:`CHAIN_QUERY` finds it in the graph."""
    picture = Picture()
    for row in solutions(store, CHAIN_QUERY):
        bound = {role: term.value for role, term in row.items() if isinstance(term, ox.NamedNode)}
        for role, iri in bound.items():
            picture.roles.setdefault(iri, role)
        for source, predicate, target in CHAIN_EDGES:
            if source in bound and target in bound:
                picture.add_edge(
                    names.ref(bound[source]), names.ref(predicate), names.ref(bound[target])
                )
    picture.edges.sort(key=lambda e: (
        CHAIN_STAGES.index(picture.roles[e.source.iri]), e.source.label, e.target.label
    ))
    return picture


def _predicate(names: Names, iri: str) -> TermRef:
    if iri == IS_A:
        ref = names.ref(iri)
        return TermRef(ref.iri, ref.curie, "is a", ref.href)
    return names.ref(iri)

