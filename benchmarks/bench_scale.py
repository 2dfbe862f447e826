"""ndkg at 10^5, 10^6 and 10^7 triples: load rates, named-question latency, peak memory.

    python benchmarks/bench_scale.py --home build --work /tmp/ndkg-scale \\
        [--sizes 1e5 1e6 1e7] [--loaders 2] [--rdflib-max 1e6] [--requests 200] \\
        [--budget 120] [--no-virtuoso]

For each size, :mod:`generate` writes the real build (``HOME/current``) plus synthetic
knowledge of the same shape as N-Quads, then:

- embedded: ``pyoxigraph.Store.bulk_load`` into a new on-disk store, ``--loaders`` calls at
  once on parts of the file (then ``optimize``, timed apart), laid out as a build folder with
  the project's named questions; ``ndkg serve`` on it. The loads are ``lenient`` (IRIs are not
  validated again: the file was written by the build and the generator, from validated terms);
- Virtuoso (``virtuoso-t``, if installed): a new database, loaded with ``ld_dir`` and
  ``rdf_loader_run`` through ``isql-vt`` (its bulk loader), then a checkpoint; ``ndkg serve
  --backend`` on its endpoint;
- serving, for both: each named question is asked once (cold: the first answer reads the
  graph's words and allowed values), then ``--requests`` times with 1 and with 4 concurrent
  clients over HTTP, or as many times as fit in ``--budget`` seconds; the peak memory
  (``VmHWM``) of the server and its worker processes is read at the end (for Virtuoso, plus
  Virtuoso's own);
- rdflib (the baseline, up to ``--rdflib-max`` triples): a new process parses the file into a
  ``Dataset`` and asks each question in process (values bound with ``initBindings``), within
  the same request and time budget; its peak memory;
- binding: each question's query alone, in process on the warm embedded store, with its values
  bound by pyoxigraph's ``substitutions`` (where the engine takes them: not for a variable used
  only in a sub-query) and written into the text as the service shows and runs it
  (:func:`ndkg.questions.text.bind_text`), which lets the planner see them.

Results go to ``WORK/results.json`` and are printed as Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from generate import generate
from ndkg.questions import parse_question
from ndkg.questions.text import bind_text
from ndkg.storage.store import BUILD_INFO, CURRENT, RELEASE_DIR, STORE_DIR, open_store

PROJECT = Path(__file__).resolve().parents[1]
RESULTS = "application/sparql-results+json"
QUESTIONS = {
    "causes-by-features": {"laterality": "unilateral", "character": "bloody"},
    "causes-of-condition": {"condition": "https://w3id.org/ndkg/synthetic/presentation/7"},
    "evidence": {"term": "https://w3id.org/ndkg/synthetic/cause/42"},
}
"""The questions asked, with parameters whose answers keep their size at every scale."""
BOUND = {
    "causes-by-features": {
        "__laterality_iri": "http://purl.obolibrary.org/obo/HP_0012833",
        "__character_iri": "http://purl.obolibrary.org/obo/PATO_0002105",
        **{f"__{name}_iri": "https://w3id.org/ndkg/NDKG_0000118"
           for name in ("ducts", "onset", "context")},
    },
    "causes-of-condition": {"_condition_iri": QUESTIONS["causes-of-condition"]["condition"]},
    "evidence": {"_term_iri": QUESTIONS["evidence"]["term"]},
}
"""The same questions' variables and the terms the service binds them to."""
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {folder}, {data}
NumberOfBuffers = 340000
MaxDirtyBuffers = 250000
CheckpointInterval = 0
VADInstallDir = {folder}/vad

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
"""


def label(size: int) -> str:
    """``1e7`` for 10,000,000."""
    exponent = len(str(size)) - 1
    return f"1e{exponent}" if size == 10**exponent else str(size)


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def split_lines(data: Path, parts: int) -> list[Path]:
    """``data`` cut into ``parts`` files of whole lines, beside it."""
    size = data.stat().st_size
    paths: list[Path] = []
    with data.open("rb") as source:
        for index in range(parts):
            path = data.with_name(f"{data.stem}.part{index}{data.suffix}")
            end = size * (index + 1) // parts
            with path.open("wb") as part:
                while source.tell() < end or index == parts - 1:
                    line = source.readline()
                    if not line:
                        break
                    part.write(line)
            paths.append(path)
    return paths


def build_folder(
    home: Path, version: str, data: Path, counts: dict[str, int], loaders: int
) -> dict[str, float]:
    """Bulk-load ``data`` into a build folder at ``home`` with ``loaders`` concurrent
    ``bulk_load`` calls on parts of the file; return the times taken."""
    build = home / "builds" / version
    shutil.rmtree(home, ignore_errors=True)
    build.mkdir(parents=True)
    store = ox.Store(str(build / STORE_DIR))
    parts = split_lines(data, loaders) if loaders > 1 else [data]
    began = time.perf_counter()
    with ThreadPoolExecutor(len(parts)) as pool:
        loads = [pool.submit(store.bulk_load, path=part, format=ox.RdfFormat.N_QUADS,
                             lenient=True) for part in parts]
        for load in loads:
            load.result()
    store.flush()
    loaded = time.perf_counter() - began
    for part in parts:
        if part != data:
            part.unlink()
    began = time.perf_counter()
    store.optimize()
    optimized = time.perf_counter() - began
    del store
    shutil.copytree(PROJECT / "queries", build / "queries")
    info = {"version": version, "triples": counts}
    (build / BUILD_INFO).write_text(json.dumps(info, indent=2) + "\n")
    (home / CURRENT).symlink_to(build.relative_to(home), target_is_directory=True)
    return {"load_seconds": loaded, "optimize_seconds": optimized, "loaders": len(parts)}


@contextmanager
def virtuoso_loaded(work: Path, data: Path) -> Iterator[dict[str, Any] | None]:
    """A new Virtuoso database loaded with ``data`` by its bulk loader, running until the
    block ends: its endpoint, process id, load time and triples; ``None`` without Virtuoso."""
    virtuoso, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if virtuoso is None or isql is None:
        yield None
        return
    folder = work / "virtuoso"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(
        folder=folder, data=data.parent, sql_port=sql_port, http_port=http_port))
    with (folder / "stdout.log").open("wb") as log:
        process = subprocess.Popen(
            [virtuoso, "+configfile", str(ini), "+foreground"], cwd=folder,
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        try:
            endpoint = f"http://127.0.0.1:{http_port}/sparql"
            _wait(lambda: httpx.get(endpoint, params={"query": "ASK {}"}).status_code == 200)
            began = time.perf_counter()
            statements = (
                f"ld_dir('{data.parent}', '{data.name}', 'https://w3id.org/ndkg/graph/asserted');"
                " rdf_loader_run(); checkpoint;"
            )
            subprocess.run([isql, str(sql_port), "dba", "dba", f"exec={statements}"],
                           check=True, capture_output=True, timeout=4 * 3600)
            seconds = time.perf_counter() - began
            answer = httpx.post(endpoint, data={
                "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                         "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/ndkg/')) }",
            }, headers={"Accept": RESULTS}, timeout=600)
            triples = int(answer.json()["results"]["bindings"][0]["n"]["value"])
            yield {"endpoint": endpoint, "pid": process.pid, "load_seconds": seconds,
                   "triples": triples}
        finally:
            process.terminate()
            try:
                process.wait(120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    shutil.rmtree(folder, ignore_errors=True)


RDFLIB_RUN = """\
import json, resource, signal, statistics, sys, time
from rdflib import Dataset, URIRef
data, questions = sys.argv[1], json.loads(sys.argv[2])
requests, budget = int(sys.argv[3]), float(sys.argv[4])


class OutOfTime(Exception):
    pass


def out_of_time(*_):
    raise OutOfTime


signal.signal(signal.SIGALRM, out_of_time)
began = time.perf_counter()
dataset = Dataset(default_union=True)
dataset.parse(data, format="nquads")
result = {"load_seconds": time.perf_counter() - began, "questions": {}}
for name, (text, bindings) in questions.items():
    bound = {key: URIRef(value) for key, value in bindings.items()}
    times, rows = [], 0
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        while len(times) < requests:
            began = time.perf_counter()
            rows = len(list(dataset.query(text, initBindings=bound)))
            times.append(time.perf_counter() - began)
    except OutOfTime:
        pass
    signal.setitimer(signal.ITIMER_REAL, 0)
    result["questions"][name] = {"rows": rows, "requests": len(times)} if not times else {
        "rows": rows, "requests": len(times), "p50_ms": statistics.median(times) * 1000,
        "p99_ms": (statistics.quantiles(times, n=100)[98] if len(times) > 1 else times[0]) * 1000,
    }
result["peak_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(result))
"""
"""rdflib's part of the benchmark: each question asked until ``--requests`` answers or
``--budget`` seconds; a question with no answer within the budget has no times."""


def rdflib_run(home: Path, data: Path, requests: int, budget: float) -> dict[str, Any]:
    """rdflib in a new process: parse ``data`` into a ``Dataset``, then ask each question in
    process (its values bound with ``initBindings``); times and peak memory."""
    questions = {
        name: (parse_question(home / CURRENT / "queries" / f"{name}.rq").sparql, values)
        for name, values in BOUND.items()
    }
    done = subprocess.run(
        [sys.executable, "-c", RDFLIB_RUN, str(data), json.dumps(questions), str(requests),
         str(budget)],
        check=True, capture_output=True, text=True,
    )
    return dict(json.loads(done.stdout))


def _wait(ready: Any, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise RuntimeError("the server did not get ready")


@contextmanager
def ndkg_serve(home: Path, backend: str | None = None) -> Iterator[tuple[str, int]]:
    """``ndkg serve`` on ``home`` (or on ``backend``, a SPARQL endpoint): its URL and
    process id."""
    port = free_port()
    # Without the answer cache, so that every request runs its query.
    env = {**os.environ, "NDKG_QUERY_WORKERS": "1", "NDKG_ANSWER_CACHE_BYTES": "0"}
    options = ["--backend", backend] if backend else []
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "ndkg", "serve", "--out", str(home), "--port", str(port),
             *options],
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait(lambda: httpx.get(f"{url}/readyz", timeout=5).status_code == 200)
            yield url, process.pid
        finally:
            process.terminate()
            process.wait(60)


def ask(client: httpx.Client, name: str) -> tuple[float, int]:
    """Ask question ``name`` once; its latency (s) and number of rows."""
    began = time.perf_counter()
    response = client.get(f"/questions/{name}", params=QUESTIONS[name],
                          headers={"Accept": RESULTS})
    seconds = time.perf_counter() - began
    response.raise_for_status()
    return seconds, len(response.json()["results"]["bindings"])


def latencies(
    url: str, name: str, requests: int, clients: int, budget: float
) -> tuple[list[float], float]:
    """The latencies of up to ``requests`` answers to question ``name`` from ``clients``
    concurrent clients, asked until ``budget`` seconds have passed, and the time they took."""
    began = time.perf_counter()
    deadline = began + budget

    def client_loop(share: int) -> list[float]:
        times: list[float] = []
        with httpx.Client(base_url=url, timeout=3600) as client:
            while len(times) < share and (not times or time.perf_counter() < deadline):
                times.append(ask(client, name)[0])
        return times

    shares = [requests // clients + (i < requests % clients) for i in range(clients)]
    with ThreadPoolExecutor(clients) as pool:
        times = [t for part in pool.map(client_loop, shares) for t in part]
    return times, time.perf_counter() - began


def peak_memory(pid: int) -> int:
    """The peak resident memory (bytes) of process ``pid`` and its child processes, summed."""
    total = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            total += int(line.split()[1]) * 1024
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += peak_memory(int(child))
    return total


def serve(home: Path, requests: int, budget: float, backend: str | None = None) -> dict[str, Any]:
    """Latency of the questions over HTTP, and the server's peak memory (with its workers)."""
    results: dict[str, Any] = {"questions": {}}
    with ndkg_serve(home, backend) as (url, pid):
        with httpx.Client(base_url=url, timeout=3600) as client:
            for name in QUESTIONS:
                try:
                    cold, rows = ask(client, name)
                except httpx.HTTPStatusError as exc:  # over the server's time limit
                    results["questions"][name] = {"refused": exc.response.text.strip()}
                    continue
                results["questions"][name] = {"cold_ms": cold * 1000, "rows": rows}
        for name in QUESTIONS:
            if "refused" in results["questions"][name]:
                continue
            for clients in (1, 4):
                try:
                    times, wall = latencies(url, name, requests, clients, budget)
                except httpx.HTTPStatusError as exc:  # over the server's time limit
                    results["questions"][name][f"{clients}_clients"] = {
                        "refused": exc.response.text.strip()}
                    continue
                results["questions"][name][f"{clients}_clients"] = {
                    "requests": len(times),
                    "p50_ms": statistics.median(times) * 1000,
                    "p99_ms": (statistics.quantiles(times, n=100)[98] if len(times) > 1
                               else times[0]) * 1000,
                    "requests_per_second": len(times) / wall,
                }
        results["server_peak_bytes"] = peak_memory(pid)
    return results


def binding(home: Path, runs: int, budget: float) -> dict[str, dict[str, float | None]]:
    """Median time (ms) of each question's query, with engine substitutions (``None`` where
    the engine refuses them) and with the values written into its text, in process on the warm
    store."""
    store = open_store(home)
    timings: dict[str, dict[str, float | None]] = {}
    for name, values in BOUND.items():
        terms = {variable: ox.NamedNode(iri) for variable, iri in values.items()}
        sparql = parse_question(home / CURRENT / "queries" / f"{name}.rq").sparql
        ways: dict[str, tuple[str, dict[str, Any]]] = {
            "substitutions_ms": (sparql, {"substitutions": {
                ox.Variable(variable): term for variable, term in terms.items()}}),
            "text_ms": (bind_text(sparql, terms), {}),
        }
        timings[name] = {}
        for way, (text, options) in ways.items():
            times: list[float] = []
            deadline = time.perf_counter() + budget
            try:
                while len(times) < runs and (not times or time.perf_counter() < deadline):
                    began = time.perf_counter()
                    list(store.store.query(text, use_default_graph_as_union=True, **options))
                    times.append(time.perf_counter() - began)
            except RuntimeError:  # a variable the engine cannot substitute
                timings[name][way] = None
                continue
            timings[name][way] = statistics.median(times) * 1000
    return timings


def machine() -> dict[str, Any]:
    """What the benchmark ran on."""
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    memory = next(int(line.split()[1]) * 1024 for line in
                  Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_bytes": memory,
            "python": platform.python_version(), "pyoxigraph": ox.__version__,
            "load_average": os.getloadavg()}


def run_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    """Every measure for one size."""
    name = label(size)
    data = args.work / f"ndkg-{name}.nq"
    print(f"== {name}: generating", file=sys.stderr, flush=True)
    began = time.perf_counter()
    core = args.home / CURRENT / RELEASE_DIR / "ndkg-full.nq"
    counts = generate(data, size, seed=args.seed, core=core, version=f"synthetic-{name}")
    result: dict[str, Any] = {"triples": size, "generate_seconds": time.perf_counter() - began,
                              "graphs": dict(counts)}
    print(f"== {name}: embedded store", file=sys.stderr, flush=True)
    home = args.work / f"home-{name}"
    result["embedded"] = build_folder(home, f"synthetic-{name}", data, dict(counts),
                                      args.loaders)
    print(f"== {name}: serving the embedded store", file=sys.stderr, flush=True)
    result["serve"] = serve(home, args.requests, args.budget)
    print(f"== {name}: binding", file=sys.stderr, flush=True)
    result["binding"] = binding(home, 5, args.budget)
    if not args.no_virtuoso:
        print(f"== {name}: Virtuoso", file=sys.stderr, flush=True)
        with virtuoso_loaded(args.work, data) as virtuoso:
            if virtuoso is not None:
                virtuoso["serve"] = serve(home, args.requests, args.budget,
                                          backend=virtuoso.pop("endpoint"))
                virtuoso["peak_bytes"] = peak_memory(virtuoso.pop("pid"))
            result["virtuoso"] = virtuoso
    if size <= args.rdflib_max:
        print(f"== {name}: rdflib", file=sys.stderr, flush=True)
        result["rdflib"] = rdflib_run(home, data, args.requests, args.budget)
    if not args.keep:
        data.unlink()
        shutil.rmtree(home, ignore_errors=True)
    return result


def _latency_cell(figures: dict[str, Any]) -> str:
    if "refused" in figures:
        return f"refused: {figures['refused']}"
    return f"{figures['requests']}, {figures['p50_ms']:,.1f}, {figures['p99_ms']:,.1f}"


def report(results: dict[str, Any]) -> None:
    """Print the results as Markdown tables."""
    sizes = results["sizes"]
    print("| triples | generate (s) | embedded load (s) | embedded triples/s | optimize (s) "
          "| Virtuoso load (s) | Virtuoso triples/s | rdflib load (s) | rdflib triples/s |")
    print("|---|" + "---:|" * 8)
    for result in sizes:
        n = result["triples"]
        embedded = result["embedded"]
        virtuoso, rdflib = result.get("virtuoso"), result.get("rdflib")
        cells = [label(n), f"{result['generate_seconds']:.1f}",
                 f"{embedded['load_seconds']:.1f}", f"{n / embedded['load_seconds']:,.0f}",
                 f"{embedded['optimize_seconds']:.1f}"]
        cells += ([f"{virtuoso['load_seconds']:.1f}", f"{n / virtuoso['load_seconds']:,.0f}"]
                  if virtuoso else ["–", "–"])
        cells += ([f"{rdflib['load_seconds']:.1f}", f"{n / rdflib['load_seconds']:,.0f}"]
                  if rdflib else ["–", "–"])
        print("| " + " | ".join(cells) + " |")
    print()
    print("| triples | question | store | rows | cold (ms) | 1 client: requests, p50, p99 (ms) "
          "| 4 clients: requests, p50, p99 (ms) | peak memory (MB) |")
    print("|---|---|---|" + "---:|" * 5)
    for result in sizes:
        n = label(result["triples"])
        servers = [("embedded", result["serve"], result["serve"]["server_peak_bytes"])]
        if result.get("virtuoso"):
            virtuoso = result["virtuoso"]
            servers.append(("Virtuoso", virtuoso["serve"],
                            virtuoso["serve"]["server_peak_bytes"] + virtuoso["peak_bytes"]))
        for name in QUESTIONS:
            for store, serve, peak in servers:
                q = serve["questions"][name]
                if "refused" in q:
                    print(f"| {n} | {name} | {store} | – | {q['refused']} | – | – "
                          f"| {peak / 2**20:,.0f} |")
                    continue
                one, four = (_latency_cell(q[f"{c}_clients"]) for c in (1, 4))
                print(f"| {n} | {name} | {store} | {q['rows']} | {q['cold_ms']:,.0f} "
                      f"| {one} | {four} | {peak / 2**20:,.0f} |")
            if result.get("rdflib"):
                rdflib = result["rdflib"]
                q = rdflib["questions"][name]
                one = (f"{q['requests']}, {q['p50_ms']:,.1f}, {q['p99_ms']:,.1f}"
                       if q["requests"] else "no answer within the budget")
                print(f"| {n} | {name} | rdflib in process | {q['rows'] if q['requests'] else '–'} "
                      f"| – | {one} | – | {rdflib['peak_bytes'] / 2**20:,.0f} |")
    print()
    print("| triples | question | engine substitutions (ms) | values in the text (ms) |")
    print("|---|---|---:|---:|")
    for result in sizes:
        for name, timing in result["binding"].items():
            engine = timing["substitutions_ms"]
            print(f"| {label(result['triples'])} | {name} | "
                  f"{'refused' if engine is None else f'{engine:,.1f}'} "
                  f"| {timing['text_ms']:,.1f} |")


def main() -> None:
    """Command line: see the module's docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=Path("build"),
                        help="Build folder of the real graph (its release is the core).")
    parser.add_argument("--work", type=Path, required=True, help="Folder for data and stores.")
    parser.add_argument("--sizes", type=float, nargs="+", default=[1e5, 1e6, 1e7])
    parser.add_argument("--rdflib-max", type=float, default=1e6,
                        help="Largest size rdflib loads (10^7 takes it too long and too much "
                        "memory on a small machine).")
    parser.add_argument("--loaders", type=int, default=os.cpu_count() or 1,
                        help="Concurrent bulk loads into the embedded store, each on a part "
                        "of the file (default: one per core).")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--budget", type=float, default=120.0,
                        help="Seconds each question may take per setting (fewer requests; "
                        "rdflib's answers are cut off at the budget).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-virtuoso", action="store_true")
    parser.add_argument("--keep", action="store_true", help="Keep the data and stores.")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine(), "command": sys.argv, "sizes": []}
    out = args.work / "results.json"
    for size in map(int, args.sizes):
        results["sizes"].append(run_size(size, args))
        out.write_text(json.dumps(results, indent=2) + "\n")
    results["machine"]["load_average_after"] = os.getloadavg()
    out.write_text(json.dumps(results, indent=2) + "\n")
    report(results)


if __name__ == "__main__":
    main()
