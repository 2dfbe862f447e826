"""Read and rewrite the text of a SPARQL query, for engines that take no ``substitutions``.

:func:`query_form`, :func:`mentions_service` and :func:`has_dataset_clause` read a query's
keywords outside its comments, strings, IRIs and names; :func:`substitute` binds values.

pyoxigraph binds parameters with ``substitutions`` (SPARQL-dev SEP-0007): every occurrence of
the variable means the value, even inside nested groups, ``EXISTS`` and sub-queries, and the
variable keeps its value in the results. A remote SPARQL endpoint has no such option, so
:func:`substitute` writes the same meaning into the query text:

- inside the query pattern (the ``WHERE`` group) each occurrence of ``?name`` becomes the
  value, written by pyoxigraph (``str(NamedNode)``, ``str(Literal)``: valid SPARQL terms, so no
  text from a caller is ever spliced in); where the grammar needs a variable it becomes
  ``(value AS ?name)`` in a sub-query's projection and ``(value)`` in its ``ORDER BY`` or
  ``GROUP BY``;
- a ``BIND`` at the start of the pattern gives ``?name`` the value, so that the projection, a
  ``CONSTRUCT`` template, ``ORDER BY`` and ``GROUP BY`` of the query see it (a ``BIND``, not a
  ``VALUES`` block: Virtuoso 7.2 loses rows when ``VALUES`` meets a transitive path).

A query that assigns the variable itself (``BIND(... AS ?name)``, ``VALUES ?name``) cannot be
bound so and is refused.

>>> import pyoxigraph as ox
>>> print(substitute("SELECT ?s ?t { { ?s a ?c FILTER(?s = ?t) } UNION { ?s ?p ?t } }",
...                  {"t": ox.NamedNode("urn:a")}))
SELECT ?s ?t { BIND(<urn:a> AS ?t) { ?s a ?c FILTER(?s = <urn:a>) } UNION { ?s ?p <urn:a> } }
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from ndkg.errors import QueryError

Value = ox.NamedNode | ox.Literal

_TOKENS = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<skip>
        \#[^\n\r]*                                  # comment
      | '''(?:[^'\\]|\\.|'(?!''))*'''               # long strings
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\n\r]|\\.)*'                       # strings
      | "(?:[^"\\\n\r]|\\.)*"
      | <[^<>"{}|^`\\\x00-\x20]*>                   # IRIs
      | @[A-Za-z]+(?:-[A-Za-z0-9]+)*                # language tags
      | (?:[^\W\d][\w.-]*)?:(?:[\w:%\\-]|\.(?=[\w:%\\-]))*  # prefixed names, blank nodes
      | \d+(?:\.\d*)?(?:[eE][+-]?\d+)?              # numbers
      | \.\d+(?:[eE][+-]?\d+)?
    )
  | (?P<var>[?$]\w+)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class Token:
    """One lexeme of a query: its kind (``skip``, ``var``, ``word``, ``other``) and place."""

    kind: str
    text: str
    start: int
    end: int

    def is_word(self, *words: str) -> bool:
        """Whether this is one of ``words`` (keywords, case-insensitive)."""
        return self.kind == "word" and self.text.upper() in words


def tokens(query: str) -> Iterator[Token]:
    """The lexemes of ``query``, whitespace left out.

    >>> [t.text for t in tokens('SELECT * { ?s rdfs:label "a {" } # }')]
    ['SELECT', '*', '{', '?s', 'rdfs:label', '"a {"', '}', '# }']
    """
    for match in _TOKENS.finditer(query):
        kind = match.lastgroup
        assert kind is not None
        if kind != "space":
            yield Token(kind, match.group(), match.start(), match.end())


def query_form(query: str) -> str:
    """The form of ``query``: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    >>> query_form("PREFIX ask: <urn:x:> BASE <urn:b> construct { ?s ?p ?o } WHERE {}")
    'CONSTRUCT'
    >>> query_form("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    Traceback (most recent call last):
    ...
    ndkg.errors.QueryError: not a SPARQL query: it starts with INSERT
    """
    for token in tokens(query):
        if token.kind == "word" and not token.is_word("BASE", "PREFIX"):
            if token.is_word(*QUERY_FORMS):
                return token.text.upper()
            raise QueryError(f"not a SPARQL query: it starts with {token.text}")
    raise QueryError("not a SPARQL query: it is empty")


def mentions_service(query: str) -> bool:
    """Whether ``query`` has the keyword ``SERVICE`` (outside strings, IRIs and names).

    >>> mentions_service("SELECT * { ?s ?p 1SERVICE <http://example.org/sparql> {} }")
    True
    >>> mentions_service("SELECT * { ?s ex:service 'customer service' }")
    False
    """
    return any(token.is_word("SERVICE") for token in tokens(query))


def has_dataset_clause(query: str) -> bool:
    """Whether ``query`` names its own graphs with ``FROM`` or ``FROM NAMED``.

    >>> has_dataset_clause("SELECT * FROM <urn:g> { ?s ?p ?o }")
    True
    >>> has_dataset_clause("SELECT * { { SELECT ?s { ?s ?p 'FROM' } } }")
    False
    """
    depth = 0
    for token in tokens(query):
        if token.kind == "other" and token.text in "{}":
            depth += 1 if token.text == "{" else -1
        elif depth == 0 and token.is_word("FROM"):
            return True
    return False


def substitute(query: str, values: Mapping[str, Value]) -> str:
    """``query`` with each variable named in ``values`` bound to its value (see the module).

    :param values: variable names (without ``?``) and the terms they stand for.
    :raises QueryError: if ``query`` is not a query, or assigns one of the variables itself.
    """
    if not values:
        return query
    for name, value in values.items():
        if not isinstance(value, ox.NamedNode | ox.Literal):
            raise QueryError(f"?{name} can only be bound to an IRI or a literal")
    lexemes = list(tokens(query))
    form = query_form(query)
    body = _body(lexemes, form)
    if body is None:  # DESCRIBE <iri> ?v, without a pattern
        return _replace(query, [(t, str(values[t.text[1:]])) for t in lexemes
                                if t.kind == "var" and t.text[1:] in values])
    start, end, short_construct = body
    edits = _pattern_edits(lexemes[start + 1:end], values)
    if not short_construct:
        binds = " ".join(f"BIND({value} AS ?{name})" for name, value in values.items())
        edits.insert(0, (lexemes[start], f"{{ {binds}"))
    return _replace(query, edits)


def _body(lexemes: list[Token], form: str) -> tuple[int, int, bool] | None:
    """Where the query pattern is: the indexes of its braces, and whether it is also the
    template (``CONSTRUCT WHERE { ... }``); ``None`` for a ``DESCRIBE`` without one."""
    depth = 0
    openings: list[int] = []
    first_word_after_form: Token | None = None
    seen_form = False
    for index, token in enumerate(lexemes):
        if token.kind == "word" and not seen_form and token.is_word(form):
            seen_form = True
            continue
        if seen_form and first_word_after_form is None and token.kind != "skip":
            first_word_after_form = token
        if token.text == "{" and token.kind == "other":
            if depth == 0:
                openings.append(index)
            depth += 1
        elif token.text == "}" and token.kind == "other":
            depth -= 1
    short_construct = (
        form == "CONSTRUCT" and first_word_after_form is not None
        and first_word_after_form.is_word("WHERE")
    )
    wanted = 1 if form == "CONSTRUCT" and not short_construct else 0
    if len(openings) <= wanted:
        if form == "DESCRIBE":
            return None
        raise QueryError(f"the {form} query has no pattern to bind values in")
    start = openings[wanted]
    return start, closing_brace(lexemes, start), short_construct


def closing_brace(lexemes: list[Token], start: int) -> int:
    """The index of the brace that closes the one at ``start``.

    :raises QueryError: if it is never closed.
    """
    depth = 0
    for index in range(start, len(lexemes)):
        token = lexemes[index]
        if token.kind == "other" and token.text in "{}":
            depth += 1 if token.text == "{" else -1
            if depth == 0:
                return index
    raise QueryError("unbalanced braces in the query")


def _pattern_edits(pattern: list[Token], values: Mapping[str, Value]) -> list[tuple[Token, str]]:
    """Replacements of the variables of ``values`` inside the query pattern."""
    edits: list[tuple[Token, str]] = []
    mode, entry_parens, parens = "pattern", 0, 0
    previous: Token | None = None
    for token in pattern:
        if token.kind == "skip" and token.text.startswith("#"):
            continue
        if token.kind == "other" and token.text in "{}":
            mode = "pattern"
        elif token.kind == "other" and token.text == "(":
            parens += 1
        elif token.kind == "other" and token.text == ")":
            parens -= 1
        elif token.is_word("SELECT"):
            mode, entry_parens = "projection", parens
        elif token.is_word("WHERE", "FROM"):
            mode = "pattern"
        elif token.is_word("VALUES"):
            mode = "values"
        elif token.is_word("BY") and previous is not None and previous.is_word("ORDER", "GROUP"):
            mode, entry_parens = "modifier", parens
        elif token.kind == "var" and token.text[1:] in values:
            name, term = token.text[1:], str(values[token.text[1:]])
            if previous is not None and previous.is_word("AS"):
                raise QueryError(f"cannot bind ?{name}: the query assigns it with AS")
            if mode == "values":
                raise QueryError(f"cannot bind ?{name}: the query lists it in VALUES")
            if mode == "projection" and parens == entry_parens:
                term = f"({term} AS ?{name})"
            elif mode == "modifier" and parens == entry_parens:
                term = f"({term})"
            edits.append((token, term))
        previous = token
    return edits


def _replace(query: str, edits: list[tuple[Token, str]]) -> str:
    parts, position = [], 0
    for token, text in sorted(edits, key=lambda edit: edit[0].start):
        parts += [query[position:token.start], text]
        position = token.end
    parts.append(query[position:])
    return "".join(parts)
