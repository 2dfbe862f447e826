"""What reviews cost: reading the statuses of a generation, writing a review, and answering
with the current statuses.

1. **Reading the statuses** of a served store (:data:`ndkg.reviews.records.STATEMENTS_QUERY` and its
   parsing, what the service does once per generation), on the build's graphs with 0, 100,
   1 000 and 10 000 review records in the contributed graph of reviews.
2. **Checking a review against the shapes** (what a worker does before it writes one): a
   review posted to a store that already holds 0, 100, 1 000 and 10 000 review records.
3. **The service**: ``ndkg serve`` on a copy of the build, with a write token. Each round
   posts a review (``POST /reviews/{curie}``), then asks ``/classify`` twice: the first answer
   reads the statuses of the new generation, the second finds them kept.

Run from the project folder after ``ndkg build``::

    python benchmarks/bench_reviews.py --home build --rounds 10
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pyoxigraph as ox

from ndkg.model.validate import load_shapes
from ndkg.reviews.records import REVIEWS_GRAPH, STATEMENTS_QUERY, Review, Status, reviews_from
from ndkg.storage.store import CURRENT, STORE_DIR
from ndkg.storage.writes import LoadGraph, try_write

TOKEN = "bench-write-token-0123456789abcdef"
CLAIMS = [f"https://w3id.org/ndkg/NDKG_{n:07d}" for n in range(1001, 1035)]
PATHOLOGIC = {"laterality": "unilateral", "ducts": "single duct", "onset": "spontaneous",
              "character": "bloody"}


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f}"


START = datetime(2026, 12, 4, tzinfo=UTC)


def record(number: int) -> Review:
    """The review record ``number`` of a synthetic history."""
    return Review(f"urn:uuid:00000000-0000-4000-8000-{number:012d}", CLAIMS[number % len(CLAIMS)],
                  list(Status)[number % 4], "https://orcid.org/0000-0002-1825-0097",
                  START + timedelta(seconds=number), "checked")


def with_reviews(build: Path, records: int) -> ox.Store:
    """The build's graphs with ``records`` review records, in memory."""
    store = ox.Store()
    store.extend(ox.Store.read_only(str(build / STORE_DIR)))
    graph = ox.NamedNode(REVIEWS_GRAPH)
    for number in range(records):
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                     for t in record(number).triples())
    return store


def check_review(build: Path, records: int, repeats: int = 5) -> list[float]:
    """Seconds to check one more review against the shapes, on a store with ``records``."""
    store = with_reviews(build, records)
    shapes = load_shapes(sorted((build / "shapes").glob("*.ttl")))
    sent = LoadGraph(REVIEWS_GRAPH, record(records).n_triples(), "application/n-triples",
                     replace=False)
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        assert try_write(store, sent, shapes=shapes).changed
        times.append(time.perf_counter() - began)
    return times


def read_statuses(build: Path, records: int, repeats: int = 5) -> list[float]:
    """Seconds to read and parse the statuses of a store with ``records`` review records."""
    store = with_reviews(build, records)
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        result = store.query(STATEMENTS_QUERY, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        reviews = reviews_from(
            {n: s[n] for n in names if s[n] is not None} for s in result  # type: ignore[misc]
        )
        times.append(time.perf_counter() - began)
    assert len(reviews.statements) >= len(CLAIMS)
    return times


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ndkg", "serve", "--out", str(home), "--port", str(port)],
        env={**os.environ, "NDKG_WRITE_TOKEN": TOKEN}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("ndkg serve did not get ready")
        time.sleep(0.2)


def timed(call: object) -> float:
    began = time.perf_counter()
    response = call()  # type: ignore[operator]
    elapsed = time.perf_counter() - began
    assert response.status_code in (200, 201), response.text
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=Path("build"))
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    build = (args.home / CURRENT).resolve()

    print("Reading the statuses of a generation (median of 5)")
    print("| review records | ms |")
    print("|---:|---:|")
    for records in (0, 100, 1000, 10_000):
        print(f"| {records} | {median_ms(read_statuses(build, records))} |")

    print("\nChecking one more review against the shapes (median of 5)")
    print("| review records | ms |")
    print("|---:|---:|")
    for records in (0, 100, 1000, 10_000):
        print(f"| {records} | {median_ms(check_review(build, records))} |")

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        shutil.copytree(build, home / "builds" / build.name)
        (home / CURRENT).symlink_to(Path("builds") / build.name, target_is_directory=True)
        process, url = serve(home)
        try:
            posts, first, kept = [], [], []
            with httpx.Client(base_url=url, timeout=60) as client:
                client.get("/classify", params=PATHOLOGIC)  # the classifier read once
                for number in range(args.rounds):
                    body = {"status": "approved" if number % 2 else "under review",
                            "orcid": "0000-0002-1825-0097", "comment": f"round {number}"}
                    posts.append(timed(lambda body=body: client.post(
                        "/reviews/NDKG:0001034", json=body,
                        headers={"Authorization": f"Bearer {TOKEN}"})))
                    first.append(timed(lambda: client.get("/classify", params=PATHOLOGIC)))
                    kept.append(timed(lambda: client.get("/classify", params=PATHOLOGIC)))
        finally:
            process.terminate()
            process.wait(30)
    print(f"\nThe service, {args.rounds} rounds (median)")
    print("| request | ms |")
    print("|---|---:|")
    print(f"| POST /reviews/NDKG:0001034 (validated, written, acknowledged) | {median_ms(posts)} |")
    print(f"| GET /classify after a review (statuses of the new generation read) "
          f"| {median_ms(first)} |")
    print(f"| GET /classify again (statuses kept) | {median_ms(kept)} |")


if __name__ == "__main__":
    main()
