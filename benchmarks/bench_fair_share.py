"""Cheap queries beside expensive ones: how ``ndkg serve`` shares its query workers.

Two load shapes, each against ``ndkg serve`` started on 127.0.0.1 over an existing build:

- ``loops``: ``--expensive-clients`` clients (each from its own loopback address, 127.0.0.2,
  127.0.0.3 ...) post an expensive query in a loop (a cartesian product over the graph that no
  worker finishes within the time limit), while one more client (127.0.0.1) posts distinct
  cheap queries one after the other;
- ``mix``: ``--mix-clients`` clients, each from its own address, post distinct queries of
  which ``--mix`` (2 % by default) are expensive and the rest cheap.

For the cheap queries it prints how many were answered (200), and the median, 90th and 99th
percentile of their latency; for the expensive ones, their statuses. Run from the project
folder after ``ndkg build``::

    python benchmarks/bench_fair_share.py --home build --seconds 20
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

SPARQL_QUERY = {"Content-Type": "application/sparql-query"}
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(?i != {n}) }}"
CHEAP = "SELECT ?label WHERE {{ NDKG:0000224 rdfs:label ?label }} LIMIT {n}"


@dataclass
class Outcomes:
    """What the requests of one kind got: statuses, and latencies of the answered ones."""

    statuses: Counter[int] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.seconds.append(seconds)

    def summary(self) -> str:
        total = sum(self.statuses.values())
        if not total:
            return "none sent"
        ok = self.statuses[200]
        ordered = sorted(self.seconds)
        p50 = statistics.median(ordered)
        p90 = ordered[int(0.9 * (len(ordered) - 1))]
        p99 = ordered[int(0.99 * (len(ordered) - 1))]
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        return (f"{total} sent, {100 * ok / total:.1f} % answered ({statuses}); latency "
                f"p50 {1000 * p50:.0f} ms, p90 {1000 * p90:.0f} ms, p99 {1000 * p99:.0f} ms")


class Numbers:
    """A shared counter, so that every query text is new (no answer comes from the cache)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._n = 0

    def next(self) -> int:
        with self._lock:
            self._n += 1
            return self._n


def post(client: httpx.Client, text: str, outcomes: Outcomes) -> None:
    began = time.monotonic()
    try:
        status = client.post("/sparql", content=text, headers=SPARQL_QUERY).status_code
    except httpx.TransportError:
        status = 0
    outcomes.add(status, time.monotonic() - began)


def client_at(url: str, address: str) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=url, transport=transport, timeout=60)


def loops(url: str, seconds: float, expensive_clients: int) -> tuple[Outcomes, Outcomes]:
    cheap, expensive, numbers = Outcomes(), Outcomes(), Numbers()
    stop = threading.Event()

    def expensive_loop(address: str) -> None:
        with client_at(url, address) as client:
            while not stop.is_set():
                post(client, EXPENSIVE.format(n=numbers.next()), expensive)

    threads = [threading.Thread(target=expensive_loop, args=(f"127.0.0.{2 + i}",))
               for i in range(expensive_clients)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # the expensive queries are running
    with client_at(url, "127.0.0.1") as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            post(client, CHEAP.format(n=numbers.next()), cheap)
    stop.set()
    for thread in threads:
        thread.join()
    return cheap, expensive


def mix(url: str, seconds: float, clients: int, share: float) -> tuple[Outcomes, Outcomes]:
    cheap, expensive, numbers = Outcomes(), Outcomes(), Numbers()
    deadline = time.monotonic() + seconds

    def run(address: str, seed: int) -> None:
        chance = random.Random(seed)
        with client_at(url, address) as client:
            while time.monotonic() < deadline:
                if chance.random() < share:
                    post(client, EXPENSIVE.format(n=numbers.next()), expensive)
                else:
                    post(client, CHEAP.format(n=numbers.next()), cheap)

    threads = [threading.Thread(target=run, args=(f"127.0.1.{1 + i}", i)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return cheap, expensive


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def ndkg_serve(home: Path, env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ndkg", "serve", "--out", str(home), "--port", str(port)],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("ndkg serve did not start")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=Path("build"))
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--expensive-clients", type=int, default=2)
    parser.add_argument("--mix-clients", type=int, default=4)
    parser.add_argument("--mix", type=float, default=0.02, help="share of expensive queries")
    parser.add_argument("--timeout", default="10", help="NDKG_QUERY_TIMEOUT of the server")
    args = parser.parse_args()
    print(f"# {platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}")
    env = {"NDKG_QUERY_TIMEOUT": args.timeout}
    with ndkg_serve(args.home.resolve(), env) as url:
        cheap, expensive = loops(url, args.seconds, args.expensive_clients)
        print(f"loops, {args.expensive_clients} clients looping an expensive query:")
        print(f"  cheap queries:     {cheap.summary()}")
        print(f"  expensive queries: {expensive.summary()}")
    with ndkg_serve(args.home.resolve(), env) as url:
        cheap, expensive = mix(url, args.seconds, args.mix_clients, args.mix)
        print(f"mix, {args.mix_clients} clients, {100 * args.mix:g} % expensive queries:")
        print(f"  cheap queries:     {cheap.summary()}")
        print(f"  expensive queries: {expensive.summary()}")


if __name__ == "__main__":
    main()
