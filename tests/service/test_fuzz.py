"""Bad input, tried for real: schemathesis generates requests from the service's own OpenAPI
schema and sends them, with the write token, to a live server on the real graph: 30 examples
per operation. No response may be a server error, and every response must match the schema."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.case import Case
from schemathesis.openapi import from_url
from schemathesis.specs.openapi.checks import response_schema_conformance

from ndkg.build import BuildResult
from ndkg.service import ServiceSettings, create_app

from .support import AUTH, TOKEN, copy_build

Serve = Callable[[FastAPI], AbstractContextManager[str]]
TALLY: Counter[str] = Counter()
"""Requests sent and server errors seen, over the whole module."""


@schemathesis.serializer(
    "application/sparql-query", "application/sparql-update", "text/turtle",
    "application/n-triples", "application/rdf+xml",
)
def _text_body(ctx: object, value: object) -> dict[str, object]:
    """Send a generated string as the body, whatever its RDF or SPARQL media type."""
    text = value if isinstance(value, str) else str(value)
    return {"data": text.encode("utf-8", "surrogatepass")}


@pytest.fixture(scope="module")
def api(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, serve: Serve
) -> Iterator[schemathesis.BaseSchema]:
    settings_ = ServiceSettings(
        home=copy_build(built, tmp_path_factory.mktemp("fuzz")), query_timeout=5,
        query_workers=1, write_token=TOKEN,
    )
    with serve(create_app(settings_)) as url:
        schema = from_url(f"{url}/openapi.json")
        schema.config.base_url = url
        yield schema


def test_no_server_error_and_the_schema_holds(
    api: schemathesis.BaseSchema, record_property: Callable[[str, object], None]
) -> None:
    failures: dict[str, str] = {}
    for result in api.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def send(case: Case) -> None:
            response = case.call(timeout=30, headers=AUTH)
            TALLY["requests"] += 1
            TALLY["5xx"] += response.status_code >= 500
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )

        try:
            send()
        except Exception as exc:  # every operation is tried; the failures are listed at the end
            failures[operation.label] = str(exc)[:2000]
    record_property("requests", TALLY["requests"])
    record_property("server_errors", TALLY["5xx"])
    assert failures == {}
