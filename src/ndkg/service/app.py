"""The web application: :func:`create_app` builds it; nothing happens at import time.

>>> app = create_app(ServiceSettings(home="no-such-folder"))
>>> sorted(app.openapi()["paths"])  # doctest: +NORMALIZE_WHITESPACE
['/NDKG_{number}', '/api/chain', '/api/neighbourhood', '/api/neighbourhood/{curie}',
 '/api/search', '/ask', '/classify', '/editor', '/healthz', '/presentation/{key}', '/questions',
 '/readyz', '/sparql', '/store', '/term', '/term/{curie}', '/update']
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict
from importlib.metadata import version

from anyio import to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ndkg.errors import StoreError
from ndkg.service import (
    ask,
    classify,
    editor,
    explorer_api,
    linked_data,
    pages,
    questions,
    sparql,
    updates,
)
from ndkg.service.answers import AnswerCache
from ndkg.service.deps import VERSION_HEADER, StoreSlot
from ndkg.service.engine import TRUNCATED_HEADER, Engine
from ndkg.service.errors import install_error_handlers
from ndkg.service.head import HeadMiddleware
from ndkg.service.middleware import AccessLogMiddleware, BodyLimitMiddleware
from ndkg.service.settings import ServiceSettings
from ndkg.store import EmbeddedStore

logger = logging.getLogger(__name__)

health = APIRouter(tags=["health"])


@health.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    """Always ``{"status": "ok"}``."""
    return {"status": "ok"}


@health.get(
    "/readyz",
    summary="Readiness: the graph can be queried",
    responses={503: {"description": "No usable build: the body says why."}},
)
def readyz(request: Request) -> JSONResponse:
    """200 with the graph version once the store opens, 503 otherwise; with the query workers'
    counts (configured, running, idle) once they have started."""
    slot: StoreSlot = request.app.state.store_slot
    try:
        store = slot.get()
    except StoreError as exc:
        return JSONResponse({"status": "unavailable", "detail": str(exc)}, status_code=503)
    body: dict[str, object] = {"status": "ready", "version": store.version}
    engine: Engine = request.app.state.engine
    if (workers := engine.workers()) is not None:
        body["workers"] = asdict(workers)
    return JSONResponse(body)


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
    )
    app.state.settings = settings
    app.state.store_slot = slot
    app.state.engine = engine
    app.state.void_statistics = sparql.StatisticsCache()
    app.state.answering = questions.Answering(slot, answers)
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
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(AccessLogMiddleware)
    app.include_router(health)
    app.include_router(sparql.router)
    app.include_router(updates.router)
    app.include_router(questions.router(settings.home, store))
    app.include_router(ask.router)
    app.include_router(classify.router)
    app.include_router(editor.router)
    app.include_router(explorer_api.router)
    app.include_router(linked_data.router)
    app.include_router(pages.router)
    return app
