"""The text of a named question with its values written in: the query that runs, and the one
shown to people, who can paste it into any SPARQL 1.1 endpoint holding the release.

Each parameter variable in the query pattern becomes its value, written as a CURIE when the
query declares a prefix for it (``obo:HP_0012833``) and as ``<IRI>`` otherwise; literals as
pyoxigraph writes them. Values are RDF terms checked by pyoxigraph, never text from a caller.
A parameter left unbound (an optional one without a default) stays a variable and matches any
value. A query that uses a parameter where a constant cannot stand (in its projection, a
``VALUES`` block, after ``AS``, in a sub-query) is bound by
:func:`ndkg.querying.query_text.substitute` instead, which keeps the same meaning.

>>> import pyoxigraph as ox
>>> print(bind_text(
...     "PREFIX obo: <http://purl.obolibrary.org/obo/>\\nSELECT ?s WHERE { ?s ?p ?__x_iri }",
...     {"__x_iri": ox.NamedNode("http://purl.obolibrary.org/obo/HP_0012833")}))
PREFIX obo: <http://purl.obolibrary.org/obo/>
SELECT ?s WHERE { ?s ?p obo:HP_0012833 }
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from ndkg.errors import QueryError
from ndkg.querying.query_text import Token, closing_brace, substitute, tokens

Value = ox.NamedNode | ox.Literal

_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?$")
"""Local names written after a prefix without escaping."""


def declared_prefixes(sparql: str) -> dict[str, str]:
    """The ``PREFIX`` declarations of ``sparql``: prefix (without colon) to namespace IRI.

    >>> declared_prefixes("PREFIX obo: <http://purl.obolibrary.org/obo/> SELECT * {}")
    {'obo': 'http://purl.obolibrary.org/obo/'}
    """
    lexemes = list(tokens(sparql))
    found: dict[str, str] = {}
    for index, token in enumerate(lexemes[:-2]):
        name, iri = lexemes[index + 1], lexemes[index + 2]
        if token.is_word("PREFIX") and name.text.endswith(":") and iri.text.startswith("<"):
            found[name.text[:-1]] = iri.text[1:-1]
    return found


def write_term(term: Value, prefixes: Mapping[str, str]) -> str:
    """``term`` as SPARQL: a CURIE when one of ``prefixes`` fits, else as pyoxigraph writes it.

    >>> write_term(ox.NamedNode("https://w3id.org/ndkg/NDKG_0000214"),
    ...            {"NDKG": "https://w3id.org/ndkg/NDKG_"})
    'NDKG:0000214'
    >>> write_term(ox.Literal("a \\"b\\""), {})
    '"a \\\\"b\\\\""'
    """
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in sorted(prefixes.items(), key=lambda p: -len(p[1])):
            local = term.value[len(namespace):]
            if term.value.startswith(namespace) and _LOCAL.match(local):
                return f"{prefix}:{local}"
    return str(term)


def runnable(summary: str, sparql: str, values: Mapping[str, Value]) -> str:
    """The text of a named question as it runs and is shown: its summary as a comment in place
    of the ``#+`` header, then the query with ``values`` written in (:func:`bind_text`).

    >>> print(runnable("What is it?", "#+ summary: What is it?\\nSELECT * { ?s ?p ?o }", {}))
    # What is it?
    SELECT * { ?s ?p ?o }
    """
    body = "\n".join(line for line in sparql.splitlines() if not line.startswith("#+"))
    comment = " ".join(summary.split())
    return f"# {comment}\n{bind_text(body.lstrip(), values)}"


def bind_text(sparql: str, values: Mapping[str, Value]) -> str:
    """``sparql`` with each variable named in ``values`` (without ``?``) written as its value.

    :raises QueryError: if ``sparql`` is not a query (from
    :func:`ndkg.querying.query_text.substitute`).
    """
    if not values:
        return sparql
    lexemes = list(tokens(sparql))
    pattern = _pattern(lexemes)
    if pattern is None or not _plain(lexemes, pattern, values):
        return substitute(sparql, values)
    prefixes = declared_prefixes(sparql)
    start, end = pattern
    parts, position = [], 0
    for token in lexemes[start:end]:
        if token.kind == "var" and token.text[1:] in values:
            parts += [sparql[position:token.start], write_term(values[token.text[1:]], prefixes)]
            position = token.end
    parts.append(sparql[position:])
    return "".join(parts)


def _pattern(lexemes: list[Token]) -> tuple[int, int] | None:
    """Where the ``WHERE`` group of a SELECT query is (indexes of its braces), if it is one."""
    opening = next((i for i, t in enumerate(lexemes) if t.kind == "other" and t.text == "{"),
                   None)
    if opening is None or not any(t.is_word("SELECT") for t in lexemes[:opening]):
        return None
    try:
        return opening, closing_brace(lexemes, opening)
    except QueryError:
        return None


def _plain(lexemes: list[Token], pattern: tuple[int, int], values: Mapping[str, Value]) -> bool:
    """Whether the variables of ``values`` occur only where a constant may stand: inside the
    pattern, outside ``VALUES``, sub-queries and ``AS``."""
    start, end = pattern
    inside_values = False
    for index, token in enumerate(lexemes):
        if token.is_word("VALUES", "SELECT") and start < index < end:
            inside_values = True
        elif token.kind == "other" and token.text == "}" and inside_values:
            inside_values = False
        if token.kind != "var" or token.text[1:] not in values:
            continue
        before = lexemes[index - 1] if index else None
        if not start < index < end or inside_values or (before and before.is_word("AS")):
            return False
    return True
