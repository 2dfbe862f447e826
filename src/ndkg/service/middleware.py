"""ASGI middleware of the service: a limit on request bodies, and structured access logs.

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
import time
from collections.abc import MutableMapping
from typing import Any

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ndkg.errors import TooLargeError

access_logger = logging.getLogger("ndkg.access")

_QUERY_HASH = "ndkg.query_sha256"


def note_query(request: Request, text: str) -> None:
    """Have the access log record the SHA-256 of ``text``, the request's query or update."""
    setattr(request.state, _QUERY_HASH, hashlib.sha256(text.encode()).hexdigest())


class BodyLimitMiddleware:
    """Refuses request bodies larger than ``max_bytes`` (413), whether declared by
    ``Content-Length`` or streamed: reading the body raises :class:`TooLargeError`."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        received = int(declared) if declared.isdigit() else 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise TooLargeError(
                        f"The request body is larger than the limit of {self.max_bytes} bytes "
                        "(NDKG_MAX_BODY_BYTES)."
                    )
            return message

        await self.app(scope, limited, send)


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
