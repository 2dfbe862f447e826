"""With a remote backend (Virtuoso), which takes no writes, answers show the curated review
statuses read from the endpoint, and ``?status=approved`` works as on the embedded store."""

from __future__ import annotations

import httpx

from ndkg.build import BuildResult
from tests.remote.conftest import Virtuoso
from tests.serving import home_of, ndkg_serve

PATHOLOGIC = {"laterality": "unilateral", "ducts": "single duct", "onset": "spontaneous",
              "character": "bloody"}


def test_statuses_from_virtuoso(published: Virtuoso, built: BuildResult) -> None:
    with ndkg_serve(home_of(built), "--backend", published.sparql) as (url, _), \
            httpx.Client(base_url=url, timeout=60) as client:
        history = client.get("/reviews/NDKG:0001034")
        assert history.status_code == 200, history.text
        assert history.json()["status"]["label"] == "submitted"
        assert history.json()["history"] == []
        assert client.get("/reviews/NDKG:0000224").status_code == 404
        everything = client.get("/classify", params=PATHOLOGIC).json()
        statuses = {(r["reviewStatus"]["label"], r["curatedReviewStatus"]["label"])
                    for cause in everything["causes"] for r in cause["reasons"]}
        assert statuses == {("submitted", "submitted")}
        approved = client.get("/classify", params={**PATHOLOGIC, "status": "approved"}).json()
        assert approved["next_steps"] == []
        assert approved["filter"]["no_approved_next_step"].startswith(
            "No next step for this presentation is approved yet")
        rows = client.get("/questions/management-of-condition", headers={
            "Accept": "application/json"}, params={"condition": "NDKG:0000302",
                                                   "status": "approved"}).json()
        assert rows["rows"] == [] and rows["filter"]["left_out"] > 0
