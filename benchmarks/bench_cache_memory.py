"""Memory of the ``ndkg serve`` process under many distinct long queries.

Starts ``ndkg serve`` on 127.0.0.1 over an existing build with its default answer cache
(``NDKG_ANSWER_CACHE_BYTES``, 64 MiB), posts ``--queries`` distinct queries of about 99 KB each
(a cheap ``ASK`` padded with a comment, so that every text is new and every answer is kept),
and prints the resident memory of the server process (its query workers apart) before and
after, and the bytes its answer cache counts. Run from the project folder after ``ndkg build``::

    python benchmarks/bench_cache_memory.py --home build --queries 3000
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

SPARQL_QUERY = {"Content-Type": "application/sparql-query"}


def resident_mib(pid: int) -> float:
    """The resident memory of process ``pid``, in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=Path("build"))
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--padding", type=int, default=99_000, help="characters per query")
    args = parser.parse_args()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ndkg", "serve", "--out", str(args.home), "--port", str(port)],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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
        before = resident_mib(process.pid)
        began = time.monotonic()
        statuses: dict[int, int] = {}
        with httpx.Client(base_url=url, timeout=60) as client:
            for n in range(args.queries):
                text = f"ASK {{ ?s ?p ?o }} # {n} " + "x" * args.padding
                status = client.post("/sparql", content=text, headers=SPARQL_QUERY).status_code
                statuses[status] = statuses.get(status, 0) + 1
        after = resident_mib(process.pid)
        print(f"{args.queries} distinct queries of {args.padding // 1000} KB in "
              f"{time.monotonic() - began:.0f} s: statuses {statuses}")
        print(f"server process: {before:.0f} MiB before, {after:.0f} MiB after "
              f"(answer cache limit 64 MiB)")
    finally:
        process.terminate()
        process.wait(30)


if __name__ == "__main__":
    main()
