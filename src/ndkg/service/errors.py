"""How errors become HTTP responses: the one place that gives each error type its status.

ndkg's own errors map through :data:`STATUS_BY_ERROR` (the nearest class in an error's
ancestry decides); protocol errors raised by the routers as :class:`HTTPException` (406, 415
...) keep their status. The body names the problem, as plain text, or as ``{"detail": ...}``
when the client prefers JSON; a write that breaks the SHACL shapes is answered with the report
(:func:`validation_body`). 401 carries ``WWW-Authenticate``, and 503 for busy workers
``Retry-After``. Anything else is a bug, answered with a bare 500. The body of a 5xx never
shows a path of the server's file system (:func:`public_detail`).

>>> status_for(QueryError("error at 1:6: expected '{'"))
400
>>> status_for(UnknownQuestionError("no such question"))
404
>>> status_for(TooDeepError("nested 5000 levels deep"))
400
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException

from ndkg.errors import (
    AccessError,
    BusyError,
    ConflictError,
    DataError,
    EngineError,
    ForbiddenError,
    GraphNotFoundError,
    MemoryLimitError,
    NdkgError,
    ParameterError,
    QueryError,
    QueryTimeoutError,
    QuestionError,
    StoreError,
    TooDeepError,
    TooLargeError,
    TooManyAttemptsError,
    UnknownQuestionError,
    ValidationError,
)
from ndkg.service.deps import VERSION_HEADER, graph_version
from ndkg.service.negotiation import choose

logger = logging.getLogger(__name__)

STATUS_BY_ERROR: Mapping[type[NdkgError], int] = {
    QueryError: 400,
    ParameterError: 400,
    UnknownQuestionError: 404,
    QuestionError: 400,
    StoreError: 503,
    TooLargeError: 413,
    TooDeepError: 400,
    QueryTimeoutError: 503,
    MemoryLimitError: 503,
    TooManyAttemptsError: 429,
    BusyError: 503,
    EngineError: 500,
    AccessError: 401,
    ForbiddenError: 403,
    DataError: 400,
    ConflictError: 409,
    GraphNotFoundError: 404,
    ValidationError: 422,
}
"""HTTP status of each ndkg error type; other ndkg errors are server errors (500)."""

_TEXT = "text/plain; charset=utf-8"
_JSON = "application/json"


def status_for(error: NdkgError) -> int:
    """The HTTP status that answers ``error``."""
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 500


def error_response(
    request: Request, status: int, detail: str, headers: Mapping[str, str] | None = None
) -> Response:
    """A response with ``status`` whose body names the problem, in the form the client prefers."""
    if choose(request.headers.get("accept"), [_TEXT, _JSON]) == _JSON:
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    return PlainTextResponse(detail + "\n", status_code=status, headers=headers)


def headers_for(error: NdkgError) -> dict[str, str]:
    """Headers that go with the answer to ``error``."""
    if isinstance(error, BusyError):
        return {"Retry-After": str(error.retry_after)}
    if isinstance(error, AccessError) and not isinstance(error, ForbiddenError):
        return {"WWW-Authenticate": 'Bearer realm="ndkg"'}
    return {}


def validation_body(error: ValidationError) -> dict[str, object]:
    """The answer to a write that breaks the shapes: each violation (focus node, path, value,
    message, shape, severity) and the SHACL validation report as Turtle."""
    return {
        "detail": "The write would break the SHACL shapes; nothing was changed.",
        "violations": error.violations,
        "report": error.report_turtle,
    }


_ABSOLUTE_PATH = re.compile(r"(?<![\w/:.])/(?:[\w.@+~-]+/)+([\w.@+~-]+)")


def public_detail(detail: str) -> str:
    """``detail`` with every absolute path of the server shortened to its last part.

    >>> public_detail("no build in /srv/ndkg/build: run `ndkg build`")
    'no build in build: run `ndkg build`'
    >>> public_detail("see https://w3id.org/ndkg/graph/asserted")
    'see https://w3id.org/ndkg/graph/asserted'
    """
    return _ABSOLUTE_PATH.sub(r"\1", detail)


async def _ndkg_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NdkgError)
    status = status_for(exc)
    detail = str(exc)
    if status >= 500:
        logger.error("%s: %s", type(exc).__name__, exc)
        detail = public_detail(detail)
    if isinstance(exc, ValidationError):
        return JSONResponse(validation_body(exc), status_code=status)
    return error_response(request, status, detail, headers_for(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(request, exc.status_code, str(exc.detail), exc.headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Starlette re-raises the error after this answer, so the server logs it with its traceback.
    headers = {VERSION_HEADER: graph_version(request)}
    return error_response(request, 500, "Internal server error", headers)


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error raised while handling a request as described above."""
    app.add_exception_handler(NdkgError, _ndkg_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
