"""Structured access logs: one JSON line per request on ``ndkg.access``, with a hash of the
query text and never the text of a token."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import httpx
import pytest
from fastapi import FastAPI

from ndkg.build import BuildResult
from ndkg.service import ServiceSettings, create_app

from .support import AUTH, TOKEN, copy_build

Serve = Callable[[FastAPI], AbstractContextManager[str]]
WRONG = "Bearer not-the-token-but-also-secret-9876"


@pytest.fixture(scope="module")
def service(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, serve: Serve
) -> Iterator[str]:
    home = copy_build(built, tmp_path_factory.mktemp("logs"))
    settings = ServiceSettings(home=home, write_token=TOKEN, query_workers=1)
    with serve(create_app(settings)) as url:
        yield url


def access_lines(
    caplog: pytest.LogCaptureFixture, paths: set[str], count: int
) -> list[dict[str, object]]:
    """The access log lines of requests to ``paths``, once there are ``count`` of them (a line
    is written as its response goes out, so it may come a moment after the client has it)."""
    deadline = time.monotonic() + 10
    while True:
        lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "ndkg.access"]
        lines = [line for line in lines if line["path"] in paths]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def test_each_request_is_one_json_line_with_the_hash_of_its_query(
    service: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ndkg.access")
    query = "SELECT ?label WHERE { NDKG:0000224 rdfs:label ?label }"
    assert httpx.get(f"{service}/sparql", params={"query": query}).status_code == 200
    assert httpx.post(f"{service}/sparql", data={"query": "ASK {}"}).status_code == 200
    get, post = access_lines(caplog, {"/sparql"}, 2)
    assert get.keys() == {"method", "path", "status", "duration_ms", "query_sha256"}
    assert (get["method"], get["path"], get["status"]) == ("GET", "/sparql", 200)
    assert get["query_sha256"] == hashlib.sha256(query.encode()).hexdigest()
    assert isinstance(get["duration_ms"], float) and get["duration_ms"] >= 0
    assert post["method"] == "POST"
    assert post["query_sha256"] == hashlib.sha256(b"ASK {}").hexdigest()
    assert httpx.get(f"{service}/healthz").status_code == 200
    health = access_lines(caplog, {"/healthz"}, 1)[-1]
    assert (health["status"], "query_sha256" in health) == (200, False)


def test_tokens_never_reach_the_logs(service: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    update = "INSERT DATA { <urn:log> <urn:p> 'x' }"
    with httpx.Client(base_url=service, timeout=60) as client:
        sent = [
            client.post("/update", content=update, headers={
                **AUTH, "Content-Type": "application/sparql-update"}),
            client.post("/update", content=update, headers={
                "Authorization": WRONG, "Content-Type": "application/sparql-update"}),
            client.get("/sparql", params={"query": "ASK {"}, headers=AUTH),
            client.put("/store", params={"graph": "urn:not-contributed"}, content=b"",
                       headers={**AUTH, "Content-Type": "text/turtle"}),
        ]
    assert [r.status_code for r in sent] == [204, 403, 400, 403]
    lines = access_lines(caplog, {"/update", "/sparql", "/store"}, 4)
    assert sorted((line["path"], line["status"]) for line in lines) == [  # type: ignore[type-var]
        ("/sparql", 400), ("/store", 403), ("/update", 204), ("/update", 403)
    ]
    written = next(line for line in lines if line["status"] == 204)
    assert written["query_sha256"] == hashlib.sha256(update.encode()).hexdigest()
    logged = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert TOKEN not in logged
    assert WRONG.removeprefix("Bearer ") not in logged
