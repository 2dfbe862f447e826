"""Throughput and latency of ``ndkg serve`` against its peers, on the same named-question SPARQL.

Each server is started in turn on 127.0.0.1 over the same build, checked to give the same
number of rows, then driven by concurrent clients posting the SPARQL of each named question as
the service shows it, its parameters written in (a ``VALUES`` block of validated terms, or the
terms themselves where a ``VALUES`` block would not reach, as in a sub-query):

- ``ndkg``: ``ndkg serve --workers N`` (its ``/sparql`` endpoint, and its ``/questions/{name}``
  route); ``ndkg, 1 process`` is ``ndkg serve`` as started by default, and ``ndkg, no cache``
  the same with its answer cache off (``NDKG_ANSWER_CACHE_BYTES=0``), so that every request
  runs its query;
- ``rdflib-endpoint``: ``rdflib-endpoint serve`` on the release's N-Quads (rdflib's
  evaluator, default graph as the union of the named graphs);
- ``oxigraph``: ``oxigraph serve-read-only --union-default-graph`` on the build's store.

The clients are `wrk <https://github.com/wg/wrk>`_ (``--client wrk``, the default when it is
installed: ``apt-get install wrk``), a C load generator that leaves the two cores to the
servers, or httpx in this process (``--client httpx``). A peer whose command is not found is
skipped. Run from the project folder after ``ndkg build``::

    python benchmarks/bench_service.py --home build --clients 4 --seconds 10

Each question is ``NAME`` or ``NAME:param=value,param=value``; see ``--help``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ndkg.model.sources import QUERIES_DIR
from ndkg.questions import Questions
from ndkg.storage.store import RELEASE_DIR, open_store

RESULTS = "application/sparql-results+json"
DEFAULT_QUESTIONS = (
    "statistics:about=NDKG:0000300",
    "mappings-of-term:term=NDKG:0000214",
    "term-by-external-id:external=HP:0100829",
    "causes-by-features:laterality=HP:0012833,character=PATO:0002105",
)

WRK_SCRIPT = """
wrk.method = os.getenv("BENCH_METHOD")
wrk.headers["Accept"] = os.getenv("BENCH_ACCEPT")
local body = os.getenv("BENCH_BODY")
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "microseconds": %d, "failed": %d, "p50": %d, "p99": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""
"""wrk's script: the request from the environment, and the figures as one JSON line."""


@dataclass(frozen=True)
class Server:
    """A server to start: its command (``{port}`` filled in), the path of its endpoint, extra
    environment, and whether it has ndkg's ``/questions`` routes."""

    name: str
    command: tuple[str, ...]
    path: str
    env: Mapping[str, str] = field(default_factory=dict)
    questions: bool = False


@dataclass
class Run:
    """What one server did for one question: answered and failed requests, the seconds they
    took, and the latency (ms) below which 50 and 99 percent of the answered ones fell."""

    server: str
    answered: int = 0
    errors: int = 0
    seconds: float = 0.0
    p50: float = float("nan")
    p99: float = float("nan")
    note: str = ""

    @property
    def throughput(self) -> float:
        """Answered requests per second."""
        return self.answered / self.seconds if self.seconds else 0.0


def percentile(latencies: list[float], p: float) -> float:
    """The latency (ms) below which ``p`` percent of ``latencies`` (s) fell."""
    if not latencies:
        return float("nan")
    ordered = sorted(latencies)
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
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, **server.env})
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
    """The name, raw parameters and SPARQL of ``spec``, its parameters written in as the
    service shows it (a ``VALUES`` block, or constants where one would not reach)."""
    name, _, params = spec.partition(":")
    raw = dict(pair.split("=", 1) for pair in params.split(",") if pair)
    question = questions.get(name)
    return name, raw, questions.sparql(question, questions.bind(question, raw))


def drive_httpx(request: httpx.Request, args: argparse.Namespace) -> Run:
    """Send ``request`` from ``args.clients`` concurrent httpx clients for ``args.seconds``."""
    latencies: list[float] = []
    run = Run("")
    deadline = time.perf_counter() + args.seconds

    async def client(http: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                response = await http.send(request)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append(time.perf_counter() - start)
            else:
                run.errors += 1

    async def clients() -> None:
        limits = httpx.Limits(max_connections=args.clients,
                              max_keepalive_connections=args.clients)
        async with httpx.AsyncClient(timeout=args.timeout, limits=limits) as http:
            began = time.perf_counter()
            await asyncio.gather(*(client(http) for _ in range(args.clients)))
            run.seconds = time.perf_counter() - began

    asyncio.run(clients())
    run.answered, run.p50, run.p99 = (
        len(latencies), percentile(latencies, 50), percentile(latencies, 99)
    )
    return run


def drive_wrk(request: httpx.Request, args: argparse.Namespace, script: Path) -> Run:
    """Send ``request`` from ``args.clients`` wrk connections (one thread) for ``args.seconds``."""
    env = {**os.environ, "BENCH_METHOD": request.method, "BENCH_ACCEPT": RESULTS,
           "BENCH_BODY": request.content.decode()}
    command = [args.wrk, "-t1", f"-c{args.clients}", f"-d{args.seconds:g}s",
               f"--timeout={args.timeout:g}s", "-s", str(script), str(request.url)]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    return Run("", answered=figures["requests"] - figures["failed"], errors=figures["failed"],
               seconds=figures["microseconds"] / 1e6, p50=figures["p50"] / 1000,
               p99=figures["p99"] / 1000)


def rows(response: httpx.Response) -> int:
    """The number of rows of a SPARQL JSON results response."""
    return len(response.json()["results"]["bindings"])


def measure(
    name: str, request: httpx.Request, expected: int | None, args: argparse.Namespace,
    script: Path,
) -> Run:
    """Warm the server up, check its row count, then drive it.

    Each warm-up request comes on a new connection, so that every server process is warmed.
    """
    try:
        for _ in range(args.warmup):
            with httpx.Client(timeout=args.timeout) as http:
                response = http.send(request)
                response.raise_for_status()
    except httpx.HTTPError as exc:
        return Run(name, note=f"no answer within {args.timeout:g} s ({type(exc).__name__})")
    found = rows(response)
    if expected is not None and found != expected:
        return Run(name, note=f"{found} rows, expected {expected}")
    run = drive_wrk(request, args, script) if args.client == "wrk" else drive_httpx(request, args)
    run.server = name
    run.note = f"{found} rows"
    return run


def servers(home: Path, args: argparse.Namespace) -> list[Server]:
    """The servers to compare; peers whose command is missing are left out."""
    build = open_store(home).path.parent
    ndkg = (sys.executable, "-m", "ndkg", "serve", "--out", str(home), "--host", "127.0.0.1",
            "--port", "{port}")
    found = [
        Server("ndkg", (*ndkg, "--workers", str(args.workers)), "/sparql", questions=True),
        Server("ndkg, 1 process", ndkg, "/sparql", questions=True),
        Server("ndkg, no cache", ndkg, "/sparql", {"NDKG_ANSWER_CACHE_BYTES": "0"}, True),
    ]
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
    """Print the figures of one question, with ndkg's ratios to rdflib-endpoint."""
    print(f"\n{question}")
    print(f"  {'server':<34}{'answered':>9}{'errors':>8}{'req/s':>10}{'p50 ms':>10}"
          f"{'p99 ms':>10}  note")
    for run in runs:
        print(f"  {run.server:<34}{run.answered:>9}{run.errors:>8}{run.throughput:>10.1f}"
              f"{run.p50:>10.2f}{run.p99:>10.2f}  {run.note}")
    peer = next((r for r in runs if r.server == "rdflib-endpoint"), None)
    for run in runs:
        if not run.server.startswith("ndkg") or peer is None:
            continue
        ratio = (f"{run.throughput / peer.throughput:.1f}x" if peer.throughput
                 else "without bound (rdflib-endpoint gave no answer)")
        print(f"  {run.server} / rdflib-endpoint: {ratio} throughput")


def main() -> None:
    """Run the comparison and print the figures and the command that produced them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=Path("build"),
                        help="build folder (holds current/)")
    parser.add_argument("--question", action="append", dest="questions",
                        help="NAME or NAME:param=value,... (repeatable; default: a set of four)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10, help="per server and question")
    parser.add_argument("--timeout", type=float, default=30, help="per request")
    parser.add_argument("--warmup", type=int, default=10, help="requests before measuring")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="ndkg serve --workers (default: one per core)")
    parser.add_argument("--client", choices=("wrk", "httpx"),
                        default="wrk" if shutil.which("wrk") else "httpx")
    parser.add_argument("--wrk", default="wrk", help="the wrk command")
    parser.add_argument("--rdflib-endpoint", default="rdflib-endpoint")
    parser.add_argument("--oxigraph", default="oxigraph")
    args = parser.parse_args()

    store = open_store(args.home)
    questions = Questions(store, store.path.parent / QUERIES_DIR)
    specs = [bound_text(questions, spec) for spec in args.questions or DEFAULT_QUESTIONS]
    # Keyed by position: the same question may be given with different parameters.
    results: list[list[Run]] = [[] for _ in specs]
    with tempfile.TemporaryDirectory() as logs:
        script = Path(logs) / "bench.lua"
        script.write_text(WRK_SCRIPT)
        for server in servers(args.home, args):
            with started(server, Path(logs), ready_seconds=120) as url:
                for runs, (name, raw, text) in zip(results, specs, strict=True):
                    post = httpx.Request("POST", url, data={"query": text},
                                         headers={"Accept": RESULTS})
                    counts = (rows_of(run) for run in runs)
                    expected = next((n for n in counts if n is not None), None)
                    runs.append(measure(server.name, post, expected, args, script))
                    if server.questions:
                        route = url.removesuffix("/sparql") + f"/questions/{name}"
                        get = httpx.Request("GET", route, params=raw, headers={"Accept": RESULTS})
                        runs.append(
                            measure(f"{server.name} /questions", get, None, args, script)
                        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores (load average {load}), "
          f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
          f"graph {store.version}; {args.client}, {args.clients} clients, "
          f"{args.seconds:g} s per server and question")
    for runs, (name, raw, _) in zip(results, specs, strict=True):
        report(f"{name} {raw}", runs)
    print("\ncommand: " + shlex.join([Path(sys.executable).name, *sys.argv]))


def rows_of(run: Run) -> int | None:
    """The row count a run noted, if it noted one."""
    head = run.note.split(" ", 1)[0]
    return int(head) if head.isdigit() else None


if __name__ == "__main__":
    main()
