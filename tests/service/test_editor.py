"""``/editor``: YASGUI served from the package itself, with the named questions as tabs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from html.parser import HTMLParser
from importlib.resources import files

import httpx
import pytest
from fastapi import FastAPI

from ndkg.questions import Questions

Serve = Callable[[FastAPI], AbstractContextManager[str]]
VENDORED = files("ndkg.service") / "static" / "yasgui"


class Assets(HTMLParser):
    """The URLs a page loads (``src`` and ``href`` of scripts, styles, links, images) and the
    text of its inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_the_editor_loads_only_local_assets(http: httpx.Client) -> None:
    response = http.get("/editor")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = Assets()
    page.feed(response.text)
    assert sorted(page.urls) == ["/static/yasgui/yasgui.min.css", "/static/yasgui/yasgui.min.js"]
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", response.text)


def test_the_editor_queries_the_endpoint_and_opens_every_named_question(
    http: httpx.Client, questions: Questions
) -> None:
    page = Assets()
    page.feed(http.get("/editor").text)
    script = "\n".join(page.scripts)
    assert 'new URL("/sparql", window.location.href)' in script
    found = re.search(r"const questions = (\[.*?\]);\n", script, re.S)
    assert found is not None
    tabs = json.loads(found.group(1))
    assert {t["name"]: t["query"] for t in tabs} == {
        name: questions.example(q) for name, q in questions.by_name.items()
    }


@pytest.mark.parametrize(
    ("asset", "media_type"),
    [
        ("yasgui.min.js", "javascript"),
        ("yasgui.min.css", "text/css"),
        ("LICENSE.txt", "text/plain"),
    ],
)
def test_the_vendored_files_are_served(http: httpx.Client, asset: str, media_type: str) -> None:
    response = http.get(f"/static/yasgui/{asset}")
    assert response.status_code == 200
    assert media_type in response.headers["content-type"]
    assert response.content == (VENDORED / asset).read_bytes()


def test_the_licences_come_with_the_files() -> None:
    assert "MIT License" in (VENDORED / "LICENSE.txt").read_text()
    notices = (VENDORED / "yasgui.min.js.LICENSE.txt").read_text()
    assert "jQuery" in notices and "License: MIT" in notices
