"""The review workflow: reviewers set the status of claims and statistics with the write token,
the history is kept in the contributed data, and every answer that uses a claim shows its
current status; ``?status=approved`` limits answers to approved claims and statistics."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ndkg.build import BuildResult
from ndkg.reviews.records import REVIEWS_GRAPH
from ndkg.service import ServiceSettings, create_app
from tests.serving import ndkg_serve

from ..conftest import PROJECT
from .support import AUTH, TOKEN, copy_build

Serve = Callable[[FastAPI], AbstractContextManager[str]]
JSON = {"Accept": "application/json"}
REVIEWER, OTHER_REVIEWER = "0000-0002-1825-0097", "0000-0002-1694-233X"
PAPILLOMA_CLAIM = "NDKG:0001034"
"""Intraductal papilloma causes pathologic nipple discharge: a cause of the presentation below,
and a row of causes-by-features for unilateral bloody discharge."""
PATHOLOGIC = {"laterality": "unilateral", "ducts": "single duct", "onset": "spontaneous",
              "character": "bloody"}
GALACTORRHEA = {"laterality": "bilateral", "ducts": "multiple ducts", "character": "milky",
                "lactating": "not lactating"}
"""A presentation with several causes and several next steps."""


def reviewing_app(home: Path) -> FastAPI:
    """The service on the build folder ``home``, with the write token."""
    return create_app(ServiceSettings(home=home, write_token=TOKEN, query_workers=1))


@pytest.fixture(scope="module")
def home(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build folder of the service."""
    return copy_build(built, tmp_path_factory.mktemp("reviews"))


@pytest.fixture(scope="module")
def service(home: Path, serve: Serve) -> Iterator[str]:
    with serve(reviewing_app(home)) as url:
        yield url


@pytest.fixture
def client(service: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service, timeout=60) as http:
        yield http


def review(
    client: httpx.Client, curie: str, status: str, orcid: str = REVIEWER,
    comment: str | None = None, headers: dict[str, str] | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"status": status, "orcid": orcid}
    if comment is not None:
        body["comment"] = comment
    return client.post(f"/reviews/{curie}", json=body,
                       headers={**JSON, **(AUTH if headers is None else headers)})


def history(client: httpx.Client, curie: str) -> dict[str, Any]:
    response = client.get(f"/reviews/{curie}")
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def review_quads(client: httpx.Client) -> set[tuple[str, str, str, str]]:
    """Every quad of the contributed graphs, read back through /sparql."""
    query = """SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o }
        FILTER(STRSTARTS(STR(?g), "https://w3id.org/ndkg/graph/contributed")) }"""
    response = client.get("/sparql", params={"query": query},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return {(r["g"]["value"], r["s"]["value"], r["p"]["value"], r["o"]["value"])
            for r in response.json()["results"]["bindings"]}


def classify(
    client: httpx.Client, presentation: dict[str, str] = PATHOLOGIC, **params: str
) -> dict[str, Any]:
    response = client.get("/classify", params={**presentation, **params})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def reasons(answer: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """The current and curated status of each claim behind the causes of a classification."""
    return {
        reason["claim"]["id"]: (reason["reviewStatus"]["label"],
                                reason["curatedReviewStatus"]["label"])
        for cause in answer["causes"] for reason in cause["reasons"]
    }


# --- A review round trip ----------------------------------------------------------------------


def test_approve_then_reject_a_claim(client: httpx.Client) -> None:
    before = history(client, PAPILLOMA_CLAIM)
    assert before["history"] == []
    assert before["kind"] == "claim"
    assert before["status"]["label"] == before["curated_status"]["label"] == "submitted"
    assert before["curated_date"] == "2026-11-25"

    approved = review(client, PAPILLOMA_CLAIM, "approved", comment="Matches the source.")
    assert approved.status_code == 201, approved.text
    assert approved.headers["location"] == f"/reviews/{PAPILLOMA_CLAIM}"
    record = approved.json()
    assert record["statement"]["id"] == PAPILLOMA_CLAIM
    assert record["status"] == {"id": "NDKG:0000602", "iri": "https://w3id.org/ndkg/NDKG_0000602",
                                "label": "approved"}
    assert record["reviewer"] == f"https://orcid.org/{REVIEWER}"
    assert record["record"].startswith("urn:uuid:")
    assert datetime.fromisoformat(record["reviewed_at"]).utcoffset() is not None

    rejected = review(client, PAPILLOMA_CLAIM, "rejected", orcid=OTHER_REVIEWER.lower(),
                      comment="Too broad: the source says 'typically'.")
    assert rejected.status_code == 201, rejected.text

    after = history(client, PAPILLOMA_CLAIM)
    assert after["status"]["label"] == "rejected"
    assert after["curated_status"]["label"] == "submitted"
    assert [(r["status"]["label"], r["orcid"], r["comment"]) for r in after["history"]] == [
        ("approved", REVIEWER, "Matches the source."),
        ("rejected", OTHER_REVIEWER, "Too broad: the source says 'typically'."),
    ]
    times = [datetime.fromisoformat(r["reviewed_at"]) for r in after["history"]]
    assert times[0] < times[1]
    assert after["history"][0]["record"] == record["record"]

    # The records are in the contributed graph of reviews, read back through /sparql.
    quads = review_quads(client)
    assert (REVIEWS_GRAPH, record["record"], "https://w3id.org/ndkg/NDKG_0000041",
            "Matches the source.") in quads

    # The claim's page shows the current status and the history.
    page = client.get(f"/{PAPILLOMA_CLAIM.replace(':', '_')}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    section = page.text.split('id="h-review"', 1)[1].split("</section>", 1)[0]
    assert 'Current status: <span class="badge review">rejected</span>' in section
    assert ">submitted</a> on" in section
    rows = section.split("<tr>")[2:]
    assert len(rows) == 2
    assert "approved" in rows[0] and REVIEWER in rows[0] and "Matches the source." in rows[0]
    assert "rejected" in rows[1] and OTHER_REVIEWER in rows[1]
    assert "Too broad: the source says &#39;typically&#39;." in rows[1]

    # A named question shows the current status in its rows and evidence.
    answer = client.get("/questions/causes-by-features", headers=JSON,
                        params={"laterality": "unilateral", "character": "bloody"}).json()
    claimed = [row for row in answer["rows"] if row["claim"]["id"] == PAPILLOMA_CLAIM]
    assert claimed
    assert {row["reviewStatus"]["label"] for row in claimed} == {"rejected"}
    assert {row["curatedReviewStatus"]["label"] for row in claimed} == {"submitted"}
    (evidence,) = [e for e in answer["evidence"] if e["claim"]["id"] == PAPILLOMA_CLAIM]
    assert evidence["reviewStatus"]["label"] == "rejected"

    # /classify shows it on the cause the claim supports.
    assert reasons(classify(client))[PAPILLOMA_CLAIM] == ("rejected", "submitted")

    # So do the explorer's pages of the question and of the classification.
    table = client.get("/explore/questions/causes-by-features",
                       params={"laterality": "unilateral", "character": "bloody"}).text
    assert ">rejected</a>" in table
    page = client.get("/explore/classify", params=PATHOLOGIC).text
    assert '<span class="badge review">rejected</span>' in page


# --- ?status=approved -------------------------------------------------------------------------


def test_answers_limited_to_approved_claims(client: httpx.Client) -> None:
    everything = classify(client, GALACTORRHEA)
    applying = [step for step in everything["next_steps"] if step["applies"]]
    step = applying[0]
    assert not step["conditions"] and len(applying) > 1
    step_claim = step["evidence"][0]["claim"]["id"]
    cause_claim = min(reasons(everything))
    verdict = everything["verdict_class"]["label"]
    verdict = verdict[:1].upper() + verdict[1:]
    assert len(everything["causes"]) > len(
        [c for c in everything["causes"]
         if cause_claim in {r["claim"]["id"] for r in c["reasons"]}]), "other causes too"

    # Nothing approved yet: no cause, no step, and the answer says so.
    before = classify(client, GALACTORRHEA, status="approved")
    assert before["causes"] == before["next_steps"] == before["statistics"] == []
    note = (f"no next step for this presentation is approved yet ({len(applying)} recommended "
            "steps are not approved: ask without status=approved to see them)")
    assert before["filter"] == {
        "status": "approved",
        "left_out": {"causes": len(everything["causes"]),
                     "next_steps": len(everything["next_steps"]),
                     "statistics": len(everything["statistics"]),
                     "imaging_steps": 0},
        "no_approved_next_step": note[:1].upper() + note[1:] + ".",
    }
    assert before["bottom_line"] == f"{verdict}. Next: {note}."
    condition = {"condition": "NDKG:0000214"}
    question = {**condition, "status": "approved"}
    unfiltered = client.get("/questions/management-of-condition", headers=JSON,
                            params=condition).json()
    empty = client.get("/questions/management-of-condition", headers=JSON, params=question).json()
    assert empty["rows"] == []
    assert empty["filter"]["left_out"] == len(unfiltered["rows"]) > 0
    assert empty["filter"]["note"] == (
        f"{len(unfiltered['rows'])} rows rest on claims or statistics that are not approved "
        "and are left out; ask without status=approved to see them.")

    for curie in (step_claim, cause_claim):
        assert review(client, curie, "approved").status_code == 201

    after = classify(client, GALACTORRHEA, status="approved")
    assert set(reasons(after)) == {cause_claim}
    assert reasons(after)[cause_claim] == ("approved", "submitted")
    assert 0 < len(after["causes"]) < len(everything["causes"])
    assert [s["action"]["id"] for s in after["next_steps"]] == [step["action"]["id"]]
    assert after["filter"]["no_approved_next_step"] is None
    assert after["bottom_line"] == f"{verdict}. Next: {step['action']['label']}."
    posted = client.post("/classify", params={"status": "approved"}, json=GALACTORRHEA).json()
    assert posted["next_steps"] == after["next_steps"]
    unfiltered_after = classify(client, GALACTORRHEA)  # every cause, with current statuses
    assert len(unfiltered_after["causes"]) == len(everything["causes"])
    assert reasons(unfiltered_after)[cause_claim] == ("approved", "submitted")

    # The named question keeps only the rows of the approved claim, with a query that gives
    # the same rows on /sparql.
    kept = client.get("/questions/management-of-condition", headers=JSON, params=question).json()
    assert {row["claim"]["id"] for row in kept["rows"]} == {step_claim}
    assert {row["reviewStatus"]["label"] for row in kept["rows"]} == {"approved"}
    assert kept["filter"]["left_out"] == len(unfiltered["rows"]) - len(kept["rows"])
    approved = " ".join(sorted((step_claim, cause_claim)))
    assert kept["sparql"]["query"].endswith(f"\nVALUES ?claim {{ {approved} }}")
    again = client.get("/sparql", params={"query": kept["sparql"]["query"]},
                       headers={"Accept": "application/sparql-results+json"}).json()
    assert len(again["results"]["bindings"]) == len(kept["rows"])
    results = client.get("/questions/management-of-condition", params=question,
                         headers={"Accept": "application/sparql-results+json"}).json()
    assert {b["claim"]["value"] for b in results["results"]["bindings"]} == {
        step_claim.replace("NDKG:", "https://w3id.org/ndkg/NDKG_")}

    # /ask, through the same question.
    words = "what helps with galactorrhea"
    asked = client.get("/ask", params={"q": words, "status": "approved"}).json()
    assert asked["interpretation"]["question"]["name"] == "management-of-condition"
    assert {row["claim"]["id"] for row in asked["rows"]} == {step_claim}
    assert asked["filter"]["left_out"] == len(unfiltered["rows"]) - len(kept["rows"])
    assert len(client.get("/ask", params={"q": words}).json()["rows"]) == len(unfiltered["rows"])
    described = client.get("/ask", params={"q": "milky discharge and I'm not breastfeeding",
                                            "status": "approved"}).json()["classification"]
    assert [s["action"]["id"] for s in described["next_steps"]] == [step["action"]["id"]]
    assert {e["reviewStatus"]["label"] for e in described["next_steps"][0]["evidence"]} == {
        "approved"}


def imaging_steps(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """Every imaging step of a classification, first ones first."""
    imaging = answer["imaging"]
    if imaging is None:
        return []
    return [*imaging["first"], *imaging["together_with_first"], *imaging["added_when"]]


def test_imaging_limited_to_approved_recommendations(client: httpx.Client) -> None:
    patient = {**PATHOLOGIC, "age": "45", "sex": "female"}
    everything = classify(client, patient)
    first = imaging_steps(everything)[0]
    assert len(imaging_steps(everything)) > 1 and everything["imaging"]["ratings"]

    before = classify(client, patient, status="approved")
    assert before["imaging"] is None
    assert before["filter"]["left_out"]["imaging_steps"] == len(imaging_steps(everything))

    for evidence in first["evidence"]:
        assert review(client, evidence["claim"]["id"], "approved").status_code == 201
    after = classify(client, patient, status="approved")
    assert [s["procedure"]["id"] for s in imaging_steps(after)] == [first["procedure"]["id"]]
    assert after["filter"]["left_out"]["imaging_steps"] == len(imaging_steps(everything)) - 1


# --- Who may review, and bad input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "status", "detail"),
    [
        ({}, 401, "Writes need the write token: send Authorization: Bearer <token>."),
        ({"Authorization": "Bearer wrong-token-0123456789abcdef"}, 403,
         "The write token is not right."),
    ],
)
def test_reviews_need_the_write_token(
    client: httpx.Client, headers: dict[str, str], status: int, detail: str
) -> None:
    curie = "NDKG:0001031"
    before, quads = history(client, curie), review_quads(client)
    response = review(client, curie, "approved", headers=headers)
    assert response.status_code == status
    assert response.json() == {"detail": detail}
    if status == 401:
        assert response.headers["www-authenticate"] == 'Bearer realm="ndkg"'
    assert history(client, curie) == before
    assert review_quads(client) == quads


@pytest.mark.parametrize(
    ("curie", "body", "status", "detail"),
    [
        ("NDKG:0001031", {"status": "approved", "orcid": "0000-0002-1825-0096"}, 422,
         [{"type": "orcid", "loc": ["body", "orcid"], "input": "0000-0002-1825-0096",
           "msg": "'0000-0002-1825-0096' is not a valid ORCID iD: its check digit is 6, not 7."}]),
        ("NDKG:0001031", {"status": "approved", "orcid": "0000-0002-1825"}, 422,
         [{"type": "orcid", "loc": ["body", "orcid"], "input": "0000-0002-1825",
           "msg": "'0000-0002-1825' is not an ORCID iD: write its 16 characters in four groups, "
                  "as in 0000-0002-1825-0097."}]),
        ("NDKG:0001031", {"status": "accepted", "orcid": REVIEWER}, 422,
         [{"type": "enum", "loc": ["body", "status"], "input": "accepted",
           "msg": "Input should be 'submitted', 'under review', 'approved' or 'rejected'",
           "ctx": {"expected": "'submitted', 'under review', 'approved' or 'rejected'"}}]),
        ("NDKG:0001031", {"status": "rejected", "orcid": REVIEWER, "comment": "  "}, 422,
         [{"type": "comment_required", "loc": ["body", "comment"], "input": "  ",
           "msg": "A rejection needs a comment saying why the claim or statistic is not "
                  "supported as stated."}]),
        ("NDKG:0000224", {"status": "approved", "orcid": REVIEWER}, 404,
         "NDKG:0000224 is not a claim or statistic of the graph: only claims (NDKG:0000107) and "
         "statistics (NDKG:0000108) have a review status."),
        ("NDKG:0001035", {"status": "approved", "orcid": REVIEWER}, 410,
         "NDKG:0001035 (obsolete claim: intraductal papilloma causes bloody pathologic nipple "
         "discharge) is obsolete: it states nothing and cannot be reviewed. Review its "
         "replacement, NDKG:0001034."),
    ],
    ids=["orcid check digit", "not an orcid", "unknown status", "rejection without comment",
         "not a claim", "obsolete claim"],
)
def test_bad_reviews_are_refused_and_change_nothing(
    client: httpx.Client, curie: str, body: dict[str, str], status: int, detail: object
) -> None:
    quads = review_quads(client)
    response = client.post(f"/reviews/{curie}", json=body, headers={**AUTH, **JSON})
    assert response.status_code == status
    assert response.json() == {"detail": detail}
    assert review_quads(client) == quads


def test_malformed_json_is_400(client: httpx.Client) -> None:
    response = client.post(f"/reviews/{PAPILLOMA_CLAIM}", content=b'{"status": ',
                           headers={**AUTH, **JSON, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The body is not JSON: EOF while parsing a value at line 1 column 11."}


def test_history_of_what_has_none(client: httpx.Client) -> None:
    assert client.get("/reviews/NDKG:0000224").status_code == 404
    assert client.get("/reviews/NDKG:0001035").status_code == 410
    statistic = history(client, "NDKG:0002004")
    assert statistic["kind"] == "statistic"
    assert client.get("/questions/statistics", params={"status": "all"}).status_code == 422


# --- Reviews are seen by every process, and survive a restart -----------------------------------


def test_a_review_is_seen_by_another_process_on_the_same_folder(
    client: httpx.Client, home: Path, serve: Serve
) -> None:
    """A second service on the folder, as ``ndkg serve --workers 2`` runs a second process: each
    keeps the statuses of the generation it serves, and sees the other's review with its next
    request."""
    prolactinoma = "NDKG:0001029"
    with serve(reviewing_app(home)) as second, \
            httpx.Client(base_url=second, timeout=60) as other:
        assert prolactinoma not in reasons(classify(other, GALACTORRHEA, status="approved"))
        assert review(client, prolactinoma, "approved").status_code == 201
        assert reasons(classify(other, GALACTORRHEA))[prolactinoma] == ("approved", "submitted")
        assert prolactinoma in reasons(classify(other, GALACTORRHEA, status="approved"))
        assert history(other, prolactinoma)["status"]["label"] == "approved"


def test_a_review_survives_a_restart(built: BuildResult, tmp_path: Path) -> None:
    home = copy_build(built, tmp_path)
    env = {"NDKG_WRITE_TOKEN": TOKEN, "NDKG_QUERY_WORKERS": "1"}
    with ndkg_serve(home, "--workers", "2", env=env) as (url, _), \
            httpx.Client(base_url=url, timeout=60) as client:
        written = review(client, PAPILLOMA_CLAIM, "under review", comment="Checking ref. 1.")
        assert written.status_code == 201, written.text
        for _ in range(6):  # new connections, answered by either server process
            with httpx.Client(base_url=url, timeout=60) as fresh:
                assert history(fresh, PAPILLOMA_CLAIM)["status"]["label"] == "under review"
    with ndkg_serve(home, env=env) as (url, _), httpx.Client(base_url=url, timeout=60) as client:
        kept = history(client, PAPILLOMA_CLAIM)
    assert kept["status"]["label"] == "under review"
    assert [(r["record"], r["comment"]) for r in kept["history"]] == [
        (written.json()["record"], "Checking ref. 1.")]


# --- docs/review.md ---------------------------------------------------------------------------


def doc_commands() -> list[str]:
    """The curl commands of docs/review.md, in order, continuation lines joined."""
    text = (PROJECT / "docs" / "review.md").read_text()
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            if line.startswith("curl "):
                commands.append(line)
    return commands


def test_the_curl_examples_of_the_documentation_work(service: str, client: httpx.Client) -> None:
    commands = doc_commands()
    assert len(commands) == 6
    for command in commands:
        done = subprocess.run(
            ["bash", "-c", command.replace("http://127.0.0.1:8000", service)],
            capture_output=True, text=True, timeout=60, env={**os.environ, "TOKEN": TOKEN},
        )
        assert done.returncode == 0, (command, done.stderr)
        answer = json.loads(done.stdout)
        assert "detail" not in answer, (command, answer)
    kept = history(client, PAPILLOMA_CLAIM)["history"]
    assert [(r["status"]["label"], r["orcid"]) for r in kept[-2:]] == [
        ("approved", REVIEWER), ("rejected", OTHER_REVIEWER)]
