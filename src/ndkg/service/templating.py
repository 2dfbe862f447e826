"""What the explorer's pages share: the Jinja2 templates, the explorer of the served store as a
dependency, and :func:`render`, which gives every page the graph version and the disclaimer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ndkg.explorer import Explorer
from ndkg.explorer.categories import CATEGORIES
from ndkg.service.audience import DISCLAIMER
from ndkg.service.deps import StoreDep, graph_version

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals["categories"] = CATEGORIES
TEMPLATES.env.globals["disclaimer"] = DISCLAIMER


def get_explorer(request: Request, store: StoreDep) -> Explorer:
    """The explorer of the served store, made on first use and kept with the application."""
    explorer: Explorer | None = getattr(request.app.state, "explorer", None)
    if explorer is None or explorer.store is not store:
        explorer = Explorer(store)
        request.app.state.explorer = explorer
    return explorer


ExplorerDep = Annotated[Explorer, Depends(get_explorer)]


def render(
    request: Request, template: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """The page ``template`` filled with ``context``, the graph version and the disclaimer."""
    context.setdefault("query", "")
    return TEMPLATES.TemplateResponse(
        request, template, {"version": graph_version(request), **context},
        status_code=status_code,
    )
