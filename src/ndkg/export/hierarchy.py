"""Walking a class hierarchy given as a map from each node to its direct parents."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def ancestors(node: N, parents: Mapping[N, Iterable[N]]) -> set[N]:
    """Every node reachable from ``node`` through ``parents`` (``node`` only if on a cycle).

    >>> sorted(ancestors("a", {"a": {"b"}, "b": {"c"}}))
    ['b', 'c']
    """
    found: set[N] = set()
    frontier = [node]
    while frontier:
        for parent in parents.get(frontier.pop(), ()):
            if parent not in found:
                found.add(parent)
                frontier.append(parent)
    return found
