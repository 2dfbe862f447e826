"""What the explorer's pages share: the Jinja2 templates, the explorer of the served store as a
dependency, and :func:`render`, which gives every page the graph version, the disclaimer and
its audience (remembering one chosen with ``?audience=``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ndkg.explorer import Explorer
from ndkg.explorer.categories import CATEGORIES
from ndkg.service.audience import COOKIE, DISCLAIMER, Audience, audience_of, chosen_audience
from ndkg.service.deps import StoreDep, graph_version

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals["categories"] = CATEGORIES
TEMPLATES.env.globals["disclaimer"] = DISCLAIMER


def words(name: str) -> str:
    """A column name as words: ``causeLayLabel`` is ``cause lay label``.

    >>> words("causeLayLabel")
    'cause lay label'
    """
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


TEMPLATES.env.filters["words"] = words

READING = "The curators' reading: "


def grounds(note: str) -> str:
    """What a claim of the curators' reading rests on: its note without the words that say it
    is their reading (the page says so already).

    >>> grounds("The curators' reading: oxytocin acts on the cells it makes contract.")
    'Oxytocin acts on the cells it makes contract.'
    """
    if note.startswith(READING):
        rest = note.removeprefix(READING)
        return rest[:1].upper() + rest[1:]
    return note


TEMPLATES.env.filters["grounds"] = grounds


def get_explorer(request: Request, store: StoreDep) -> Explorer:
    """The explorer of the served store, made on first use and kept with the application."""
    explorer: Explorer | None = getattr(request.app.state, "explorer", None)
    if explorer is None or explorer.store is not store:
        explorer = Explorer(store)
        request.app.state.explorer = explorer
    return explorer


ExplorerDep = Annotated[Explorer, Depends(get_explorer)]


def lay(request: Request) -> bool:
    """Whether the page is for patients, in everyday words."""
    return audience_of(request) is Audience.patient


def switch_url(request: Request, audience: Audience) -> str:
    """The address of the same page for ``audience``."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "audience"]
    return f"{request.url.path}?{urlencode([*query, ('audience', audience.value)])}"


def render(
    request: Request, template: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """The page ``template`` filled with ``context``, the graph version, the disclaimer and the
    audience; an audience chosen with ``?audience=`` is remembered for the next pages."""
    context.setdefault("query", "")
    audience = audience_of(request)
    switch = {a.value: switch_url(request, a) for a in Audience}
    response = TEMPLATES.TemplateResponse(
        request, template,
        {"version": graph_version(request), "audience": audience.value, "switch": switch,
         **context},
        status_code=status_code,
    )
    chosen = chosen_audience(request)
    if chosen is not None:
        response.set_cookie(COOKIE, chosen.value, max_age=30 * 24 * 3600, samesite="lax")
    return response
