"""ASGI middleware of the service: a limit on request bodies, strict JSON bodies, and
structured access logs.

JSON bodies (``application/json``, ``application/ld+json`` and other ``+json`` types) are
read whole and checked before any route sees them (:class:`StrictJsonMiddleware`): nested no
deeper than ``NDKG_MAX_DATA_DEPTH``, numbers finite (no ``NaN``, ``Infinity`` or ``1e400``),
strings valid Unicode (no lone surrogate). Anything else is a 400 that says what is wrong, so
no route has to cope with values that cannot be written back as JSON or UTF-8.

Access logs are JSON lines on the ``ndkg.access`` logger, one per request::

    {"method": "GET", "path": "/sparql", "status": 200, "duration_ms": 3.1,
     "query_sha256": "9f2c..."}

``query_sha256`` is the SHA-256 of the query or update text, when the request carried one
(:func:`note_query`): the text itself, the query string and the headers are never logged, so
neither is a token. ``ndkg serve`` writes these lines on standard output in place of uvicorn's
own access log (:func:`log_config`), which would show query strings.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import math
import time
from collections.abc import MutableMapping
from typing import Any

from fastapi import Request
from fastapi.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ndkg.errors import TooDeepError, TooLargeError
from ndkg.querying.guard import check_json_depth

access_logger = logging.getLogger("ndkg.access")

_QUERY_HASH = "ndkg.query_sha256"


def note_query(request: Request, text: str) -> None:
    """Have the access log record the SHA-256 of ``text``, the request's query or update."""
    setattr(request.state, _QUERY_HASH, hashlib.sha256(text.encode()).hexdigest())


class BodyLimitMiddleware:
    """Refuses request bodies larger than ``max_bytes`` (413), whether declared by
    ``Content-Length`` or streamed: reading the body raises :class:`TooLargeError`. Only the
    bytes received are counted; a declared length over the limit is refused before reading."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        too_large = declared.isdigit() and int(declared) > self.max_bytes
        received = 0

        async def limited() -> Message:
            nonlocal received
            if too_large:
                raise self._error()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise self._error()
            return message

        await self.app(scope, limited, send)

    def _error(self) -> TooLargeError:
        return TooLargeError(
            f"The request body is larger than the limit of {self.max_bytes} bytes "
            "(NDKG_MAX_BODY_BYTES)."
        )


class StrictJsonMiddleware:
    """Checks JSON request bodies (see the module's text) and answers 400 for a bad one."""

    def __init__(self, app: ASGIApp, max_depth: int) -> None:
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        chunks = []
        try:
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    await self.app(scope, _replay([message]), send)
                    return
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        except TooLargeError as exc:  # from BodyLimitMiddleware, outside the error handlers
            await PlainTextResponse(f"{exc}\n", status_code=413)(scope, _replay([]), send)
            return
        body = b"".join(chunks)
        problem = json_problem(body, self.max_depth)
        if problem is not None:
            await PlainTextResponse(problem + "\n", status_code=400)(scope, _replay([]), send)
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body}]), send)


def _is_json(scope: Scope) -> bool:
    header: bytes = dict(scope["headers"]).get(b"content-type", b"")
    essence = header.split(b";", 1)[0].strip().lower()
    return essence == b"application/json" or essence.endswith(b"+json")


def _replay(messages: list[Message]) -> Receive:
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        return {"type": "http.disconnect"}

    return receive


def json_problem(body: bytes, max_depth: int) -> str | None:
    """What is wrong with the JSON body ``body``, or ``None`` if nothing is.

    >>> json_problem(b'{"age": NaN}', 10)
    'The JSON body holds NaN, which is not a number JSON allows.'
    >>> json_problem(b'[1e400]', 10)
    'The JSON body holds the number 1e400, which is too large.'
    >>> json_problem(b'["\\\\ud800"]', 10)
    'The JSON body holds a string that is not valid Unicode (a lone surrogate).'
    >>> json_problem(b'[[[]]]', 2)
    'The JSON nests objects and arrays 3 levels deep; the limit is 2 (NDKG_MAX_DATA_DEPTH).'
    """
    if not body.strip():
        return None
    try:
        check_json_depth(body, limit=max_depth)
    except TooDeepError as exc:
        return str(exc)
    try:
        value = json.loads(body, parse_constant=_refuse_constant, parse_float=_finite)
    except _BadNumberError as exc:
        return str(exc)
    except (ValueError, RecursionError):
        return None  # not JSON at all: the route says so in its own words
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            try:
                item.encode()
            except UnicodeEncodeError:
                return "The JSON body holds a string that is not valid Unicode (a lone surrogate)."
    return None


class _BadNumberError(ValueError):
    pass


def _refuse_constant(name: str) -> float:
    raise _BadNumberError(f"The JSON body holds {name}, which is not a number JSON allows.")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _BadNumberError(f"The JSON body holds the number {text}, which is too large.")
    return number


class AccessLogMiddleware:
    """Writes one JSON line per HTTP request on the ``ndkg.access`` logger."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            record: dict[str, Any] = {
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - began) * 1000, 1),
            }
            state: MutableMapping[str, Any] = scope.get("state") or {}
            if _QUERY_HASH in state:
                record["query_sha256"] = state[_QUERY_HASH]
            access_logger.info(json.dumps(record))


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration, with the ``ndkg.access`` lines on standard output."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["ndkg.access"] = {"format": "%(message)s"}
    config["handlers"]["ndkg.access"] = {
        "class": "logging.StreamHandler",
        "formatter": "ndkg.access",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["ndkg.access"] = {
        "handlers": ["ndkg.access"], "level": "INFO", "propagate": False,
    }
    return config
