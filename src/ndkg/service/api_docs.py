"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc): the API's documentation pages, offline.

Both libraries are vendored under ``static/vendor/`` with their licences (Swagger UI 5.35.0,
``swagger-ui-dist``, Apache-2.0; ReDoc 2.5.4, ``redoc``, MIT; see ``docs/service.md``), so the
pages load nothing from another host: FastAPI's own pages fetch them from a CDN.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

VENDOR = "/static/vendor"

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI on the service's OpenAPI schema."""
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url, title=f"{request.app.title} · API",
        swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png",
    )


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc on the service's OpenAPI schema."""
    return get_redoc_html(
        openapi_url=request.app.openapi_url, title=f"{request.app.title} · API",
        redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js",
        redoc_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png", with_google_fonts=False,
    )
