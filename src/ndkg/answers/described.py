"""The features of a nipple discharge described in words, read as the classify form reads them.

"bloody discharge from one breast, what should I do?" gives laterality unilateral and character
bloody; "milky discharge and I'm not breastfeeding" gives character white and lactation
context unrelated to lactation. Each feature is read on its own, from the names of its own
values only (label, synonyms, lay label), as the classify form reads a field
(:func:`ndkg.answers.lexicon.field_match`): a phrase of the text that is one of those names, longest
first, or a word of at least :data:`MIN_PREFIX` letters that begins a name of one value only
("blood" is bloody). A value said not to hold ("not breastfeeding", "isn't lactating") gives the
other value of a feature that has two; a feature named with two different values is left out.

>>> values = {"laterality": ("uni", "bi"), "lactating": ("during", "unrelated")}
>>> names = {"uni": ["one breast", "unilateral"], "bi": ["both breasts"],
...          "during": ["breastfeeding", "lactating"], "unrelated": ["not lactating"]}
>>> found = read_features("leaking from one breast and I'm not breastfeeding", values, names)
>>> found.values == {"laterality": "uni", "lactating": "unrelated"}
True
>>> found.words["lactating"]
'not breastfeeding'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ndkg.answers.lexicon import field_match, normalise

NEGATIONS = frozenset({"not", "no", "non", "never", "without", "t", "nor"})
"""Words that say a value does not hold ("isn't" is written "isn t" once normalised)."""
NEGATION_REACH = 2
"""How many words before a value a negation may stand ("not currently breastfeeding")."""
MIN_PREFIX = 4
"""The fewest letters a word needs to name a value by beginning one of its names."""
SKIPPED = frozenset({"from", "with", "only", "when", "after", "while", "both", "side", "breast",
                     "nipple", "discharge", "duct", "ducts", "opening", "comes", "linked"})
"""Words too common in the names of values to name one by beginning it."""


@dataclass(frozen=True)
class Features:
    """The features read from a text: the value of each (feature name -> value IRI) and the
    words that gave it."""

    values: Mapping[str, str] = field(default_factory=dict)
    words: Mapping[str, str] = field(default_factory=dict)


def read_features(
    text: str, feature_values: Mapping[str, Sequence[str]],
    names: Mapping[str, Sequence[str]],
) -> Features:
    """The features of ``text``.

    :param feature_values: each feature's allowed values (IRIs).
    :param names: the names of each value (label, synonyms, lay label).
    """
    words = normalise(text).split()
    normalised = {v: {normalise(n) for n in names.get(v, ())} for vs in feature_values.values()
                  for v in vs}
    longest = max((len(n.split()) for ns in normalised.values() for n in ns), default=0)
    found: dict[str, dict[str, str]] = defaultdict(dict)
    taken: set[int] = set()
    for size in range(min(longest, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            span = set(range(start, start + size))
            if span & taken:
                continue
            phrase = " ".join(words[start : start + size])
            for feature, values in feature_values.items():
                value = _named(phrase, values, normalised, names, size)
                if value is None:
                    continue
                negated = _negation(words, start)
                if negated is not None:
                    others = [v for v in values if v != value]
                    if len(values) != 2:
                        continue
                    value, phrase = others[0], " ".join(words[negated : start + size])
                found[feature][value] = phrase
                taken |= span
    chosen = {f: next(iter(v.items())) for f, v in found.items() if len(v) == 1}
    return Features({f: v for f, (v, _) in chosen.items()},
                    {f: w for f, (_, w) in chosen.items()})


def _named(
    phrase: str, values: Sequence[str], normalised: Mapping[str, set[str]],
    names: Mapping[str, Sequence[str]], size: int,
) -> str | None:
    """The one value of a feature that ``phrase`` names, if there is one."""
    exact = [v for v in values if phrase in normalised[v]]
    if len(exact) == 1:
        return exact[0]
    if exact or size > 1 or len(phrase) < MIN_PREFIX or phrase in SKIPPED:
        return None
    begun = field_match(phrase, {v: list(names.get(v, ())) for v in values})
    return next(iter(begun)) if len(begun) == 1 else None


def _negation(words: Sequence[str], start: int) -> int | None:
    """Where a negation of the words from ``start`` begins, if one stands just before them."""
    for index in range(start - 1, max(start - NEGATION_REACH, 0) - 1, -1):
        if words[index] in NEGATIONS:
            return index
    return None
