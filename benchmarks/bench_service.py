"""Throughput and latency of ``ndkg serve`` against its peers, on the same named-question SPARQL.

Each server is started in turn on 127.0.0.1 over the same build, checked to give the same
number of rows, then driven by concurrent clients (httpx) posting the SPARQL of each named
question, its parameters bound by a trailing ``VALUES`` clause of validated terms:

- ``ndkg``: ``ndkg serve`` (its ``/sparql`` endpoint, and its ``/questions/{name}`` route);
- ``rdflib-endpoint``: ``rdflib-endpoint serve`` on the release's N-Quads (rdflib's
  evaluator, default graph as the union of the named graphs);
- ``oxigraph``: ``oxigraph serve-read-only --union-default-graph`` on the build's store.

A peer whose command is not found is skipped. Run from the project folder after ``ndkg build``::

    python benchmarks/bench_service.py --home build --clients 4 --requests 400 --seconds 20

Each question is ``NAME`` or ``NAME:param=value,param=value``; see ``--help``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ndkg.model.sources import QUERIES_DIR
from ndkg.questions import Questions
from ndkg.store import RELEASE_DIR, open_store

RESULTS = "application/sparql-results+json"
DEFAULT_QUESTIONS = (
    "statistics:about=NDKG:0000300",
    "mappings-of-term:term=NDKG:0000214",
    "term-by-external-id:external=HP:0100829",
    "causes-by-features:laterality=HP:0012833,character=PATO:0002105",
)


@dataclass(frozen=True)
class Server:
    """A server to start: its command (``{port}`` filled in) and the path of its endpoint."""

    name: str
    command: tuple[str, ...]
    path: str


@dataclass
class Run:
    """What one server did for one question."""

    server: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    note: str = ""

    @property
    def throughput(self) -> float:
        """Answered requests per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The latency (ms) below which ``p`` percent of the answered requests fell."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000


def free_port() -> int:
    """A port free on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def started(server: Server, logs: Path, ready_seconds: float) -> Iterator[str]:
    """Start ``server`` on a free loopback port; yield its endpoint URL; stop it."""
    port = free_port()
    command = [part.format(port=port) for part in server.command]
    log = (logs / f"{server.name}.log").open("w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}{server.path}"
    try:
        deadline = time.monotonic() + ready_seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{server.name} exited; see {log.name}")
            try:
                if httpx.post(url, data={"query": "ASK {}"}, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{server.name} did not answer within {ready_seconds} s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def bound_text(questions: Questions, spec: str) -> tuple[str, dict[str, str], str]:
    """The name, raw parameters and SPARQL (parameters bound by ``VALUES``) of ``spec``."""
    name, _, params = spec.partition(":")
    raw = dict(pair.split("=", 1) for pair in params.split(",") if pair)
    question = questions.get(name)
    bindings = questions.bind(question, raw)
    if not bindings:
        return name, raw, question.sparql
    variables = " ".join(f"?{v}" for v in bindings)
    values = " ".join(str(term) for term in bindings.values())
    return name, raw, f"{question.sparql}\nVALUES ({variables}) {{ ({values}) }}\n"


async def drive(
    request: httpx.Request, clients: int, requests: int, seconds: float, timeout: float
) -> Run:
    """Send ``request`` from ``clients`` concurrent clients until ``requests`` are answered or
    ``seconds`` have passed."""
    run = Run("")
    remaining = requests
    deadline = time.perf_counter() + seconds

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal remaining
        while remaining > 0 and time.perf_counter() < deadline:
            remaining -= 1
            start = time.perf_counter()
            try:
                response = await http.send(request)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                run.latencies.append(time.perf_counter() - start)
            else:
                run.errors += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as http:
        began = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        run.seconds = time.perf_counter() - began
    return run


def rows(response: httpx.Response) -> int:
    """The number of rows of a SPARQL JSON results response."""
    return len(response.json()["results"]["bindings"])


def measure(
    name: str, url: str, request: httpx.Request, expected: int | None, args: argparse.Namespace
) -> Run:
    """Warm ``url`` up, check its row count, then drive it."""
    try:
        with httpx.Client(timeout=args.timeout) as http:
            for _ in range(args.warmup):
                response = http.send(request)
                response.raise_for_status()
    except httpx.HTTPError as exc:
        return Run(name, note=f"no answer within {args.timeout:g} s ({type(exc).__name__})")
    found = rows(response)
    if expected is not None and found != expected:
        return Run(name, note=f"{found} rows, expected {expected}")
    run = asyncio.run(drive(request, args.clients, args.requests, args.seconds, args.timeout))
    run.server = name
    run.note = f"{found} rows"
    return run


def servers(home: Path, args: argparse.Namespace) -> list[Server]:
    """The servers to compare; peers whose command is missing are left out."""
    build = open_store(home).path.parent
    found = [Server("ndkg", (sys.executable, "-m", "ndkg", "serve", "--out", str(home),
                             "--host", "127.0.0.1", "--port", "{port}"), "/sparql")]
    rdflib_endpoint = shutil.which(args.rdflib_endpoint)
    if rdflib_endpoint:
        quads = str(next((build / RELEASE_DIR).glob("*.nq")))
        found.append(Server("rdflib-endpoint", (rdflib_endpoint, "serve", quads, "--host",
                                                "127.0.0.1", "--port", "{port}"), "/"))
    oxigraph = shutil.which(args.oxigraph)
    if oxigraph:
        found.append(Server("oxigraph", (oxigraph, "serve-read-only", "--location",
                                         str(build / "store"), "--bind", "127.0.0.1:{port}",
                                         "--union-default-graph"), "/query"))
    return found


def report(question: str, runs: list[Run]) -> None:
    """Print the figures of one question, with ndkg's ratios to each peer."""
    print(f"\n{question}")
    print(f"  {'server':<18}{'answered':>9}{'errors':>8}{'req/s':>10}{'p50 ms':>10}"
          f"{'p99 ms':>10}  note")
    for run in runs:
        print(f"  {run.server:<18}{len(run.latencies):>9}{run.errors:>8}{run.throughput:>10.1f}"
              f"{run.percentile(50):>10.2f}{run.percentile(99):>10.2f}  {run.note}")
    ndkg = next(r for r in runs if r.server == "ndkg")
    for run in runs:
        if run.server.startswith("ndkg") or not run.throughput:
            continue
        print(f"  ndkg / {run.server}: {ndkg.throughput / run.throughput:.1f}x throughput")


def main() -> None:
    """Run the comparison and print the figures and the command that produced them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=Path("build"),
                        help="build folder (holds current/)")
    parser.add_argument("--question", action="append", dest="questions",
                        help="NAME or NAME:param=value,... (repeatable; default: a set of four)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=400, help="per server and question")
    parser.add_argument("--seconds", type=float, default=20, help="per server and question")
    parser.add_argument("--timeout", type=float, default=30, help="per request")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rdflib-endpoint", default="rdflib-endpoint")
    parser.add_argument("--oxigraph", default="oxigraph")
    args = parser.parse_args()

    store = open_store(args.home)
    questions = Questions(store, store.path.parent / QUERIES_DIR)
    specs = [bound_text(questions, spec) for spec in args.questions or DEFAULT_QUESTIONS]
    results: dict[str, list[Run]] = {name: [] for name, _, _ in specs}
    with tempfile.TemporaryDirectory() as logs:
        for server in servers(args.home, args):
            with started(server, Path(logs), ready_seconds=120) as url:
                for name, raw, text in specs:
                    post = httpx.Request("POST", url, data={"query": text},
                                         headers={"Accept": RESULTS})
                    counts = (rows_of(run) for run in results[name])
                    expected = next((n for n in counts if n is not None), None)
                    results[name].append(measure(server.name, url, post, expected, args))
                    if server.name == "ndkg":
                        route = url.removesuffix("/sparql") + f"/questions/{name}"
                        get = httpx.Request("GET", route, params=raw, headers={"Accept": RESULTS})
                        results[name].append(measure("ndkg /questions", route, get, None, args))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores (load average {load}), "
          f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
          f"graph {store.version}; "
          f"{args.clients} clients, at most {args.requests} requests or {args.seconds:g} s "
          "per server and question")
    for name, raw, _ in specs:
        report(f"{name} {raw}", results[name])
    print("\ncommand: " + shlex.join([Path(sys.executable).name, *sys.argv]))


def rows_of(run: Run) -> int | None:
    """The row count a run noted, if it noted one."""
    head = run.note.split(" ", 1)[0]
    return int(head) if head.isdigit() else None


if __name__ == "__main__":
    main()
