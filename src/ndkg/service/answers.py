"""A bounded, shared cache of answers, for stores that never change.

A build's store, and each generation of contributed data, is never written once it is served:
a new build or an accepted write is served from a new store. An answer is therefore a function
of the store it was read from and of the request (query or question, parameters, dataset,
format), and is kept under a key that names both; it cannot go stale, and answers of a store
no longer served are dropped as the least recently used. Queries whose answer may change from
one run to the next (``RAND()``, ``NOW()``, ``SERVICE`` ...) are not cached by their callers.

An entry counts what it holds: its key (the query text may be 100 000 characters), its answer,
and :data:`ENTRY_OVERHEAD` bytes for the objects around them.

>>> cache = AnswerCache(max_bytes=ENTRY_OVERHEAD + 30)
>>> cache.put(("store-1", "q"), Reply("text/csv", b"12345"))
>>> cache.get(("store-1", "q"))
Reply(media_type='text/csv', body=b'12345', truncated=False)
>>> cache.put(("store-1", "r"), Reply("text/csv", b"123456"))  # the least recently used goes
>>> cache.get(("store-1", "q")) is None
True
>>> cache.put(("store-1", "s" * 40), Reply("text/csv", b"1"))  # a key larger than the cache
>>> cache.get(("store-1", "s" * 40)) is None
True
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

from cachetools import LRUCache

from ndkg.querying.worker import Reply

ENTRY_OVERHEAD = 512
"""Bytes counted for each entry besides its key's text and its answer's body."""


def _entry_size(entry: tuple[Reply, int]) -> int:
    return entry[1]


def size_of(key: Hashable, answer: Reply) -> int:
    """The bytes counted for ``answer`` kept under ``key``."""
    return len(repr(key)) + len(answer.body) + len(answer.media_type) + ENTRY_OVERHEAD


class AnswerCache:
    """Answers by key, least recently used dropped beyond ``max_bytes``; 0 keeps nothing.

    Safe to use from the server's threads.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: LRUCache[Hashable, tuple[Reply, int]] | None = (
            LRUCache(maxsize=max_bytes, getsizeof=_entry_size) if max_bytes > 0 else None
        )

    @property
    def used(self) -> int:
        """The bytes counted for the answers kept now."""
        if self._entries is None:
            return 0
        with self._lock:
            return int(self._entries.currsize)

    def __len__(self) -> int:
        """How many answers are kept."""
        return 0 if self._entries is None else len(self._entries)

    def get(self, key: Hashable) -> Reply | None:
        """The answer kept under ``key``, if any."""
        if self._entries is None:
            return None
        with self._lock:
            entry = self._entries.get(key)
        return None if entry is None else entry[0]

    def put(self, key: Hashable, answer: Reply) -> None:
        """Keep ``answer`` under ``key``, unless it is larger than the whole cache."""
        if self._entries is None:
            return
        size = size_of(key, answer)
        if size > self.max_bytes:
            return
        with self._lock:
            self._entries[key] = (answer, size)
