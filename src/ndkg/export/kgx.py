"""Write the graph as KGX TSV (``ndkg_nodes.tsv``, ``ndkg_edges.tsv``) in Biolink Model terms.

Checked against Biolink Model 4.4.4 (``biolink_model.yaml``): every category, predicate,
enumeration value and mapping named here exists there.

Nodes are the ndkg classes, the citations and every external term the ontology declares or an
edge touches, with their label, definition, exact matches (``xref``), exact synonyms and lay
label (``synonym``). A node's category comes from its place in the ndkg hierarchy (asserted and
inferred), refined by its mappings: a hormone mapped to PR is a ``biolink:Protein``, a condition
mapped to MONDO or DOID a ``biolink:Disease``. Only the most specific category is written.

Edges are of three kinds:

- one per claim (a claim marked ``owl:deprecated true`` gives none), with the claim's CURIE as
  its id, its citation in ``publications`` (``PMID:`` and ``doi:`` where the citation is
  verified, else the citation's own CURIE, a ``biolink:Publication`` node; a citation the claim
  marks as not reporting it, ``NDKG:0000032 false``, is left out), its ECO code in
  ``has_evidence``, the RO or ndkg relation in ``original_predicate``, the source's own
  restriction of the claim (``NDKG:0000029``) in ``description`` when it is words, in
  ``qualifiers`` when it is an ontology class, and a knowledge level and agent type read from
  its evidence code (:data:`EVIDENCE_LEVELS`);
- one per asserted existential restriction between named classes that is not a claim (for
  example a disease and its anatomical location);
- ``biolink:subclass_of`` for the asserted hierarchy, and for the subclass axioms that only the
  reasoner finds (knowledge level ``logical_entailment``), leaving out those implied by others.

Every edge's ``primary_knowledge_source`` and every node's ``provided_by`` is
``infores:ndkg`` (:data:`INFORES`), the identifier ndkg gives itself in the ``infores:``
namespace; what each claim rests on is in ``publications``. ``ndkg_kgx_context.jsonld``
declares the prefixes of the files that Biolink's own context lacks (``NDKG:``): give it to
KGX with the Biolink context to validate or merge the files.
"""

from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ndkg.answers.lexicon import compress, expand
from ndkg.export.hierarchy import ancestors
from ndkg.export.owl import is_deprecated
from ndkg.model.claims import claims
from ndkg.model.presentations import features
from ndkg.vocab import (
    CITATION,
    CITATION_STATUS,
    CITED_WORK_REPORTS,
    DEFINITION,
    DOI,
    HAS_CITATION,
    HAS_EVIDENCE,
    LAY_LABEL,
    NDKG,
    OBO,
    OBOINOWL,
    PREFIXES,
    PUBMED_ID,
    QUALIFIER,
    VERIFIED,
    Graphs,
)

NODES_FILE = "ndkg_nodes.tsv"
EDGES_FILE = "ndkg_edges.tsv"
NODE_COLUMNS = ("id", "category", "name", "description", "xref", "synonym", "provided_by", "iri")
CONTEXT_FILE = "ndkg_kgx_context.jsonld"
EDGE_COLUMNS = (
    "id", "subject", "predicate", "object", "category", "knowledge_level", "agent_type",
    "primary_knowledge_source", "publications", "has_evidence", "original_predicate",
    "object_direction_qualifier", "qualifiers", "description",
)
INFORES = "infores:ndkg"
MULTIVALUED = "|"

ASSERTION = ("knowledge_assertion", "manual_agent")
ENTAILMENT = ("logical_entailment", "automated_agent")
NOT_PROVIDED = ("not_provided", "not_provided")

# ECO evidence code → (Biolink knowledge level, agent type) of a claim's edge. A code not in the
# table takes the row of its nearest ancestor that is (ECO's hierarchy as imported), else
# NOT_PROVIDED: a new kind of source needs one row here, never a change per claim.
EVIDENCE_LEVELS: dict[URIRef, tuple[str, str]] = {
    OBO.ECO_0000303: ASSERTION,  # author statement without traceable support
    OBO.ECO_0000304: ASSERTION,  # author statement supported by traceable reference
    OBO.ECO_0006017: ASSERTION,  # author statement from a referenced clinical study
    OBO.ECO_0007121: ASSERTION,  # clinical study evidence (a study's own finding)
    OBO.ECO_0000305: ("logical_entailment", "manual_agent"),  # curator inference
    OBO.ECO_0000205: ("logical_entailment", "manual_agent"),  # curator inference (parent)
}

PMID = PUBMED_ID
NDKG_TERM = str(NDKG) + "NDKG_"

# ndkg upper class → Biolink category; the first class among a term's ancestors wins.
CLASS_CATEGORIES: tuple[tuple[URIRef, str], ...] = (
    (CITATION, "biolink:Publication"),
    (NDKG.NDKG_0000117, "biolink:PhenotypicFeature"),  # nipple discharge (presentations)
    (NDKG.NDKG_0000118, "biolink:PhenotypicQuality"),  # discharge feature
    (NDKG.NDKG_0000115, "biolink:Drug"),  # medication
    (NDKG.NDKG_0000105, "biolink:ChemicalEntity"),  # hormone
    (NDKG.NDKG_0000116, "biolink:Procedure"),  # management action
    (NDKG.NDKG_0000104, "biolink:BiologicalProcess"),  # mechanism
    (NDKG.NDKG_0000114, "biolink:DiseaseOrPhenotypicFeature"),  # condition
    (NDKG.NDKG_0000106, "biolink:BehavioralExposure"),  # trigger
    (NDKG.NDKG_0000103, "biolink:BehavioralExposure"),  # behavioural or environmental factor
    (NDKG.NDKG_0000123, "biolink:BiologicalProcess"),  # hormonal factor
    (NDKG.NDKG_0000124, "biolink:ExposureEvent"),  # timing-related factor
    (NDKG.NDKG_0000122, "biolink:BiologicalProcess"),  # let-down reflex factor
    (NDKG.NDKG_0000102, "biolink:DiseaseOrPhenotypicFeature"),  # pathologic cause
)
# CURIE prefix of an external term → Biolink category.
PREFIX_CATEGORIES = {
    "UBERON": "biolink:AnatomicalEntity",
    "CL": "biolink:Cell",
    "GO": "biolink:BiologicalProcess",
    "PATO": "biolink:PhenotypicQuality",
    "HP": "biolink:PhenotypicFeature",
    "MONDO": "biolink:Disease",
    "DOID": "biolink:Disease",
    "CHEBI": "biolink:ChemicalEntity",
    "PR": "biolink:Protein",
    "ECO": "biolink:EvidenceType",
}
# A category made more specific by what a term is mapped to (exactly or closely), in order.
REFINEMENTS = {
    "biolink:ChemicalEntity": (("PR", "biolink:Protein"),),
    "biolink:DiseaseOrPhenotypicFeature": (
        ("MONDO", "biolink:Disease"), ("DOID", "biolink:Disease"),
        ("HP", "biolink:PhenotypicFeature"),
    ),
    "biolink:BiologicalProcess": (("HP", "biolink:PhenotypicFeature"),),
}
FALLBACK_CATEGORY = "biolink:NamedThing"

# RO or ndkg relation → (Biolink predicate, object direction qualifier).
PREDICATES: dict[URIRef, tuple[str, str]] = {
    OBO.RO_0003303: ("biolink:causes", ""),  # causes condition (exact mapping)
    OBO.RO_0003302: ("biolink:contributes_to", ""),  # causes or contributes to condition
    OBO.RO_0003304: ("biolink:contributes_to", ""),  # contributes to condition (narrow mapping)
    OBO.RO_0002213: ("biolink:regulates", "upregulated"),  # RO:0002213 = upregulated (exact)
    OBO.RO_0002212: ("biolink:regulates", "downregulated"),  # RO:0002212 = downregulated (exact)
    OBO.RO_0002606: ("biolink:treats", ""),  # is substance that treats (narrow mapping)
    OBO.RO_0000057: ("biolink:has_participant", ""),  # has participant (exact mapping)
    OBO.RO_0004026: ("biolink:disease_has_location", ""),  # disease has location (exact)
    NDKG.NDKG_0000012: ("biolink:causes", ""),  # triggers: sets a process off
    NDKG.NDKG_0000014: ("biolink:affects", ""),  # acts on: changes the activity of
}
FALLBACK_PREDICATE = ("biolink:related_to", "")
SUBCLASS_OF = "biolink:subclass_of"
ASSOCIATION = "biolink:Association"


@dataclass(frozen=True)
class _Terms:
    """What the writers need to know of the graph, read once."""

    graph: Graph
    mappings: Graph
    ancestors: dict[URIRef, set[URIRef]]
    feature_values: set[URIRef]


def write_kgx(graphs: Mapping[URIRef, Graph], release_dir: Path) -> list[Path]:
    """Write the KGX node and edge files of the build's named graphs into ``release_dir``, and
    the JSON-LD context of the prefixes they use that Biolink's context lacks."""
    nodes, edges = kgx_tables(graphs)
    context = release_dir / CONTEXT_FILE
    context.write_text(json.dumps(kgx_context(nodes, edges), indent=2) + "\n")
    written = [context]
    tables = ((NODES_FILE, NODE_COLUMNS, nodes), (EDGES_FILE, EDGE_COLUMNS, edges))
    for name, columns, rows in tables:
        path = release_dir / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, columns, delimiter="\t", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written


def kgx_context(
    nodes: Iterable[Mapping[str, str]], edges: Iterable[Mapping[str, str]]
) -> dict[str, object]:
    """A JSON-LD context declaring ndkg's own prefix (``NDKG``), if the KGX files use it:
    Biolink's context has the others (``HP``, ``PMID``, ``infores`` ...)."""
    used = {
        value.partition(":")[0]
        for row in (*nodes, *edges)
        for column in ("id", "subject", "object", "publications", "qualifiers", "xref")
        for value in row.get(column, "").split(MULTIVALUED) if ":" in value
    }
    terms: dict[str, object] = {}  # no "@version": KGX reads every entry as a prefix
    if "NDKG" in used:
        terms["NDKG"] = {"@id": PREFIXES["NDKG"], "@prefix": True}
    return {"@context": terms}


def kgx_tables(graphs: Mapping[URIRef, Graph]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The KGX node and edge rows of a build, sorted by id."""
    asserted, inferred = graphs[Graphs.ASSERTED], graphs[Graphs.INFERRED]
    terms = _read_terms(asserted, inferred, graphs[Graphs.MAPPINGS])
    edges = sorted(
        [*_claim_edges(terms), *_restriction_edges(terms), *_subclass_edges(asserted, terms)],
        key=lambda row: row["id"],
    )
    ids = _node_iris(terms) | {
        URIRef(expand(row[end]) or row[end]) for row in edges for end in ("subject", "object")
    }
    nodes = sorted((_node(iri, terms) for iri in ids), key=lambda row: row["id"])
    return nodes, edges


def _read_terms(asserted: Graph, inferred: Graph, mappings: Graph) -> _Terms:
    graph = asserted + inferred
    parents: dict[URIRef, set[URIRef]] = {}
    for child, parent in graph.subject_objects(RDFS.subClassOf):
        if isinstance(child, URIRef) and isinstance(parent, URIRef):
            parents.setdefault(child, set()).add(parent)
    above = {term: ancestors(term, parents) for term in parents}
    values = {value for feature in features(asserted) for value in feature.values}
    values |= {a for value in values for a in above.get(value, ())}
    return _Terms(graph, mappings, above, values)


def _node_iris(terms: _Terms) -> set[URIRef]:
    """ndkg classes, citations and the external classes the ontology declares."""
    classes = {c for c in terms.graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    citations = {c for c in terms.graph.subjects(RDF.type, CITATION) if isinstance(c, URIRef)}
    return classes | citations


def _node(iri: URIRef, terms: _Terms) -> dict[str, str]:
    graph = terms.graph
    xrefs = [compress(str(o)) for o in terms.mappings.objects(iri, SKOS.exactMatch)]
    if (iri, CITATION_STATUS, VERIFIED) in graph:
        xrefs += _publication_ids(graph, iri)
    name = _text(graph.value(iri, RDFS.label) or terms.mappings.value(iri, RDFS.label))
    synonyms = [
        _text(s) for p in (OBOINOWL.hasExactSynonym, LAY_LABEL) for s in graph.objects(iri, p)
    ]
    return {
        "id": compress(str(iri)),
        "category": _category(iri, terms),
        "name": name,
        "description": _text(graph.value(iri, DEFINITION)),
        "xref": _join(xrefs),
        "synonym": _join(s for s in synonyms if s != name),
        "provided_by": INFORES,
        "iri": str(iri),
    }


def _category(iri: URIRef, terms: _Terms) -> str:
    if iri in terms.feature_values:
        return "biolink:PhenotypicQuality"
    lineage = {iri} | terms.ancestors.get(iri, set()) | set(terms.graph.objects(iri, RDF.type))
    category = next((c for cls, c in CLASS_CATEGORIES if cls in lineage), None)
    if category is None:
        prefix = compress(str(iri)).partition(":")[0]
        category = PREFIX_CATEGORIES.get(prefix, FALLBACK_CATEGORY)
    matched = {
        compress(str(o)).partition(":")[0]
        for p in (SKOS.exactMatch, SKOS.closeMatch) for o in terms.mappings.objects(iri, p)
    }
    return next((c for prefix, c in REFINEMENTS.get(category, ()) if prefix in matched), category)


def _publication_ids(graph: Graph, citation: URIRef) -> list[str]:
    """The PMID and DOI CURIEs recorded for a verified citation."""
    ids = [f"PMID:{pmid}" for pmid in graph.objects(citation, PMID)]
    return ids + [f"doi:{doi}" for doi in graph.objects(citation, DOI)]


def _publications(graph: Graph, citation: URIRef) -> list[str]:
    """The PMID and DOI of a verified citation, else the citation's own CURIE."""
    if (citation, CITATION_STATUS, VERIFIED) in graph:
        ids = _publication_ids(graph, citation)
        if ids:
            return ids
    return [compress(str(citation))]


def evidence_level(code: URIRef, ancestors: Mapping[URIRef, set[URIRef]]) -> tuple[str, str]:
    """The knowledge level and agent type of an edge resting on evidence ``code``.

    >>> evidence_level(OBO.ECO_0000305, {})
    ('logical_entailment', 'manual_agent')
    >>> evidence_level(OBO.ECO_9999999, {OBO.ECO_9999999: {OBO.ECO_0000205}})
    ('logical_entailment', 'manual_agent')
    >>> evidence_level(OBO.ECO_9999999, {})
    ('not_provided', 'not_provided')
    """
    if code in EVIDENCE_LEVELS:
        return EVIDENCE_LEVELS[code]
    found = [EVIDENCE_LEVELS[a] for a in sorted(ancestors.get(code, ()), key=str)
             if a in EVIDENCE_LEVELS]
    return found[0] if found else NOT_PROVIDED


def _claim_edges(terms: _Terms) -> Iterator[dict[str, str]]:
    graph = terms.graph
    for claim in claims(graph):
        if is_deprecated(graph, claim.node):
            continue
        reported = not any(str(v).strip().lower() in ("false", "0")
                           for v in graph.objects(claim.node, CITED_WORK_REPORTS))
        citations = sorted(
            c for c in graph.objects(claim.node, HAS_CITATION) if isinstance(c, URIRef)
        )
        codes = sorted(e for e in graph.objects(claim.node, HAS_EVIDENCE)
                       if isinstance(e, URIRef))
        levels = [evidence_level(code, terms.ancestors) for code in codes]
        qualifiers = list(graph.objects(claim.node, QUALIFIER))
        yield _edge(
            compress(str(claim.node)), claim.subject, claim.predicate, claim.object,
            levels[0] if levels else NOT_PROVIDED,
            publications=[p for c in citations for p in _publications(graph, c)] if reported
            else [],
            evidence=[compress(str(e)) for e in codes],
            qualifiers=[compress(str(q)) for q in qualifiers if isinstance(q, URIRef)],
            description=" ".join(_text(q) for q in qualifiers if not isinstance(q, URIRef)),
        )


def _restriction_edges(terms: _Terms) -> Iterator[dict[str, str]]:
    """Asserted ``C ⊑ P some O`` between named classes that no claim states."""
    graph = terms.graph
    stated = {(c.subject, c.predicate, c.object) for c in claims(graph)}
    for cls, restriction in graph.subject_objects(RDFS.subClassOf):
        if not isinstance(cls, URIRef) or not isinstance(restriction, BNode):
            continue
        prop = graph.value(restriction, OWL.onProperty)
        filler = graph.value(restriction, OWL.someValuesFrom)
        if not isinstance(prop, URIRef) or not isinstance(filler, URIRef):
            continue
        if (cls, prop, filler) not in stated:
            yield _edge(_edge_id(cls, prop, filler), cls, prop, filler, ASSERTION)


def _subclass_edges(asserted: Graph, terms: _Terms) -> Iterator[dict[str, str]]:
    """The asserted hierarchy, and what the reasoner adds to it that no other edge implies."""
    for child, parent in terms.graph.subject_objects(RDFS.subClassOf):
        if not isinstance(child, URIRef) or not isinstance(parent, URIRef):
            continue
        if (child, RDFS.subClassOf, parent) in asserted:
            level = ASSERTION
        elif any(
            parent in terms.ancestors.get(between, ())
            for between in terms.ancestors.get(child, set()) - {child, parent}
        ):
            continue
        else:
            level = ENTAILMENT
        yield _edge(_edge_id(child, RDFS.subClassOf, parent), child, RDFS.subClassOf, parent, level)


def _edge(
    edge_id: str,
    subject: URIRef,
    relation: URIRef,
    obj: URIRef,
    level: tuple[str, str],
    *,
    publications: Iterable[str] = (),
    evidence: Iterable[str] = (),
    qualifiers: Iterable[str] = (),
    description: str = "",
) -> dict[str, str]:
    predicate, direction = (
        (SUBCLASS_OF, "") if relation == RDFS.subClassOf
        else PREDICATES.get(relation, FALLBACK_PREDICATE)
    )
    return {
        "id": edge_id,
        "subject": compress(str(subject)),
        "predicate": predicate,
        "object": compress(str(obj)),
        "category": ASSOCIATION,
        "knowledge_level": level[0],
        "agent_type": level[1],
        "primary_knowledge_source": INFORES,
        "publications": _join(publications),
        "has_evidence": _join(sorted(evidence)),
        "original_predicate": compress(str(relation)),
        "object_direction_qualifier": direction,
        "qualifiers": _join(sorted(qualifiers)),
        "description": description,
    }


def _edge_id(subject: URIRef, predicate: URIRef, obj: URIRef) -> str:
    """A stable id for an edge that has no node of its own: a name-based UUID of the triple."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{subject} {predicate} {obj}").urn


def _text(value: object) -> str:
    """A cell value: one line, no tabs, no multivalue separator inside."""
    return " ".join(str(value).replace(MULTIVALUED, "/").split()) if value is not None else ""


def _join(values: Iterable[str]) -> str:
    unique = dict.fromkeys(v for v in values if v)
    return MULTIVALUED.join(unique)
