"""Time ``ndkg build`` as a user runs it: clean, unchanged, and after an edit of the mappings.

    python benchmarks/bench_build.py [--root .] [--repeat 3]

Each build is a fresh ``python -m ndkg build`` process, so the times include Python's start-up
and HermiT's Java start-up. The project's sources are copied into a temporary folder first; the
mappings edit is made to that copy (a blank line appended to the SSSOM table, which changes
its hash but not the ontology's, so the reasoner's cached result is reused).

Prints a Markdown table of the median and fastest times, the triples in each named graph, and
the command that produced it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCES = ("ontology", "shapes", "queries")
TARGETS = {"clean build": 30.0, "no-change rebuild": 3.0}


def ndkg_build(root: Path, out: Path, *extra: str) -> float:
    """Run one build in a new process; return its wall-clock time in seconds.

    :raises subprocess.CalledProcessError: if the build fails.
    """
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ndkg", "build", "--root", str(root), "--out", str(out), *extra],
        check=True, capture_output=True, text=True,
    )
    return time.perf_counter() - began


def run(root: Path, repeat: int) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Time each kind of build ``repeat`` times; return the times and the triple counts."""
    times: dict[str, list[float]] = {
        "clean build": [], "no-change rebuild": [], "rebuild after a mappings edit": []}
    with tempfile.TemporaryDirectory(prefix="ndkg-bench-") as folder:
        project = Path(folder) / "project"
        for name in SOURCES:
            shutil.copytree(root / name, project / name)
        mappings = sorted((project / "ontology" / "mappings").glob("*.sssom.tsv"))[0]
        for attempt in range(repeat):
            out = Path(folder) / f"out-{attempt}"
            times["clean build"].append(ndkg_build(project, out, "--force"))
            times["no-change rebuild"].append(ndkg_build(project, out))
            with mappings.open("a", encoding="utf-8") as handle:
                handle.write("\n")
            times["rebuild after a mappings edit"].append(ndkg_build(project, out))
        info = json.loads((out / "current" / "build.json").read_text())
    return times, dict(info["triples"])


def report(times: dict[str, list[float]], triples: dict[str, int], command: str) -> str:
    """The results as Markdown."""
    lines = [
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}",
        "",
        "| build | median (s) | fastest (s) | target (s) |",
        "|---|---:|---:|---:|",
    ]
    for kind, values in times.items():
        target = TARGETS.get(kind)
        lines.append(
            f"| {kind} | {statistics.median(values):.2f} | {min(values):.2f} "
            f"| {f'< {target:.0f}' if target else ''} |"
        )
    lines += ["", "| named graph | triples |", "|---|---:|"]
    lines += [f"| {name} | {count} |" for name, count in triples.items()]
    lines += [f"| total | {sum(triples.values())} |", "", f"Command: `{command}`"]
    return "\n".join(lines)


def main() -> None:
    """Parse the arguments, run the builds and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1],
                        help="project folder holding ontology/, shapes/ and queries/")
    parser.add_argument("--repeat", type=int, default=3, help="builds of each kind")
    args = parser.parse_args()
    times, triples = run(args.root, args.repeat)
    command = shlex.join(["python", "benchmarks/bench_build.py", *sys.argv[1:]])
    print(report(times, triples, command))


if __name__ == "__main__":
    main()
