"""Map a question in everyday or clinical words onto a named question and its parameters.

Nothing here knows a particular question: the words come from the graph and the ``.rq`` files.

1. **Mentions.** The text is cut into words, lightly stemmed (:func:`stem`), and looked up,
   longest first, against every label, synonym and lay label of the graph
   (:class:`ndkg.lexicon.Lexicon`): contiguous word sequences, and names of three or more
   content words found in any order (``why do I leak milk when I'm not breastfeeding`` names
   galactorrhea, "milk leaking when not breastfeeding"). CURIEs and IRIs are mentions too.
2. **Filling.** For each named question, each parameter takes a mention naming one of its
   allowed values (the parameter's ``values`` query), or, for a parameter that accepts any IRI,
   any remaining mention.
3. **Cues.** The other words (those outside mentions, and those of mentions of a category such
   as "trigger" or "hormone" that no parameter took) are matched against the words of each
   question's name, summary, tags (weight 2) and description (weight 1), each weighted by how
   rare it is among the questions; everyday words count as what :data:`INTENT_WORDS` says
   they stand for. A word that is also a conjunction (:data:`CONJUNCTIONS`: "when") asks
   only where it opens the text or a clause: "when does leaking stop" asks for a time, "I feel
   sad when my milk lets down" does not.
4. **Choice.** Questions are ranked by ``3 x filled + 1.5 x open-filled + cues - 0.5 x unused
   mentions``; a question with a required parameter left empty cannot be chosen. Equal scores
   go to the question whose filled parameters allow more values: nothing in the text narrows
   what is asked, so the widest question is asked (a name alone, "galactorrhea", is answered
   with what the graph says of it). Among the best few (within :data:`MARGIN` of the top), the
   first whose answer has rows wins, so the graph itself settles ties (``HP:0100829`` is a
   term mapped to, not a term with evidence).

A text with no cue and no mention gets :class:`Suggestions` instead: the questions sharing the
most words with it and the terms of the graph that nearly match its words.

>>> [stem(w) for w in "leaking breasts triggers causes studies".split()]
['leak', 'breast', 'trigger', 'caus', 'study']
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox

from ndkg.errors import QuestionError
from ndkg.lexicon import expand, normalise
from ndkg.model.presentations import PRESENTATION_BASE
from ndkg.questions import Parameter, Question, Questions
from ndkg.vocab import BASE, Graphs

STOPWORDS = frozenset(
    {
        "a", "about", "after", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because",
        "been", "being", "but", "by", "can", "could", "d", "did", "do", "does", "doing", "for",
        "from", "get", "got", "had", "has", "have", "here", "how", "i", "if", "in", "into", "is",
        "it", "its", "ll", "m", "may", "me", "might", "must", "my", "of", "on", "or", "our", "re",
        "s", "shall", "should", "so", "some", "t", "than", "that", "the", "their", "them", "there",
        "these", "they", "this", "those", "to", "us", "ve", "was", "we", "were", "what", "when",
        "where", "which", "while", "who", "whom", "whose", "why", "will", "with", "would", "you",
        "your",
    }
)
"""Words that name nothing by themselves (after :func:`normalise`, before :func:`stem`)."""

INTENT_WORDS: Mapping[str, str] = {
    "why": "cause",
    "reason": "cause",
    "lead": "cause",
    "make": "cause",
    "treatment": "treat",
    "cure": "treat",
    "therapy": "treat",
    "help": "manage",
    "helps": "manage",
    "set": "trigger",
    "often": "common",
    "many": "common",
    "frequent": "common",
    "likely": "common",
    "percent": "common",
    "chance": "risk",
    "when": "time",
    "long": "time",
    "stop": "resolve",
    "end": "resolve",
    "proof": "evidence",
    "source": "evidence",
    "study": "evidence",
    "reference": "evidence",
    "cite": "evidence",
    "code": "external",
    "identifier": "external",
    "id": "external",
    "map": "mapping",
    "worry": "pathologic",
    "serious": "pathologic",
    "normal": "physiologic",
    "sign": "feature",
}
"""Everyday words and the word of the questions' own texts each stands for (``why`` asks for
a cause); such a word of a text counts as what it stands for."""

CONJUNCTIONS = frozenset({"when"})
"""Intent words that also join clauses: they ask only where they open the text or follow a
word of :data:`CLAUSE_STARTS`."""
CLAUSE_STARTS = frozenset({"and", "but", "so", "then", "or"})

CATEGORIES_QUERY = f"""
SELECT DISTINCT ?category WHERE {{
  {{ ?term rdfs:subClassOf ?category }}
  UNION {{ GRAPH <{Graphs.ASSERTED}> {{ ?term a ?category }} }}
  FILTER(isIRI(?category) && ?term != ?category)
}}
"""
"""Terms that other terms are kinds or instances of: their names say what is asked for."""

FILLED, OPEN_FILLED, UNUSED = 3.0, 1.5, -0.5
"""Score of a parameter filled from its allowed values, of one that accepts any IRI, and of a
mention that no parameter took."""
SUMMARY_WEIGHT, DESCRIPTION_WEIGHT = 2.0, 1.0
MIN_CUE = 1.0
"""A question is understood when one of its parameters is filled or its cues reach this."""
ANY_TERM = "term"
"""The name of the parameters that take any term of the graph (evidence, about-term)."""
MARGIN, TRIED = 1.0, 4
"""Up to ``TRIED`` questions scoring within ``MARGIN`` of the best are run until one has rows."""
TELLING_LENGTH, PARTIAL = 4, 0.5
"""A word naming one allowed value alone has at least this many letters (stemmed); a parameter
filled by such a word scores this share of a filled one."""
LOOSE_MIN_WORDS, LOOSE_SLACK = 3, 4
"""Names of at least this many content words also match in any order, spread over no more
than their length plus the slack."""

_CURIE_OR_IRI = re.compile(r"https?://[^\s<>\"]+|\b[A-Za-z][A-Za-z0-9]*:[\w.-]*\d[\w.-]*")
_KIND_RANK = {"label": 0, "exact synonym": 1, "lay label": 2}


def stem(word: str) -> str:
    """Strip a plural ``s`` (``ies`` becomes ``y``), then ``ing`` or ``ed``, then a final ``e``.

    Crude, but applied alike to the text and to the graph's names, which is all matching needs.
    """
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def _key(word: str) -> str:
    return word if word in STOPWORDS else stem(word)


_INTENTS = {_key(word): stem(meaning) for word, meaning in INTENT_WORDS.items()}


@dataclass(frozen=True)
class Mention:
    """Words of the text (at ``positions``) that name terms of the graph, best reading first."""

    text: str
    terms: tuple[str, ...]
    positions: frozenset[int]
    partial: bool = False

    @property
    def start(self) -> int:
        """Where the mention begins (-1 for a CURIE or IRI)."""
        return min(self.positions, default=-1)


@dataclass(frozen=True)
class Interpretation:
    """A named question, the values its parameters take from the text, and how well it fits."""

    question: Question
    values: Mapping[str, str]
    mentions: Mapping[str, Mention]
    unused: tuple[Mention, ...]
    cue: float
    score: float
    breadth: int = 0


@dataclass
class Solutions:
    """A named question run with bound parameters: the query that ran (its values written in)
    and its rows, terms kept as RDF terms."""

    question: Question
    bindings: dict[str, ox.NamedNode | ox.Literal]
    sparql: str
    variables: list[str]
    rows: list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]


def run(
    questions: Questions, question: Question, raw: Mapping[str, str],
    restrict: Callable[[str], str] | None = None,
) -> Solutions:
    """Bind ``raw`` to ``question`` and run it; ``restrict`` rewrites the query that runs (and
    is shown) first, to keep fewer rows.

    :raises ParameterError: if a value is unknown or not allowed.
    :raises QuestionError: if the question is not a SELECT query.
    """
    bindings = questions.bind(question, dict(raw))
    sparql = questions.sparql(question, bindings)
    if restrict is not None:
        sparql = restrict(sparql)
    result = questions.store.query(sparql)
    if not isinstance(result, ox.QuerySolutions):
        raise QuestionError(f"question {question.name!r} is not a SELECT query")
    variables = [v.value for v in result.variables]
    rows = [{n: s[n] for n in variables if s[n] is not None} for s in result]
    return Solutions(question, bindings, sparql, variables, rows)


@dataclass(frozen=True)
class Asked:
    """An understood question and its answer."""

    interpretation: Interpretation
    solutions: Solutions


@dataclass(frozen=True)
class Suggestions:
    """What to offer for a text that cannot be mapped: similar questions, nearly named terms
    (each as the words typed and the term)."""

    questions: tuple[Question, ...]
    terms: tuple[tuple[str, str], ...]


@dataclass
class Asker:
    """Maps texts onto the named questions of ``questions``, with the words of their graph.

    Built once per store; its indexes are computed on first use and only read afterwards.
    """

    questions: Questions

    @cached_property
    def names(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Every name in the graph as stemmed words, and the terms it names: ndkg's own terms
        first, then by kind of name (label, exact synonym, lay label, others). The names the
        build makes for combinations of features are left out: a person names the features."""
        found: dict[tuple[str, ...], set[tuple[int, str]]] = defaultdict(set)
        for term, texts in self.questions.lexicon.texts_by_term.items():
            if term.startswith(PRESENTATION_BASE):
                continue
            rank = 0 if term.startswith(BASE) else len(_KIND_RANK) + 1
            for text, kind in texts:
                for words in alternatives(normalise(text).split()):
                    if any(w not in STOPWORDS for w in words):
                        found[tuple(map(stem, words))].add((rank + _KIND_RANK.get(kind, 3), term))
        return {
            name: tuple(dict.fromkeys(t for _, t in sorted(terms))) for name, terms in found.items()
        }

    @cached_property
    def loose_names(self) -> list[tuple[frozenset[str], int, tuple[str, ...]]]:
        """Names of :data:`LOOSE_MIN_WORDS` content words or more: (content words, length,
        terms)."""
        found = []
        for name, terms in self.names.items():
            content = frozenset(w for w in name if w not in STOPWORDS and w not in _INTENTS)
            if len(content) >= LOOSE_MIN_WORDS:
                found.append((content, len(name), terms))
        return found

    @cached_property
    def telling_words(self) -> dict[str, str]:
        """Words (stemmed) of everyday names that belong to one ndkg term only, and that term:
        such a word names the term even when the rest of its name is not written ("needs a
        scan": diagnostic breast imaging, whose everyday name is "breast scan"). Words the
        questions themselves use are cues, not names, and are left out."""
        cues = {word for weights in self.cues.values() for word in weights}
        skipped = STOPWORDS | cues | _INTENTS.keys()
        allowed = {
            iri for question in self.questions.by_name.values()
            for parameter in question.parameters for iri in self._allowed(question, parameter)
        }
        owners: dict[str, set[str]] = defaultdict(set)
        for term, texts in self.questions.lexicon.texts_by_term.items():
            if term not in allowed:
                continue
            for text, kind in texts:
                if kind in ("lay label", "exact synonym"):
                    for word in map(stem, normalise(text).split()):
                        if len(word) >= TELLING_LENGTH and word not in skipped:
                            owners[word].add(term)
        for name in self.names:
            if len(name) == 1:
                owners.pop(name[0], None)  # a whole name already: matched as such
        return {word: next(iter(terms)) for word, terms in owners.items() if len(terms) == 1}

    @cached_property
    def categories(self) -> frozenset[str]:
        """Terms that other terms are kinds or instances of (``trigger``, ``hormone``), and that
        no question takes as the value of a parameter: a term a question is about (galactorrhea,
        which has a kind of its own) names that term, not what is asked for. Parameters named
        :data:`ANY_TERM` take any term, and so say nothing of one."""
        rows = self.questions.store.select(CATEGORIES_QUERY, use_prefixes=True)
        asked_about = {
            iri for question in self.questions.by_name.values()
            for parameter in question.parameters if parameter.name != ANY_TERM
            for iri in self._allowed(question, parameter)
        }
        return frozenset(row["category"] for row in rows) - asked_about

    @cached_property
    def cues(self) -> dict[str, dict[str, float]]:
        """For each question, the weight of each word of its texts; rarer words weigh more."""
        fields: dict[str, dict[str, float]] = {}
        for question in self.questions.by_name.values():
            heading = " ".join((question.name.replace("-", " "), question.summary, *question.tags))
            weights: dict[str, float] = {}
            for text, weight in ((question.description, DESCRIPTION_WEIGHT),
                                 (heading, SUMMARY_WEIGHT)):
                for word in normalise(text).split():
                    if word not in STOPWORDS:
                        weights[stem(word)] = weight
            fields[question.name] = weights
        frequency: dict[str, int] = defaultdict(int)
        for weights in fields.values():
            for word in weights:
                frequency[word] += 1
        total = len(fields)
        return {
            name: {w: v * math.log(1 + total / frequency[w]) for w, v in weights.items()}
            for name, weights in fields.items()
        }

    def mentions(self, text: str) -> tuple[list[str], list[Mention]]:
        """The normalised words of ``text`` and the mentions of terms in it, in text order."""
        candidates: list[tuple[int, int, Mention]] = []
        for match in _CURIE_OR_IRI.finditer(text):
            written = match.group().rstrip(".,;:?!)")
            iri = expand(written)
            if iri is not None:
                candidates.append((len(text), 1, Mention(written, (iri,), frozenset())))
                text = text[: match.start()] + " " * len(match.group()) + text[match.end() :]
        words = normalise(text).split()
        stems = [stem(w) for w in words]
        longest = max(map(len, self.names), default=0)
        for size in range(min(longest, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                terms = self.names.get(tuple(stems[start : start + size]))
                if terms:
                    mention = Mention(" ".join(words[start : start + size]), terms,
                                      frozenset(range(start, start + size)))
                    candidates.append((size, 1, mention))
        where: dict[str, int] = {}
        for index, word in reversed(list(enumerate(stems))):
            where[word] = index
        for content, length, terms in self.loose_names:
            if content <= where.keys():
                positions = frozenset(where[w] for w in content)
                if max(positions) - min(positions) < length + LOOSE_SLACK:
                    spoken = " ".join(words[i] for i in sorted(positions))
                    candidates.append((len(content), 0, Mention(spoken, terms, positions)))
        for index, word in enumerate(stems):
            if word in self.telling_words:
                term = self.telling_words[word]
                candidates.append(
                    (0, -1, Mention(words[index], (term,), frozenset({index}), partial=True))
                )
        chosen: list[Mention] = []
        taken: set[int] = set()
        for _, _, mention in sorted(candidates, key=lambda c: (-c[0], -c[1], c[2].start)):
            if not mention.positions & taken:
                chosen.append(mention)
                taken |= mention.positions
        return words, sorted(chosen, key=lambda m: m.start)

    def interpretations(self, text: str) -> list[Interpretation]:
        """Every named question that can take ``text``, best first."""
        words, mentions = self.mentions(text)
        ranked = [
            interpretation
            for question in self.questions.by_name.values()
            if (interpretation := self._fill(question, words, mentions)) is not None
        ]
        return sorted(ranked, key=lambda i: (-i.score, -i.breadth, i.question.name))

    def ask(self, text: str) -> Asked | Suggestions:
        """The answer to ``text`` through the named question that fits it best, or suggestions
        when none does."""
        ranked = [i for i in self.interpretations(text) if i.mentions or i.cue >= MIN_CUE]
        if not ranked:
            return self.suggest(text)
        first: Asked | None = None
        for interpretation in ranked[:TRIED]:
            if interpretation.score < ranked[0].score - MARGIN:
                break
            raw = dict(interpretation.values)
            asked = Asked(interpretation, run(self.questions, interpretation.question, raw))
            if asked.solutions.rows:
                return asked
            first = first or asked
        assert first is not None, "the best interpretation is always tried"
        return first

    def suggest(self, text: str, limit: int = 3) -> Suggestions:
        """Terms nearly named in ``text``, and the questions that share most words with it or
        take those terms."""
        words = normalise(text).split()
        names = {" ".join(name): terms[0] for name, terms in self.names.items()}
        near: dict[str, tuple[str, str]] = {}
        for phrase in _phrases(words):
            for close in difflib.get_close_matches(" ".join(map(stem, phrase)), names, 3, 0.8):
                near.setdefault(names[close], (" ".join(phrase), names[close]))
        intents = _intents(words)

        def fit(question: Question) -> float:
            overlap = sum(self.cues[question.name].get(w, 0.0) for w in intents)
            takes = sum(
                FILLED for term in near for p in question.parameters
                if term in self._allowed(question, p)
            )
            return overlap + takes

        similar = sorted(self.questions.by_name.values(), key=lambda q: (-fit(q), q.name))
        return Suggestions(tuple(similar[:limit]), tuple(near.values())[: 2 * limit])

    def _fill(
        self, question: Question, words: list[str], mentions: list[Mention]
    ) -> Interpretation | None:
        free = list(mentions)
        values: dict[str, str] = {}
        used: dict[str, Mention] = {}
        score = 0.0
        allowed = {p.name: self._allowed(question, p) for p in question.parameters}
        for parameter in sorted(question.parameters, key=lambda p: not allowed[p.name]):
            accepted = allowed[parameter.name]
            for mention in free:
                terms = [t for t in mention.terms if not accepted or t in accepted]
                if terms:
                    values[parameter.name], used[parameter.name] = terms[0], mention
                    free.remove(mention)
                    score += (FILLED if accepted else OPEN_FILLED) * (
                        PARTIAL if mention.partial else 1.0
                    )
                    break
            else:
                if parameter.required:
                    return None
        named = [m for m in mentions if m in used.values() or self.categories.isdisjoint(m.terms)]
        covered = {p for mention in named for p in mention.positions}
        weights = self.cues[question.name]
        spare = (word for index, word in enumerate(words)
                 if index not in covered and _asks(words, index))
        cue = sum(weights.get(word, 0.0) for word in _intents(spare))
        score += cue + UNUSED * sum(0 if m.partial else 1 for m in free)
        breadth = sum(len(allowed[name]) for name in values)
        return Interpretation(question, values, used, tuple(free), cue, score, breadth)

    def _allowed(self, question: Question, parameter: Parameter) -> frozenset[str]:
        return frozenset(a.iri for a in self.questions.allowed(question, parameter))


def alternatives(words: list[str]) -> list[list[str]]:
    """A name and, when it joins two words with "or", each reading with one of them: "sad or
    anxious feelings" also names "sad feelings" and "anxious feelings".

    >>> alternatives("sad or anxious feelings at let down".split())[1:]
    [['sad', 'feelings', 'at', 'let', 'down'], ['anxious', 'feelings', 'at', 'let', 'down']]
    """
    found = [words]
    for index, word in enumerate(words):
        if word == "or" and 0 < index < len(words) - 1:
            found.append(words[:index] + words[index + 2:])
            found.append(words[:index - 1] + words[index + 1:])
    return found


def _asks(words: list[str], index: int) -> bool:
    """Whether the word at ``index`` may ask something: not a conjunction joining a clause.

    >>> _asks("when does leaking stop".split(), 0), _asks("sad when milk lets down".split(), 1)
    (True, False)
    """
    if words[index] not in CONJUNCTIONS:
        return True
    return index == 0 or words[index - 1] in CLAUSE_STARTS


def _intents(words: Iterable[str]) -> set[str]:
    """The cue words of ``words``: what a word stands for, or the word itself stemmed."""
    found: set[str] = set()
    for word in words:
        key = _key(word)
        if key in _INTENTS:
            found.add(_INTENTS[key])
        elif word not in STOPWORDS:
            found.add(key)
    return found


def _phrases(words: list[str], longest: int = 3) -> Iterable[list[str]]:
    for size in range(1, longest + 1):
        for start in range(len(words) - size + 1):
            phrase = words[start : start + size]
            if any(w not in STOPWORDS for w in phrase):
                yield phrase
