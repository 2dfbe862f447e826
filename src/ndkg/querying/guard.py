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

RDF sent in writes is checked before a parser reads it, for what would make the parser use
unbounded memory or stack: RDF/XML whose internal entities expand beyond a size
(:func:`check_entities`, the "billion laughs"), and JSON nested too deep (:func:`json_depth`).

>>> json_depth(b'{"a": [1, {"b": "[[[["}]}')
3
>>> check_entities(b'<!DOCTYPE r [<!ENTITY a "xxxxxxxxxx"><!ENTITY b "&a;&a;&a;">]><r>&b;&b;</r>',
...                limit=50)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ndkg.errors.TooLargeError: The RDF/XML expands its entities beyond the limit of 50 bytes (...).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ndkg.errors import DataError, OutboundRequestError, TooDeepError, TooLargeError

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


MAX_CHECKED_LENGTH = 10_000
"""Longest text that mentions ``SERVICE`` or ``LOAD`` which is parsed to check it: rdflib's
parser takes up to about 0.15 ms a character, so a longer one would take seconds."""


class UnreadableError(ValueError):
    """rdflib's parser cannot read a text that mentions ``SERVICE`` or ``LOAD``."""


class TooLongToCheckError(UnreadableError):
    """A text that mentions ``SERVICE`` or ``LOAD`` is longer than :data:`MAX_CHECKED_LENGTH`."""


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
    if len(text) > MAX_CHECKED_LENGTH:
        raise TooLongToCheckError(str(len(text)))
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
    except TooLongToCheckError:
        raise OutboundRequestError(
            f"A text that mentions SERVICE or LOAD (or holds a \\u escape) may have at most "
            f"{MAX_CHECKED_LENGTH} characters, so that the endpoints it names can be checked; "
            f"this one has {len(text)}."
        ) from None
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


_JSON_TOKEN = re.compile(rb'"(?:[^"\\]++|\\.)*+"?|(?P<open>[\[{])|(?P<close>[\]}])|[^"\[\]{}]++')


def json_depth(data: bytes) -> int:
    """The deepest nesting of objects and arrays in the JSON text ``data`` (one linear scan;
    brackets inside strings do not count)."""
    depth = deepest = 0
    for token in _JSON_TOKEN.finditer(data):
        if token.lastgroup == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif token.lastgroup == "close":
            depth = max(depth - 1, 0)
    return deepest


def check_json_depth(data: bytes, *, limit: int) -> None:
    """Refuse JSON nested deeper than ``limit``.

    :raises TooDeepError: naming the depth found and the limit.
    """
    depth = json_depth(data)
    if depth > limit:
        raise TooDeepError(
            f"The JSON nests objects and arrays {depth} levels deep; the limit is {limit} "
            "(NDKG_MAX_DATA_DEPTH)."
        )


_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*\[(?P<subset>.*?)\]\s*>", re.DOTALL)
_ENTITY = re.compile(
    rb"""<!ENTITY\s+(?P<parameter>%\s+)?(?P<name>[^\s"'%>]+)\s+
         (?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<external>SYSTEM|PUBLIC))""",
    re.VERBOSE,
)
_REFERENCE = re.compile(rb"&(?P<name>[^\s&;#<>]+);")


def check_entities(data: bytes, *, limit: int) -> None:
    """Refuse RDF/XML whose internal entities would expand it beyond ``limit`` bytes, or that
    declares parameter entities or entities defined through each other in a cycle.

    :raises TooLargeError: if the document would expand beyond ``limit``.
    :raises DataError: for parameter entities and cycles.
    """
    doctype = _DOCTYPE.search(data)
    if doctype is None:
        return
    values: dict[bytes, bytes] = {}
    for entity in _ENTITY.finditer(doctype.group("subset")):
        if entity.group("parameter"):
            raise DataError("The RDF/XML declares a parameter entity, which is not accepted.")
        if entity.group("external") is None:
            value = entity.group("double")
            values.setdefault(entity.group("name"), value if value is not None
                              else entity.group("single"))
    sizes: dict[bytes, int] = {}

    def size(name: bytes, seen: frozenset[bytes]) -> int:
        if name not in values:
            return len(name) + 2  # predefined or unknown: the parser decides
        if name in seen:
            raise DataError("The RDF/XML defines an entity through itself.")
        if name not in sizes:
            sizes[name] = expanded(values[name], seen | {name})
        return sizes[name]

    def expanded(text: bytes, seen: frozenset[bytes]) -> int:
        total = len(text)
        for reference in _REFERENCE.finditer(text):
            total += size(reference.group("name"), seen) - len(reference.group())
            if total > limit:
                break
        return min(total, limit + 1)

    body = data[: doctype.start()] + data[doctype.end() :]
    total = expanded(body, frozenset()) + len(doctype.group())
    if total > limit:
        raise TooLargeError(
            f"The RDF/XML expands its entities beyond the limit of {limit} bytes "
            "(NDKG_MAX_BODY_BYTES)."
        )
