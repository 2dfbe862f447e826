"""The defining rule of an OWL defined class, read from its ``owl:equivalentClass`` axioms and
told in words: what a thing must be for the reasoner to put it in the class.

Any class expression is read: named classes, ``owl:intersectionOf`` (all of), ``owl:unionOf``
(one of), ``owl:complementOf`` (not), ``owl:someValuesFrom`` and ``owl:allValuesFrom`` on a
property, and ``owl:hasValue``, nested to any depth. :meth:`Rule.words` writes a rule as a
phrase; the entity page draws it as nested lists.

>>> from ndkg.explorer.names import TermRef
>>> def ref(name: str) -> TermRef:
...     return TermRef(name, name, name, "/" + name)
>>> rule = Rule("all", (Rule("class", ref=ref("nipple discharge")),
...     Rule("some", (Rule("any", (Rule("class", ref=ref("serous")),
...                               Rule("class", ref=ref("bloody")))),),
...          ref=ref("has character")),
...     Rule("not", (Rule("class", ref=ref("lactating")),))))
>>> rule.words()
'nipple discharge, has character serous or bloody, and not lactating'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import OWL, RDF

from ndkg.explorer.names import Names, TermRef
from ndkg.explorer.rdf import Term, values
from ndkg.storage.store import Store

_LINKS = " | ".join(
    f"<{term}>" for term in (
        OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.someValuesFrom,
        OWL.allValuesFrom, OWL.onProperty, OWL.hasValue, RDF.first, RDF.rest,
    )
)
RULE_QUERY = f"""
SELECT DISTINCT ?definition ?node ?p ?o WHERE {{
  %s
  ?class <{OWL.equivalentClass}> ?definition .
  FILTER(isBlank(?definition))
  ?definition ({_LINKS})* ?node .
  FILTER(isBlank(?node))
  ?node ?p ?o .
}}
"""
"""Every blank node of the class expressions equivalent to ``?class``, with its statements."""

KINDS = {
    str(OWL.intersectionOf): "all",
    str(OWL.unionOf): "any",
    str(OWL.complementOf): "not",
    str(OWL.someValuesFrom): "some",
    str(OWL.allValuesFrom): "only",
    str(OWL.hasValue): "value",
}


@dataclass(frozen=True)
class Rule:
    """A class expression: ``class`` (a named class, ``ref``), ``all``, ``any`` or ``not`` of
    its ``parts``, or ``some``, ``only`` or ``value`` of property ``ref`` with its filler (the
    one part)."""

    kind: str
    parts: tuple[Rule, ...] = ()
    ref: TermRef | None = None

    def words(self, properties: bool = True) -> str:
        """The rule as a phrase; an "all of" or "one of" inside another is put in brackets,
        so the phrase reads one way only. Without ``properties``, a restriction is told by its
        filler alone ("from one breast" rather than "which breast or breasts from one breast"),
        as everyday names of values say enough.

        >>> def named(name: str) -> Rule:
        ...     return Rule("class", ref=TermRef(name, name, name, ""))
        >>> Rule("any", (named("bloody"), Rule("all", (named("unilateral"),
        ...     Rule("not", (named("physiologic"),)))))).words()
        'bloody or (unilateral and not physiologic)'
        """
        return self._phrase(nested=False, properties=properties)

    def _phrase(self, nested: bool, properties: bool) -> str:
        if self.kind == "class" and self.ref is not None:
            return self.ref.label
        if self.kind in ("some", "only", "value") and self.ref is not None:
            default = "" if self.kind == "value" else "anything"
            filler = self.parts[0]._phrase(False, properties) if self.parts else default
            if not properties and self.kind != "only":
                return filler
            only = "only " if self.kind == "only" else ""
            return f"{self.ref.label} {only}{filler}".strip()
        if self.kind == "not":
            if not self.parts:
                return "not anything"
            return f"not {self.parts[0]._phrase(True, properties)}"
        joined = [part._phrase(True, properties) for part in self.parts]
        word = "and" if self.kind == "all" else "or"
        if len(joined) <= 2:
            text = f" {word} ".join(joined)
        else:
            text = f"{', '.join(joined[:-1])}, {word} {joined[-1]}"
        return f"({text})" if nested and len(joined) > 1 else text


def defining_rule(store: Store, names: Names, iri: str) -> Rule | None:
    """The rule of class ``iri`` (all of them, if it has several definitions), or ``None`` when
    it is not a defined class.

    :raises ValueError: if ``iri`` is not a valid IRI.
    """
    result = store.query(RULE_QUERY % values("class", [iri]))
    assert isinstance(result, ox.QuerySolutions), "a SELECT query"
    statements: dict[ox.BlankNode, dict[str, list[Term]]] = defaultdict(
        lambda: defaultdict(list)
    )
    definitions: list[ox.BlankNode] = []
    for row in result:
        definition, node, predicate, obj = row["definition"], row["node"], row["p"], row["o"]
        if definition not in definitions:
            definitions.append(definition)
        if obj not in statements[node][predicate.value]:
            statements[node][predicate.value].append(obj)
    rules = [_read(definition, statements, names, set()) for definition in definitions]
    if not rules:
        return None
    return rules[0] if len(rules) == 1 else Rule("all", tuple(rules))


def _read(
    term: Term, statements: dict[ox.BlankNode, dict[str, list[Term]]], names: Names,
    seen: set[ox.BlankNode],
) -> Rule:
    if isinstance(term, ox.NamedNode):
        return Rule("class", ref=names.ref(term.value))
    if not isinstance(term, ox.BlankNode) or term in seen:
        return Rule("class", ref=TermRef(str(term), str(term), str(term), ""))
    seen = seen | {term}
    own = statements.get(term, {})
    for predicate, kind in KINDS.items():
        if predicate not in own:
            continue
        target = own[predicate][0]
        if kind in ("all", "any"):
            members = _members(target, statements)
            return Rule(kind, tuple(_read(m, statements, names, seen) for m in members))
        if kind == "not":
            return Rule(kind, (_read(target, statements, names, seen),))
        prop = own.get(str(OWL.onProperty), [None])[0]
        ref = names.ref(prop.value) if isinstance(prop, ox.NamedNode) else None
        return Rule(kind, (_read(target, statements, names, seen),), ref)
    return Rule("class", ref=TermRef(str(term), str(term), "an unnamed class", ""))


def _members(
    head: Term, statements: dict[ox.BlankNode, dict[str, list[Term]]]
) -> list[Term]:
    """The members of the RDF list starting at ``head``."""
    members: list[Term] = []
    seen: set[Term] = set()
    while isinstance(head, ox.BlankNode) and head not in seen:
        seen.add(head)
        cell = statements.get(head, {})
        members.extend(cell.get(str(RDF.first), [])[:1])
        head = cell.get(str(RDF.rest), [ox.NamedNode(str(RDF.nil))])[0]
    return members
