"""Who may write: whoever holds the write token (``NDKG_WRITE_TOKEN`` or the file named by
``NDKG_WRITE_TOKEN_FILE``). Reads are public.

A write without ``Authorization: Bearer <token>`` is answered with 401, one with a wrong token
with 403, and every write with 403 while no token is configured. Tokens are compared in constant
time (:func:`hmac.compare_digest`) and never logged.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ndkg.errors import AccessError, ForbiddenError
from ndkg.service.settings import ServiceSettings

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="writeToken",
    description="The write token of the service (NDKG_WRITE_TOKEN).",
)


def require_writer(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Let the request through only with the write token.

    :raises AccessError: without a bearer token (401).
    :raises ForbiddenError: with a wrong token, or when writes are off (403).
    """
    settings: ServiceSettings = request.app.state.settings
    if settings.write_token is None:
        raise ForbiddenError(
            "Writes are off: the service has no write token (NDKG_WRITE_TOKEN)."
        )
    if credentials is None:
        raise AccessError("Writes need the write token: send Authorization: Bearer <token>.")
    expected = settings.write_token.get_secret_value().encode()
    if not hmac.compare_digest(credentials.credentials.encode(), expected):
        raise ForbiddenError("The write token is not right.")


Writer = Depends(require_writer)
"""The dependency that guards every write route."""
