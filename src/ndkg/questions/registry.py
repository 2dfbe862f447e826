"""The named questions of a build: find them, bind their parameters safely, run them.

Values are resolved to RDF terms (checked by pyoxigraph, never text from a caller) and written
into the question's text (:func:`ndkg.questions.text.bind_text`): the query that runs is the
query shown, complete, so that it gives the same rows on any SPARQL 1.1 endpoint holding the
release. Parameter variables are not projected, so they never reach an answer. An IRI
parameter accepts an IRI, a CURIE, or a label, lay label or synonym of one of its allowed values;
a value outside the allowed set is refused with the list of allowed ones.
Only the words of a parameter's allowed values are read to resolve them, so answering does not
read every word of a large graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from ndkg.answers.lexicon import Lexicon, compress, expand
from ndkg.errors import ParameterError, UnknownQuestionError
from ndkg.questions.model import Kind, Parameter, Question
from ndkg.questions.parse import parse_question
from ndkg.questions.text import runnable
from ndkg.storage.store import Store
from ndkg.vocab import BASE

NDKG_TERM = BASE + "NDKG_"

DATATYPES = {
    Kind.INTEGER: "http://www.w3.org/2001/XMLSchema#integer",
    Kind.NUMBER: "http://www.w3.org/2001/XMLSchema#decimal",
}


@dataclass(frozen=True)
class AllowedValue:
    """One allowed value of a parameter."""

    iri: str
    label: str

    @property
    def curie(self) -> str:
        """The value as a CURIE."""
        return compress(self.iri)


@dataclass
class Answer:
    """The answer to a named question: the bound parameters, the query that ran, its rows."""

    question: Question
    bindings: dict[str, str]
    sparql: str
    variables: list[str]
    rows: list[dict[str, str]]


@dataclass
class Questions:
    """The named questions in ``folder``, answered from ``store``."""

    store: Store
    folder: Path
    _allowed: dict[tuple[str, str], list[AllowedValue]] = field(default_factory=dict)
    _words: dict[tuple[str, str], Lexicon] = field(default_factory=dict)

    @cached_property
    def by_name(self) -> dict[str, Question]:
        """Every question, by name (the file's stem), sorted."""
        return {q.name: q for q in map(parse_question, sorted(self.folder.glob("*.rq")))}

    @cached_property
    def lexicon(self) -> Lexicon:
        """The words of the graph, for resolving labels to terms."""
        return Lexicon.from_store(self.store)

    def get(self, name: str) -> Question:
        """The question called ``name``.

        :raises UnknownQuestionError: if there is none.
        """
        try:
            return self.by_name[name]
        except KeyError:
            known = ", ".join(self.by_name)
            raise UnknownQuestionError(f"no question named {name!r}; known: {known}") from None

    def allowed(self, question: Question, parameter: Parameter) -> list[AllowedValue]:
        """The allowed values of ``parameter`` (empty when any IRI is accepted)."""
        key = (question.name, parameter.name)
        if key not in self._allowed:
            values: list[AllowedValue] = []
            if parameter.values_query:
                rows = self.store.select(parameter.values_query, use_prefixes=True)
                values = [AllowedValue(r["value"], r.get("label", r["value"])) for r in rows]
            self._allowed[key] = values
        return self._allowed[key]

    def bind(self, question: Question, raw: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        """Turn raw parameter values into RDF terms for the question's variables.

        :raises ParameterError: for an unknown, missing or disallowed parameter value.
        """
        unknown = sorted(set(raw) - {p.name for p in question.parameters})
        if unknown:
            known = ", ".join(p.name for p in question.parameters) or "none"
            raise ParameterError(unknown[0], f"unknown parameter {unknown[0]!r}; known: {known}")
        bound: dict[str, ox.NamedNode | ox.Literal] = {}
        for parameter in question.parameters:
            value = raw.get(parameter.name)
            if value is None or value == "":
                value = parameter.default
            if value is None:
                if parameter.required:
                    raise ParameterError(
                        parameter.name, f"parameter {parameter.name!r} is required",
                        self._allowed_texts(question, parameter),
                    )
                continue
            bound[parameter.variable] = self._term(question, parameter, value)
        return bound

    def _term(
        self, question: Question, parameter: Parameter, value: str
    ) -> ox.NamedNode | ox.Literal:
        if parameter.kind is Kind.LITERAL:
            return ox.Literal(value)
        if parameter.kind in DATATYPES:
            try:
                float(value) if parameter.kind is Kind.NUMBER else int(value)
            except ValueError:
                raise ParameterError(
                    parameter.name, f"{parameter.name!r} must be a {parameter.kind.value}"
                ) from None
            return ox.Literal(value, datatype=ox.NamedNode(DATATYPES[parameter.kind]))
        return ox.NamedNode(self._resolve_iri(question, parameter, value))

    def words(self, question: Question, parameter: Parameter) -> Lexicon:
        """The labels, lay labels and synonyms of the allowed values of ``parameter``."""
        key = (question.name, parameter.name)
        if key not in self._words:
            terms = [a.iri for a in self.allowed(question, parameter)]
            self._words[key] = Lexicon.from_store(self.store, terms)
        return self._words[key]

    def _resolve_iri(self, question: Question, parameter: Parameter, value: str) -> str:
        allowed = self.allowed(question, parameter)
        iri = expand(value)
        if not allowed:
            iri = iri or next(iter(_own_terms_first(self.lexicon.lookup(value))), None)
            if iri is None:
                raise ParameterError(
                    parameter.name, f"{value!r} is not an IRI, a CURIE or a known label"
                )
            return _valid_iri(parameter, iri)
        candidates = {iri} if iri else self.words(question, parameter).lookup(value)
        allowed_iris = {a.iri for a in allowed}
        matches = sorted(candidates & allowed_iris)
        if not matches:
            raise ParameterError(
                parameter.name,
                f"{value!r} is not an allowed value of {parameter.name!r}",
                self._allowed_texts(question, parameter),
            )
        return matches[0]

    def _allowed_texts(self, question: Question, parameter: Parameter) -> list[str]:
        return [f"{a.curie} ({a.label})" for a in self.allowed(question, parameter)]

    def sparql(self, question: Question, bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
        """The text of ``question`` with ``bindings`` (from :meth:`bind`) written in: the query
        that runs, complete, to be shown as it is."""
        return runnable(question.summary, question.sparql, bindings)

    def example(self, question: Question) -> str:
        """The text of ``question`` with its defaults, or its first allowed values where it has
        no default, written in: a query that runs as it is (for editors and examples)."""
        raw = {}
        for parameter in question.parameters:
            if parameter.default is not None or not parameter.required:
                continue
            allowed = self.allowed(question, parameter)
            if parameter.example or allowed:
                raw[parameter.name] = parameter.example or allowed[0].iri
        try:
            return self.sparql(question, self.bind(question, raw))
        except ParameterError:
            return question.sparql

    def execute(self, sparql: str) -> ox.QuerySolutions:
        """Run the text of a bound question."""
        result = self.store.query(sparql)
        assert isinstance(result, ox.QuerySolutions), "named questions are SELECT queries"
        return result

    def run(self, name: str, raw: dict[str, str]) -> ox.QuerySolutions:
        """Bind and run question ``name``; return pyoxigraph's solutions (for streaming)."""
        question = self.get(name)
        return self.execute(self.sparql(question, self.bind(question, raw)))

    def answer(self, name: str, raw: dict[str, str]) -> Answer:
        """Bind and run question ``name``; return its rows as strings."""
        question = self.get(name)
        bindings = self.bind(question, raw)
        sparql = self.sparql(question, bindings)
        result = self.execute(sparql)
        variables = [v.value for v in result.variables]
        rows = [
            {n: s[n].value for n in variables if s[n] is not None} for s in result
        ]
        by_variable = {p.variable: p.name for p in question.parameters}
        bound = {by_variable[k]: v.value for k, v in bindings.items()}
        return Answer(question, bound, sparql, variables, rows)


def _own_terms_first(iris: set[str]) -> list[str]:
    """ndkg's own terms before external ones, each group in IRI order.

    >>> _own_terms_first({"http://purl.obolibrary.org/obo/HP_6000102",
    ...                   "https://w3id.org/ndkg/NDKG_0000224"})
    ['https://w3id.org/ndkg/NDKG_0000224', 'http://purl.obolibrary.org/obo/HP_6000102']
    """
    return sorted(iris, key=lambda iri: (not iri.startswith(NDKG_TERM), iri))


def _valid_iri(parameter: Parameter, iri: str) -> str:
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise ParameterError(parameter.name, f"{iri!r} is not a valid IRI: {exc}") from exc
    return iri
