"""The web application: :func:`create_app` builds it; nothing happens at import time.

>>> app = create_app(ServiceSettings(home="no-such-folder"))
>>> sorted(app.openapi()["paths"])  # doctest: +NORMALIZE_WHITESPACE
['/NDKG_{number}', '/api/chain', '/api/neighbourhood', '/api/neighbourhood/{curie}',
 '/api/search', '/ask', '/classify', '/editor', '/healthz', '/presentation/{key}', '/questions',
 '/readyz', '/reviews/{curie}', '/sparql', '/store', '/term', '/term/{curie}', '/update']
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict
from importlib.metadata import version

from anyio import to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ndkg.errors import StoreError
from ndkg.service import (
    api_docs,
    ask,
    classify,
    editor,
    explorer_api,
    linked_data,
    pages,
    questions,
    reviews,
    sparql,
    updates,
)
from ndkg.service.answers import AnswerCache
from ndkg.service.auth import TokenAttempts
from ndkg.service.deps import VERSION_HEADER, StoreSlot
from ndkg.service.engine import TRUNCATED_HEADER, Engine
from ndkg.service.errors import install_error_handlers, public_detail
from ndkg.service.head import HeadMiddleware
from ndkg.service.middleware import (
    AccessLogMiddleware,
    BodyLimitMiddleware,
    StrictJsonMiddleware,
)
from ndkg.service.settings import ServiceSettings
from ndkg.service.statuses import StatusBoard
from ndkg.storage.store import EmbeddedStore

logger = logging.getLogger(__name__)

health = APIRouter(tags=["health"])


@health.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    """Always ``{"status": "ok"}``."""
    return {"status": "ok"}


@health.get(
    "/readyz",
    summary="Readiness: the graph can be queried",
    responses={503: {"description": "No usable build, the served store cannot be read, or no "
                     "query worker runs: the body says why."}},
)
def readyz(request: Request) -> JSONResponse:
    """200 with the graph version once the store it serves (the build's, or the current
    generation of contributed data) can be read and a query worker runs, 503 otherwise; with
    the query workers' counts (configured, running, idle, long jobs) once they have started."""
    slot: StoreSlot = request.app.state.store_slot
    engine: Engine = request.app.state.engine
    try:
        store = slot.get()
        engine.check()
    except StoreError as exc:
        return _unavailable(str(exc))
    body: dict[str, object] = {"status": "ready", "version": store.version}
    if (workers := engine.workers()) is not None:
        body["workers"] = asdict(workers)
        if workers.running == 0:
            return _unavailable("No query worker is running; they are being started.", body)
    return JSONResponse(body)


def _unavailable(detail: str, body: dict[str, object] | None = None) -> JSONResponse:
    answer = {**(body or {}), "status": "unavailable", "detail": public_detail(detail)}
    return JSONResponse(answer, status_code=503)


def allowed_methods(app: FastAPI, path: str) -> str:
    """The methods that the routes of ``path`` answer, for an ``Allow`` header (each method is
    tried against the application's routes, as a request would be)."""
    methods = {"OPTIONS"}
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
        scope: Scope = {"type": "http", "path": path, "method": method, "root_path": "",
                        "query_string": b"", "headers": []}
        if any(route.matches(scope)[0] == Match.FULL for route in app.router.routes):
            methods.add(method)
    return ", ".join(sorted(methods))


def _options(path: str) -> Callable[[Request], Response]:
    def options(request: Request) -> Response:
        return Response(status_code=204, headers={"Allow": allowed_methods(request.app, path)})

    return options


class VersionHeaderMiddleware:
    """Adds the graph version header to every HTTP response."""

    def __init__(self, app: ASGIApp, version: Callable[[], str]) -> None:
        self.app = app
        self.version = version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[VERSION_HEADER] = self.version()
            await send(message)

        await self.app(scope, receive, send_with_version)


def create_app(
    settings: ServiceSettings | None = None, store: EmbeddedStore | None = None
) -> FastAPI:
    """Build the service.

    :param settings: where the build is and who may call; read from ``NDKG_*`` if omitted.
    :param store: the store to serve; opened from ``settings.home`` on first need if omitted.
    """
    settings = settings or ServiceSettings()
    slot = StoreSlot(settings.home, store, backend=settings.backend)
    answers = AnswerCache(settings.answer_cache_bytes)
    engine = Engine(settings, slot, answers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            await to_thread.run_sync(engine.start)
        except StoreError as exc:
            logger.warning("not ready: %s", exc)
        try:
            yield
        finally:
            await to_thread.run_sync(engine.close)

    app = FastAPI(
        title="ndkg",
        summary="Nipple Discharge & Lactation Knowledge Graph: SPARQL and questions.",
        version=version("ndkg"),
        lifespan=lifespan,
        docs_url=None,  # served offline by ndkg.service.api_docs
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store_slot = slot
    app.state.engine = engine
    app.state.void_statistics = sparql.StatisticsCache()
    app.state.answering = questions.Answering(slot, answers)
    app.state.statuses = StatusBoard(engine)
    app.state.token_attempts = TokenAttempts(settings.token_attempts, settings.token_window)
    install_error_handlers(app)
    app.add_middleware(HeadMiddleware)  # innermost: every GET route answers HEAD too
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=[VERSION_HEADER, TRUNCATED_HEADER],
    )
    app.add_middleware(VersionHeaderMiddleware, version=lambda: slot.version or "unknown")
    app.add_middleware(StrictJsonMiddleware, max_depth=settings.max_data_depth)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(AccessLogMiddleware)
    app.include_router(health)
    app.include_router(api_docs.router)
    app.include_router(sparql.router)
    app.include_router(updates.router)
    app.include_router(questions.router(settings.home, store))
    app.include_router(ask.router)
    app.include_router(classify.router)
    app.include_router(reviews.router)
    app.include_router(editor.router)
    app.include_router(explorer_api.router)
    app.include_router(linked_data.router)
    app.include_router(pages.router)
    for path in ("/sparql", "/update", "/store"):
        app.add_api_route(path, _options(path), methods=["OPTIONS"], include_in_schema=False)
    return app


SUPERVISOR = "NDKG_SUPERVISOR"
"""Environment variable naming the process id of ``ndkg serve --workers N``'s supervisor."""


def create_served_app() -> FastAPI:
    """:func:`create_app` for each server process of ``ndkg serve --workers N``: the process
    is killed when its supervisor dies, even by ``kill -9`` (``PR_SET_PDEATHSIG``), so that
    none is left holding the port; its query workers then leave with it."""
    die_with_parent(int(os.environ.get(SUPERVISOR, "0")))
    return create_app()


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent ``parent`` dies (Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        logger.warning("cannot ask to die with the parent: errno %d", ctypes.get_errno())
    if parent and os.getppid() != parent:  # it died before we asked
        os._exit(1)


_PR_SET_PDEATHSIG = 1
