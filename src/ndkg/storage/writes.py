"""Writes to the contributed graphs: tried on a copy, checked with the SHACL shapes, then kept.

A write is a SPARQL Update (:class:`Update`), a graph sent whole (:class:`LoadGraph`, the Graph
Store Protocol's ``PUT`` and ``POST``) or a graph removed (:class:`DropGraph`). :func:`try_write`
runs it on an in-memory copy of the served store in which the default graph is
:data:`~ndkg.storage.contributions.CONTRIBUTED`, graphs named under it are themselves, and the
graphs of the build are there to be read. The write is refused if it changes any graph of the
build, if it would put into a contributed graph a triple that the build holds already, if it holds
RDF 1.2 triple terms, or if the nodes it touches break a SHACL shape. Nothing is changed until the
caller keeps the result (see :mod:`ndkg.storage.contributions`).

Validation is incremental: the focus nodes are the IRIs the write adds or removes triples
about (as subject or object, through blank nodes up to the IRI that holds them), and the data
validated is the curated data (the ``asserted`` and ``mappings`` graphs) with the contributed
triples about those nodes and about the nodes they point to. So a write costs the same however
much contributed data there is.

>>> store = ox.Store()
>>> written = try_write(store, Update('INSERT DATA { <urn:a> <urn:b> "c" }'), shapes=Graph())
>>> [str(q) for q in written.contributed]
['<urn:a> <urn:b> "c" <https://w3id.org/ndkg/graph/contributed>']
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ndkg.errors import (
    ConflictError,
    DataError,
    ForbiddenError,
    GraphNotFoundError,
    QueryError,
)
from ndkg.model.validate import check
from ndkg.querying.guard import check_outbound
from ndkg.storage.contributions import CONTRIBUTED, is_contributed, split
from ndkg.vocab import PREFIXES, Graphs

CURATED = (str(Graphs.ASSERTED), str(Graphs.MAPPINGS))
"""The graphs of a build that hold the curated data the shapes were written for."""

GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
"""Media types of the graphs a write may send, and the parser of each."""


@dataclass(frozen=True)
class Update:
    """A SPARQL Update; its default graph is :data:`~ndkg.storage.contributions.CONTRIBUTED`."""

    text: str
    base_iri: str | None = None
    allowlist: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoadGraph:
    """A graph sent whole: it replaces (``PUT``) or is added to (``POST``) the graph ``graph``."""

    graph: str
    data: bytes
    media_type: str
    replace: bool


@dataclass(frozen=True)
class DropGraph:
    """The removal of the graph ``graph``."""

    graph: str


Operation = Update | LoadGraph | DropGraph


@dataclass(frozen=True)
class Written:
    """The contributed graphs as a write leaves them.

    ``created`` says that the write's target graph was empty before; ``changed`` that any
    contributed triple was added or removed.
    """

    contributed: tuple[ox.Quad, ...]
    created: bool
    changed: bool


def try_write(store: ox.Store, operation: Operation, *, shapes: Graph) -> Written:
    """Run ``operation`` on a copy of ``store`` and check the result.

    :raises ForbiddenError: if the write would change a graph of the build.
    :raises ConflictError: if it would copy triples of the build into contributed graphs.
    :raises ValidationError: if the result breaks a SHACL shape (with the report).
    :raises QueryError: if the update is malformed or contacts an endpoint not allowed.
    :raises DataError: if the graph sent cannot be parsed (line and column), or holds triple
        terms.
    :raises GraphNotFoundError: when dropping a graph that has no triples.
    """
    release, contributed = split(store.quads_for_pattern(None, None, None, None))
    fixed = {quad for quad in release if not isinstance(quad.graph_name, ox.DefaultGraph)}
    copy = ox.Store()
    copy.extend(fixed)
    copy.extend(_to_copy(quad) for quad in contributed)
    target = _target(operation)
    created = target is not None and not _has_quads(copy, target)
    _apply(copy, operation)

    kept, result = [], []
    for quad in copy:
        if isinstance(quad.graph_name, ox.DefaultGraph):
            result.append(ox.Quad(quad.subject, quad.predicate, quad.object, _CONTRIBUTED))
        elif is_contributed(quad.graph_name):
            result.append(quad)
        else:
            kept.append(quad)
    changed_graphs = {quad.graph_name for quad in fixed.symmetric_difference(kept)}
    if changed_graphs:
        names = ", ".join(sorted(str(g) for g in changed_graphs))
        raise ForbiddenError(
            f"Graphs of the build are read-only ({names}): a write may change only "
            f"<{CONTRIBUTED}> (the default graph of writes) and graphs named under it."
        )
    before, after = set(contributed), set(result)
    added, removed = after - before, before - after
    _refuse_triple_terms(added)
    _refuse_copies(added, {quad.triple for quad in fixed})
    if added or removed:
        curated = [q for q in fixed
                   if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in CURATED]
        focus = _focus_nodes(added | removed, after, {q.subject for q in curated})
        data = [*curated, *_around(focus, after)]
        check(_rdflib_graph(data), shapes, [URIRef(node.value) for node in focus])
    return Written(tuple(result), created, bool(added or removed))


def _refuse_triple_terms(quads: Iterable[ox.Quad]) -> None:
    """:raises DataError: if a quad holds an RDF 1.2 triple term."""
    for quad in quads:
        if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
            raise DataError(
                "RDF 1.2 triple terms cannot be written: the shapes and the release formats of "
                f"ndkg are RDF 1.1 (found in {quad.triple})."
            )


def _refuse_copies(added: Iterable[ox.Quad], build: set[ox.Triple]) -> None:
    """:raises ConflictError: if a triple added to a contributed graph is one of the build."""
    copies = [quad.triple for quad in added if quad.triple in build]
    if copies:
        raise ConflictError(
            f"The write would copy {len(copies)} triple(s) of the build into contributed graphs "
            f"(such as {min(str(t) for t in copies)}): contributed graphs hold only what the "
            "build does not."
        )


def _focus_nodes(
    changed: Iterable[ox.Quad], contributed: Iterable[ox.Quad], curated: Collection[object],
) -> set[ox.NamedNode]:
    """The IRIs that the quads ``changed`` are about: their subjects, their objects that are
    not terms of the ``curated`` data (a write pointing at a term, such as a review status,
    does not change what the term's shapes check), and for a blank node, the IRIs whose
    contributed triples lead to it."""
    holders: dict[ox.BlankNode, set[ox.NamedNode | ox.BlankNode]] = {}
    for quad in contributed:
        if isinstance(quad.object, ox.BlankNode) and not isinstance(quad.subject, ox.Triple):
            holders.setdefault(quad.object, set()).add(quad.subject)
    focus: set[ox.NamedNode] = set()
    changed = list(changed)
    pending = [q.subject for q in changed if isinstance(q.subject, ox.NamedNode | ox.BlankNode)]
    pending += [q.object for q in changed if isinstance(q.object, ox.BlankNode)
                or (isinstance(q.object, ox.NamedNode) and q.object not in curated)]
    seen: set[ox.BlankNode] = set()
    while pending:
        node = pending.pop()
        if isinstance(node, ox.NamedNode):
            focus.add(node)
        elif node not in seen:
            seen.add(node)
            pending.extend(holders.get(node, ()))
    return focus


def _around(focus: set[ox.NamedNode], contributed: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The contributed quads about the ``focus`` nodes (with the blank nodes they hold), those
    about the nodes these point to, and those that point at the ``focus`` nodes."""
    by_subject: dict[object, list[ox.Quad]] = {}
    pointing: list[ox.Quad] = []
    for quad in contributed:
        by_subject.setdefault(quad.subject, []).append(quad)
        if quad.object in focus:
            pointing.append(quad)
    found: set[ox.Quad] = set(pointing)
    pending: list[tuple[object, int]] = [(node, 0) for node in focus]
    seen: set[object] = set()
    while pending:
        node, hops = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        for quad in by_subject.get(node, ()):
            found.add(quad)
            if isinstance(quad.object, ox.BlankNode):
                pending.append((quad.object, hops))
            elif isinstance(quad.object, ox.NamedNode) and hops == 0:
                pending.append((quad.object, 1))
    return list(found)


_CONTRIBUTED = ox.NamedNode(CONTRIBUTED)
_POSITION = re.compile(r"^Parser error at line \d+ column \d+: ")


def _to_copy(quad: ox.Quad) -> ox.Quad:
    """In the copy, :data:`CONTRIBUTED` is the default graph."""
    if quad.graph_name == _CONTRIBUTED:
        return ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())
    return quad


def _target(operation: Operation) -> ox.NamedNode | ox.DefaultGraph | None:
    """The graph, in the copy, that a Graph Store Protocol operation acts on."""
    if isinstance(operation, Update):
        return None
    return ox.DefaultGraph() if operation.graph == CONTRIBUTED else ox.NamedNode(operation.graph)


def _has_quads(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None


def _apply(copy: ox.Store, operation: Operation) -> None:
    if isinstance(operation, Update):
        check_outbound(
            operation.text, allowlist=operation.allowlist, update=True,
            base_iri=operation.base_iri, prefixes=PREFIXES,
        )
        try:
            copy.update(operation.text, base_iri=operation.base_iri, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"Malformed update: {exc}") from exc
        return
    graph = _target(operation)
    assert graph is not None
    if isinstance(operation, DropGraph):
        if not _has_quads(copy, graph):
            raise GraphNotFoundError(f"No graph <{operation.graph}>.")
        copy.clear_graph(graph)
        return
    triples = parse_graph(operation.data, operation.media_type, base_iri=operation.graph)
    if operation.replace:
        copy.clear_graph(graph)
    copy.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)


def parse_graph(data: bytes, media_type: str, *, base_iri: str) -> list[ox.Triple]:
    """Parse a graph sent in a write; blank nodes get fresh names.

    The parsers read nothing but ``data``: pyoxigraph's RDF/XML parser refuses external
    entities, and its JSON-LD parser loads no remote context.

    :raises DataError: naming the line and column of the first error.
    """
    fmt = GRAPH_FORMATS[media_type]
    try:
        quads = list(ox.parse(
            data, format=fmt, base_iri=base_iri, without_named_graphs=True,
            rename_blank_nodes=True,
        ))
    except SyntaxError as exc:
        where = f" at line {exc.lineno}, column {exc.offset}" if exc.lineno else ""
        message = _POSITION.sub("", exc.msg)
        raise DataError(f"The {fmt.name} data cannot be read{where}: {message}") from exc
    except ValueError as exc:  # invalid UTF-8, among others
        raise DataError(f"The {fmt.name} data cannot be read: {exc}") from exc
    _refuse_triple_terms(quads)
    return [q.triple for q in quads]


def _rdflib_graph(quads: Iterable[ox.Quad]) -> Graph:
    """The triples of ``quads`` as one rdflib graph, for pySHACL."""
    data = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=data, format="nt") if data else Graph()
