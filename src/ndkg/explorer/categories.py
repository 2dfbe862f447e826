"""Categories to browse by: each is a class of the graph, its members the classes under it.

Members are read from the class hierarchy in the store: asserted ``rdfs:subClassOf`` edges
and those the reasoner inferred (graph ``.../graph/inferred``); a member reached only through
inferred edges is marked so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ndkg.explorer.names import Names, TermRef
from ndkg.explorer.rdf import first, properties, solutions, values
from ndkg.storage.store import Store
from ndkg.vocab import DEFINITION, LAY_LABEL, NDKG, Graphs


@dataclass(frozen=True)
class Category:
    """A category: its address on the service, its heading, and the class it browses."""

    slug: str
    title: str
    iri: str


CATEGORIES = (
    Category("physiologic-causes", "Physiologic causes", str(NDKG.NDKG_0000101)),
    Category("pathologic-causes", "Pathologic causes", str(NDKG.NDKG_0000102)),
    Category("behavioural-factors", "Behavioural and environmental factors",
             str(NDKG.NDKG_0000103)),
    Category("triggers", "Triggers", str(NDKG.NDKG_0000106)),
    Category("mechanisms", "Mechanisms", str(NDKG.NDKG_0000104)),
    Category("hormones", "Hormones", str(NDKG.NDKG_0000105)),
    Category("conditions", "Conditions", str(NDKG.NDKG_0000114)),
    Category("medications", "Medications", str(NDKG.NDKG_0000115)),
    Category("management", "Management", str(NDKG.NDKG_0000116)),
    Category("presentations", "Discharge presentations", str(NDKG.NDKG_0000117)),
)
"""The categories, in the order the explorer lists them."""


@dataclass(frozen=True)
class Member:
    """A class in a category, with what a list of them shows."""

    ref: TermRef
    lay_label: str | None
    definition: str | None
    parents: tuple[TermRef, ...]
    inferred: bool


def category(slug: str) -> Category | None:
    """The category with address ``slug``, if there is one.

    >>> category("hormones").title
    'Hormones'
    """
    return next((c for c in CATEGORIES if c.slug == slug), None)


def members(store: Store, names: Names, browsed: Category) -> list[Member]:
    """The classes under ``browsed``, sorted by label."""
    query = f"""
        SELECT DISTINCT ?member ?asserted WHERE {{
          {values('category', [browsed.iri])}
          ?member rdfs:subClassOf+ ?category .
          FILTER(isIRI(?member))
          BIND(EXISTS {{ GRAPH <{Graphs.ASSERTED}> {{ ?member rdfs:subClassOf+ ?category }} }}
               AS ?asserted)
        }}"""
    found = {r["member"].value: r["asserted"].value == "true" for r in solutions(store, query)}
    if not found:
        return []
    props = properties(store, found)
    parents_query = f"""
        SELECT ?member ?parent WHERE {{
          {values('member', found)}
          GRAPH <{Graphs.ASSERTED}> {{ ?member rdfs:subClassOf ?parent }}
          FILTER(isIRI(?parent))
        }}"""
    parents_of: dict[str, list[str]] = defaultdict(list)
    for row in solutions(store, parents_query):
        parent = row["parent"].value
        if parent in found or parent == browsed.iri:
            parents_of[row["member"].value].append(parent)
    result = []
    for iri, asserted in found.items():
        own = props.get(iri, {})
        parents = tuple(names.ref(p) for p in sorted(parents_of[iri]))
        result.append(Member(
            names.ref(iri), first(own, str(LAY_LABEL)), first(own, str(DEFINITION)), parents,
            inferred=not asserted,
        ))
    return sorted(result, key=lambda m: m.ref.label.lower())
