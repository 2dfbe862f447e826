"""``GET /editor``: a SPARQL query editor (YASGUI) on the service's own endpoint, offline.

YASGUI is vendored in ``static/yasgui/`` (its built ``yasgui.min.js`` and ``yasgui.min.css``,
its ``LICENSE`` and the licences of what it bundles; see ``docs/service.md``) and served under
``/static/yasgui``, so the page loads nothing from elsewhere. The named questions of the build
open as tabs, each a complete query with its default (or example) values written in, so it runs
as it is; ``/editor?query=...`` opens a tab with that query and runs it. IRIs in the results
link to their pages on this service rather than to their own addresses. Autocompletion is
limited to the query's own variables: YASGUI's other completers ask
prefix.cc and LOV over the network.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment

from ndkg.service.audience import DISCLAIMER
from ndkg.service.questions import AnsweringDep

YASGUI = Path(__file__).parent / "static" / "yasgui"
"""The vendored YASGUI, served under ``/static/yasgui``."""

router = APIRouter(tags=["editor"])
router.mount("/static/yasgui", StaticFiles(directory=YASGUI), name="yasgui")

PAGE = Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ndkg · SPARQL editor</title>
<link rel="stylesheet" href="{{ css }}">
<style>
  body { margin: 0; font-family: system-ui, sans-serif; }
  header { padding: 0.5rem 1rem; background: #f3f3f3; border-bottom: 1px solid #ddd; }
  header small { color: #555; }
</style>
</head>
<body>
<header>
  <strong>ndkg</strong> SPARQL editor · endpoint <code>{{ endpoint }}</code> ·
  graph version {{ version }} · the named questions open as tabs
  <br><small>{{ disclaimer }}</small>
</header>
<div id="yasgui"></div>
<script src="{{ js }}"></script>
<script>
  const endpoint = new URL({{ endpoint | tojson }}, window.location.href).href;
  const questions = {{ questions | tojson }};
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "GET" },
    copyEndpointOnNewTab: true,
    persistenceId: "ndkg-editor",
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
  });
  for (const question of questions) {
    // A tab kept from an earlier visit gets the question's current text.
    const named = Object.values(yasgui._tabs || {}).find((tab) => tab.getName() === question.name);
    if (named) {
      named.setQuery(question.query);
    } else {
      yasgui.addTab(false, {
        name: question.name,
        yasqe: { value: question.query },
        requestConfig: { endpoint: endpoint, method: "GET" },
      });
    }
  }
  const asked = new URLSearchParams(window.location.search).get("query");
  if (asked) {
    const tab = yasgui.addTab(true, { name: "from a page", yasqe: { value: asked },
                                      requestConfig: { endpoint: endpoint, method: "GET" } });
    tab.show();
    tab.query();
  }
  // Result IRIs open their page on this service.
  const local = (iri) => iri.startsWith("https://w3id.org/ndkg/")
    ? "/" + iri.slice("https://w3id.org/ndkg/".length)
    : "/term?iri=" + encodeURIComponent(iri);
  new MutationObserver(() => {
    for (const link of document.querySelectorAll("#yasgui .yasr a[href^='http']")) {
      if (!link.dataset.local && new URL(link.href).origin !== window.location.origin) {
        link.dataset.iri = link.href;
        link.href = local(link.href);
        link.dataset.local = "true";
        link.removeAttribute("target");
      }
    }
  }).observe(document.getElementById("yasgui"), { childList: true, subtree: true });
</script>
</body>
</html>
"""
)


@router.get(
    "/editor",
    response_class=HTMLResponse,
    summary="SPARQL query editor",
    description="YASGUI on `/sparql`, served from this service (no network access needed), "
    "with the named questions as ready tabs.",
)
def editor(request: Request, answering: AnsweringDep) -> HTMLResponse:
    """The editor page."""
    questions = answering.questions()
    return HTMLResponse(PAGE.render(
        css=request.app.url_path_for("yasgui", path="/yasgui.min.css"),
        js=request.app.url_path_for("yasgui", path="/yasgui.min.js"),
        endpoint=request.app.url_path_for("sparql"),
        version=questions.store.version,
        disclaimer=DISCLAIMER,
        questions=[{"name": q.name, "query": questions.example(q)}
                   for q in questions.by_name.values()],
    ))
