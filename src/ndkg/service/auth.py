"""Who may write: whoever holds the write token (``NDKG_WRITE_TOKEN`` or the file named by
``NDKG_WRITE_TOKEN_FILE``). Reads are public.

A write without ``Authorization: Bearer <token>`` is answered with 401, one with a wrong token
with 403, and every write with 403 while no token is configured. Tokens are compared in constant
time (:func:`hmac.compare_digest`) and never logged. A client (an address) that sends
``NDKG_TOKEN_ATTEMPTS`` wrong tokens within ``NDKG_TOKEN_WINDOW`` seconds is answered with 429
and ``Retry-After`` until the oldest of them is that old, whatever token it sends meanwhile.

>>> attempts = TokenAttempts(limit=2, window=60.0)
>>> attempts.failed("192.0.2.1", now=0.0); attempts.failed("192.0.2.1", now=1.0)
>>> attempts.wait("192.0.2.1", now=30.0), attempts.wait("192.0.2.9", now=30.0)
(30, 0)
>>> attempts.wait("192.0.2.1", now=61.0)
0
"""

from __future__ import annotations

import collections
import hmac
import math
import threading
import time
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ndkg.errors import AccessError, ForbiddenError, TooManyAttemptsError
from ndkg.service.settings import ServiceSettings

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="writeToken",
    description="The write token of the service (NDKG_WRITE_TOKEN).",
)

MAX_CLIENTS = 10_000
"""Clients whose wrong tokens are remembered; the one remembered longest is forgotten first."""


class TokenAttempts:
    """The times of recent wrong tokens, by client; safe to use from the server's threads."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._failures: collections.OrderedDict[str, collections.deque[float]] = (
            collections.OrderedDict()
        )

    def wait(self, client: str, now: float | None = None) -> int:
        """Seconds ``client`` must wait before its next attempt (0: it may try now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._failures.get(client)
            if times is None:
                return 0
            while times and times[0] <= now - self.window:
                times.popleft()
            if not times:
                del self._failures[client]
                return 0
            if len(times) < self.limit:
                return 0
            return max(1, math.ceil(times[0] + self.window - now))

    def failed(self, client: str, now: float | None = None) -> None:
        """Record a wrong token from ``client``."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._failures.pop(client, None) or collections.deque(maxlen=self.limit)
            times.append(now)
            self._failures[client] = times
            while len(self._failures) > MAX_CLIENTS:
                self._failures.popitem(last=False)


def client_of(request: Request) -> str:
    """The address of the client that sent ``request``."""
    return request.client.host if request.client else "unknown"


def holds_token(request: Request) -> bool:
    """Whether ``request`` carries the write token (a wrong one is not counted here)."""
    settings: ServiceSettings = request.app.state.settings
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if settings.write_token is None or scheme.lower() != "bearer":
        return False
    expected = settings.write_token.get_secret_value().encode()
    return hmac.compare_digest(token.strip().encode(), expected)


async def require_writer(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Let the request through only with the write token.

    :raises AccessError: without a bearer token (401).
    :raises ForbiddenError: with a wrong token, or when writes are off (403).
    :raises TooManyAttemptsError: after too many wrong tokens from the same client (429).
    """
    settings: ServiceSettings = request.app.state.settings
    if settings.write_token is None:
        raise ForbiddenError(
            "Writes are off: the service has no write token (NDKG_WRITE_TOKEN)."
        )
    if credentials is None:
        raise AccessError("Writes need the write token: send Authorization: Bearer <token>.")
    attempts: TokenAttempts = request.app.state.token_attempts
    client = client_of(request)
    if wait := attempts.wait(client):
        raise TooManyAttemptsError(
            f"Too many wrong write tokens from this client ({attempts.limit} within "
            f"{attempts.window:g} s, NDKG_TOKEN_ATTEMPTS): try again in {wait} s.",
            wait,
        )
    expected = settings.write_token.get_secret_value().encode()
    if not hmac.compare_digest(credentials.credentials.encode(), expected):
        attempts.failed(client)
        raise ForbiddenError("The write token is not right.")


Writer = Depends(require_writer)
"""The dependency that guards every write route."""
