"""Content negotiation: pick the response format that best fits a request's ``Accept`` header.

The header is read as RFC 9110 says: media ranges with wildcards and parameters, each weighted
by ``q``; for each format on offer the most specific matching range decides its weight, the
heaviest offer wins, ties go to the range the client named most precisely and then to the
order of the offers (the server's preference). No header means the first offer.

>>> choose("text/csv;q=0.5, application/*", ["text/csv", "application/sparql-results+json"])
'application/sparql-results+json'
>>> choose("text/*;q=0.2, text/csv;q=0", ["text/csv", "text/tab-separated-values"])
'text/tab-separated-values'
>>> choose("image/png", ["text/turtle"]) is None
True

:data:`SELECT_OFFERS`, :data:`ASK_OFFERS` and :data:`GRAPH_OFFERS` are the formats the SPARQL
endpoint offers for each kind of result, with the pyoxigraph format that writes each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import pyoxigraph as ox

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_PARAMETER = re.compile(rf"\s*;\s*({_TOKEN})\s*=\s*({_TOKEN}|{_QUOTED})")
_PARAMETERS = rf"(?:\s*;\s*{_TOKEN}\s*=\s*(?:{_TOKEN}|{_QUOTED}))*"
_MEDIA_TYPE = re.compile(rf"\s*({_TOKEN})/({_TOKEN})({_PARAMETERS})\s*")
_ELEMENT = re.compile(rf'(?:[^,"]|{_QUOTED})+')


@dataclass(frozen=True)
class MediaType:
    """A media type or media range with its parameters (names lower-cased).

    >>> parse_media_type('Text/CSV; Charset="UTF-8"')
    MediaType(type='text', subtype='csv', params=(('charset', 'UTF-8'),))
    """

    type: str
    subtype: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def essence(self) -> str:
        """``type/subtype`` without parameters."""
        return f"{self.type}/{self.subtype}"

    def param(self, name: str) -> str | None:
        """The value of the parameter ``name``, if given."""
        return next((value for key, value in self.params if key == name), None)


def parse_media_type(text: str) -> MediaType:
    """Parse a media type such as a ``Content-Type`` value.

    :raises ValueError: if ``text`` is not a media type.
    """
    match = _MEDIA_TYPE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a media type: {text!r}")
    params = tuple(
        (name.lower(), value[1:-1] if value.startswith('"') else value)
        for name, value in _PARAMETER.findall(match.group(3))
    )
    return MediaType(match.group(1).lower(), match.group(2).lower(), params)


@dataclass(frozen=True)
class MediaRange:
    """One element of an ``Accept`` header."""

    range: MediaType
    q: float

    def specificity(self, offer: MediaType) -> int | None:
        """How precisely this range names ``offer``: 0 for ``*/*`` up to 3 for the exact type
        with parameters; ``None`` if it does not match."""
        if self.range.type == "*":
            return 0
        if self.range.type != offer.type:
            return None
        if self.range.subtype == "*":
            return 1
        if self.range.subtype != offer.subtype:
            return None
        for name, value in self.range.params:
            offered = offer.param(name)
            if offered is None or not _same_param(name, value, offered):
                return None
        return 3 if self.range.params else 2


def _same_param(name: str, requested: str, offered: str) -> bool:
    """Compare parameter values; charsets are case-insensitive."""
    return requested.lower() == offered.lower() if name == "charset" else requested == offered


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed elements are ignored.

    >>> [(r.range.essence, r.q) for r in parse_accept("text/html, */*;q=0.1, bad, *")]
    [('text/html', 1.0), ('*/*', 0.1), ('*/*', 1.0)]
    """
    return list(_ranges(header or ""))


def _ranges(header: str) -> Iterator[MediaRange]:
    for element in _ELEMENT.findall(header):
        text = element.strip()
        if text == "*":  # sent by some old clients for */*
            text = "*/*"
        try:
            media = parse_media_type(text)
        except ValueError:
            continue
        if media.type == "*" and media.subtype != "*":
            continue
        q, params = 1.0, []
        for name, value in media.params:
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = -1.0
                break  # parameters after q are accept extensions
            params.append((name, value))
        if 0.0 <= q <= 1.0:
            yield MediaRange(MediaType(media.type, media.subtype, tuple(params)), q)


def choose(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer (a media type) that best fits ``accept``, or ``None`` if none is acceptable."""
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0] if offers else None
    best: str | None = None
    best_key: tuple[float, int, int] | None = None
    for index, offer in enumerate(offers):
        media = parse_media_type(offer)
        matches = [(s, r.q) for r in ranges if (s := r.specificity(media)) is not None]
        if not matches:
            continue
        specificity, q = max(matches)
        key = (q, specificity, -index)
        if q > 0 and (best_key is None or key > best_key):
            best, best_key = offer, key
    return best


F = TypeVar("F", ox.QueryResultsFormat, ox.RdfFormat)


@dataclass(frozen=True)
class Offer(Generic[F]):
    """A media type a response can be sent as, and the pyoxigraph format that writes it."""

    media_type: str
    format: F


def negotiate(accept: str | None, offers: Sequence[Offer[F]]) -> Offer[F] | None:
    """The offer that best fits ``accept``, or ``None`` (then answer 406)."""
    chosen = choose(accept, [offer.media_type for offer in offers])
    return next((offer for offer in offers if offer.media_type == chosen), None)


def _offers(from_media_type: Callable[[str], F | None], *media_types: str) -> tuple[Offer[F], ...]:
    offers = []
    for media_type in media_types:
        fmt = from_media_type(media_type)
        if fmt is None:
            raise ValueError(f"pyoxigraph cannot write {media_type}")
        offers.append(Offer(media_type, fmt))
    return tuple(offers)


SELECT_OFFERS = _offers(
    ox.QueryResultsFormat.from_media_type,
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv; charset=utf-8",
    "text/tab-separated-values; charset=utf-8",
    "application/json",
    "application/xml",
    "text/xml",
)
"""Formats of SELECT results; SPARQL JSON results by default."""

_TABLES = (ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV)
ASK_OFFERS = tuple(offer for offer in SELECT_OFFERS if offer.format not in _TABLES)
"""Formats of ASK results: CSV and TSV are defined for SELECT results only."""

GRAPH_OFFERS = _offers(
    ox.RdfFormat.from_media_type,
    "text/turtle; charset=utf-8",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/n-quads",
    "application/trig",
    "application/json",
    "application/xml",
    "text/xml",
)
"""Formats of CONSTRUCT and DESCRIBE results and of the service description; Turtle by default."""
