"""Checks on SPARQL text made before an engine reads it: how deep it nests, and which other
endpoints it would make the engine contact.

pyoxigraph parses nested brackets recursively and overflows its stack at a few thousand levels,
which kills the process without a Python exception; :func:`check_depth` refuses deep text after
one linear scan. It is a first line of defence, not a parser: the service also runs the engine in
worker processes, so that text which slips past it costs one worker, not the service.

Both pyoxigraph and rdflib send HTTP requests wherever a query's ``SERVICE`` or an update's
``LOAD`` points, and pyoxigraph waits for the answer without limit. :func:`check_outbound`
refuses every such endpoint that is not on an allow-list, and ``SERVICE ?variable`` always.

>>> nesting_depth("ASK { FILTER((1 + 2) > 0) }")
3
>>> nesting_depth("SELECT * { ?s ?p '((((' } # ((((")
1
>>> check_depth("ASK { FILTER(((true))) }", limit=3)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ndkg.errors.TooDeepError: The query nests brackets 4 levels deep; the limit is 3 (...).
>>> outbound("PREFIX ex: <http://example.org/> SELECT * { SERVICE ex:sparql { ?s ?p ?o } }")
Outbound(services=frozenset({'http://example.org/sparql'}), loads=frozenset(), variable=False)
>>> outbound("SELECT * { ?s ?p 'customer service' }")
Outbound(services=frozenset(), loads=frozenset(), variable=False)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ndkg.errors import OutboundRequestError, TooDeepError

_TOKEN = re.compile(
    r"""
      \#[^\n\r]*+                                       # comment
    | '''(?:[^'\\]|\\.|'(?!''))*+(?:'''|\\?\Z)         # long strings, maybe unterminated
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*+(?:\"\"\"|\\?\Z)
    | '(?:[^'\\\n\r]|\\[^\n\r])*+(?:'|\\?(?=[\n\r])|\\?\Z)  # strings, up to the line's end
    | "(?:[^"\\\n\r]|\\[^\n\r])*+(?:"|\\?(?=[\n\r])|\\?\Z)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*+>)               # IRIs: brackets inside still count
    | (?P<open>[(\[{])
    | (?P<close>[)\]}])
    | [^\#'"<(\[{)\]}]++                                # anything else, in runs
    | .                                                 # a comparison, a stray character
    """,
    re.VERBOSE | re.DOTALL,
)


@functools.lru_cache(maxsize=256)
def nesting_depth(text: str) -> int:
    """The deepest nesting of ``(``, ``[`` and ``{`` in ``text``, outside strings and comments.

    Memoised, as clients repeat their queries. The scan reads each character a bounded number
    of times. Brackets inside IRIs count too:
    a ``<`` that is a comparison cannot hide brackets from it that way.
    """
    depth = deepest = 0
    position, end = 0, len(text)
    while position < end:
        token = _TOKEN.match(text, position)
        assert token is not None, "every character starts a token"
        kind = token.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "iri":
            for char in token.group():
                if char in "([":
                    depth += 1
                    deepest = max(deepest, depth)
                elif char in ")]":
                    depth = max(depth - 1, 0)
        position = token.end()
    return deepest


def check_depth(text: str, *, limit: int) -> None:
    """Refuse ``text`` if it nests brackets deeper than ``limit``.

    :raises TooDeepError: naming the depth found and the limit.
    """
    depth = nesting_depth(text)
    if depth > limit:
        raise TooDeepError(
            f"The query nests brackets {depth} levels deep; the limit is {limit} "
            "(NDKG_MAX_QUERY_DEPTH)."
        )


@dataclass(frozen=True)
class Outbound:
    """The endpoints a query or update would contact: ``SERVICE`` IRIs, ``LOAD`` IRIs, and
    whether a ``SERVICE`` names its endpoint with a variable."""

    services: frozenset[str] = frozenset()
    loads: frozenset[str] = frozenset()
    variable: bool = False


class UnreadableError(ValueError):
    """rdflib's parser cannot read a text that mentions ``SERVICE`` or ``LOAD``."""


def outbound(
    text: str,
    *,
    update: bool = False,
    base_iri: str | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> Outbound:
    """Find the endpoints that the query (or, with ``update``, the update) ``text`` would contact.

    Only a parser can tell a ``SERVICE`` clause from the word in a string, so a text that
    mentions ``service`` or ``load``, or holds a ``\\u`` escape (which could spell them), is
    parsed with rdflib's grammar, its IRIs resolved against ``base_iri`` and ``prefixes`` as
    the engine resolves them.

    :raises UnreadableError: if rdflib cannot read such a text.
    """
    lowered = text.lower()
    if "service" not in lowered and "\\u" not in lowered and not (update and "load" in lowered):
        return Outbound()
    # rdflib's SPARQL grammar takes a third of a second to build: load it only when needed.
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    namespaces = dict(prefixes or {})
    try:
        if update:
            algebra: object = translateUpdate(parseUpdate(text), base_iri, namespaces).algebra
        else:
            algebra = translateQuery(parseQuery(text), base_iri, namespaces).algebra
    # Whatever stops rdflib, the text cannot be shown to stay at home.
    except Exception as exc:
        raise UnreadableError(str(exc)) from exc
    services, loads, variable = set(), set(), False
    for node in _nodes(algebra):
        if node.name == "ServiceGraphPattern":
            term = node.get("term")
            if _is_iri(term):
                services.add(str(term))
            else:
                variable = True
        elif node.name == "Load":
            loads.add(str(node.get("iri")))
    return Outbound(frozenset(services), frozenset(loads), variable)


def _nodes(tree: object) -> Iterator[Any]:
    """Every algebra node of an rdflib query or update, depth first."""
    from rdflib.plugins.sparql.parserutils import CompValue

    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            yield node
            pending.extend(node.values())
        elif isinstance(node, list | tuple | set):
            pending.extend(node)
        elif isinstance(node, dict):
            pending.extend(node.values())


def _is_iri(term: object) -> bool:
    from rdflib import URIRef

    return isinstance(term, URIRef)


def check_outbound(
    text: str,
    *,
    allowlist: Collection[str],
    update: bool = False,
    base_iri: str | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> None:
    """Refuse ``text`` if it would contact an endpoint not in ``allowlist`` (exact IRIs).

    :raises OutboundRequestError: naming the endpoint, before any connection is made.
    """
    try:
        found = outbound(text, update=update, base_iri=base_iri, prefixes=prefixes)
    except UnreadableError:
        raise OutboundRequestError(
            "SERVICE and LOAD are allowed only where they can be checked, and this text "
            "cannot be parsed to check them."
        ) from None
    if found.variable:
        raise OutboundRequestError(
            "SERVICE with a variable is not allowed: name the endpoint with an IRI."
        )
    for keyword, iris in (("SERVICE", found.services), ("LOAD", found.loads)):
        for iri in sorted(iris):
            if iri not in allowlist:
                raise OutboundRequestError(
                    f"{keyword} <{iri}> is not allowed: this service contacts only the "
                    "endpoints on its allow-list (NDKG_SERVICE_ALLOWLIST)"
                    + (", which is empty." if not allowlist else ".")
                )
