"""``ndkg build``: turn the curated sources into a queryable, versioned release.

Steps: parse → validate (SHACL) → reason (HermiT) → materialise → load the store → write the
release. A build is all or nothing: it is made in a staging folder under ``OUT/builds/`` and
becomes current by atomically replacing the ``OUT/current`` link, so a failed or interrupted
build leaves the previous store and release as they were. A lock file keeps two builds apart.

Named graphs (see :class:`ndkg.vocab.Graphs`): ``asserted`` (the curated ontology plus the
OWL axioms of its claims), ``inferred`` (what HermiT entails and was not asserted),
``materialised`` (direct edges of existential restrictions, claim labels), ``classification``
(every combination of known discharge features, and which of them are described too little to
decide a next step), ``mappings`` (SSSOM as triples) and ``metadata``
(VoID). The release is checked as ``robot report`` would check it (:mod:`ndkg.export.report`);
the problems found are listed in ``OUT/reports/release-report.tsv``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from ndkg import __version__
from ndkg.errors import BuildLockedError, ValidationError
from ndkg.export import report as release_checks
from ndkg.export.kgx import write_kgx
from ndkg.export.owl import owl_release
from ndkg.export.rdf import OWL_FILE, write_ontology, write_quads, write_void
from ndkg.metadata import describe, tool_versions
from ndkg.model.claims import claim_axioms
from ndkg.model.labels import claim_labels, statistic_labels
from ndkg.model.mappings import sssom_to_graph, with_version
from ndkg.model.materialise import materialise
from ndkg.model.presentations import (
    combination_types,
    combinations,
    insufficient,
    reasoning_classes,
    without_reasoning_classes,
)
from ndkg.model.reason import reason
from ndkg.model.sources import QUERIES_DIR, SHAPES_DIR, Sources, check_query, parse_all
from ndkg.model.validate import ValidationReport, load_shapes, validate
from ndkg.storage.leases import in_use
from ndkg.storage.store import BUILD_INFO, CURRENT, RELEASE_DIR, STORE_DIR
from ndkg.vocab import NDKG, ONTOLOGY_IRI, Graphs

BUILDS_DIR = "builds"
CACHE_DIR = "cache"
REPORTS_DIR = "reports"
LOCK_FILE = ".lock"
SHACL_REPORT = "shacl-report.ttl"
RELEASE_REPORT = "release-report.tsv"
KEEP_BUILDS = 2

Progress = Callable[[str, str], None]


def _silent(step: str, detail: str) -> None:
    """Default progress sink: say nothing."""


@dataclass
class BuildResult:
    """What a build did."""

    path: Path
    version: str
    skipped: bool
    triples: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    reasoning_cached: bool = False


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the build lock of ``out``.

    :raises BuildLockedError: if another build holds it.
    """
    out.mkdir(parents=True, exist_ok=True)
    with (out / LOCK_FILE).open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildLockedError(f"another build is running in {out}") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_sources(sources: Sources) -> tuple[Graph, Graph, Graph]:
    """Parse the curated ontology, the mappings (as triples) and the shapes.

    :raises SourceError: naming the file, line and column of a syntax error.
    """
    curated = parse_all(sources.ontology)
    mappings = Graph()
    for path in sources.mappings:
        mappings += sssom_to_graph(path)
    return curated, mappings, load_shapes(sources.shapes)


def validate_sources(root: Path) -> ValidationReport:
    """Validate the curated sources of the project at ``root`` against its shapes."""
    curated, mappings, shapes = load_sources(Sources.discover(Path(root)))
    return validate(curated + mappings, shapes)


def _fingerprint(hashes: dict[str, str], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for name in sorted(hashes):
        digest.update(f"{name}\0{hashes[name]}\n".encode())
    return digest.hexdigest()


def _current_info(out: Path) -> dict[str, Any]:
    info = out / CURRENT / BUILD_INFO
    found: dict[str, Any] = json.loads(info.read_text()) if info.exists() else {}
    return found


def build(
    root: Path,
    out: Path,
    *,
    version: str | None = None,
    force: bool = False,
    progress: Progress = _silent,
) -> BuildResult:
    """Build the graph of the project at ``root`` into ``out``.

    :param version: the release version (default: today's date, ``YYYY-MM-DD``).
    :param force: rebuild even when no input changed.
    :raises SourceError: a source file does not parse (file, line, column).
    :raises ValidationError: the data breaks a SHACL shape (report in ``out/reports``).
    :raises ReasoningError: the ontology is inconsistent or a class unsatisfiable.
    :raises BuildLockedError: another build is running in ``out``.
    """
    started = time.perf_counter()
    root, out = Path(root), Path(out).resolve()
    version = version or date.today().isoformat()
    with build_lock(out):
        sources = Sources.discover(root)
        hashes = sources.hashes()
        fingerprint = _fingerprint(hashes, f"{__version__}|{version}")
        current = _current_info(out)
        if not force and current.get("fingerprint") == fingerprint:
            progress("up to date", f"version {version}, inputs unchanged")
            return BuildResult(
                (out / CURRENT).resolve(), version, skipped=True,
                triples=dict(current.get("triples", {})),
                seconds=time.perf_counter() - started,
            )
        _remove_unfinished(out)
        return _build(sources, out, version, hashes, fingerprint, progress, started)


def _build(
    sources: Sources,
    out: Path,
    version: str,
    hashes: dict[str, str],
    fingerprint: str,
    progress: Progress,
    started: float,
) -> BuildResult:
    step = _Steps(progress)
    with step("parse"):
        curated, mappings, shapes = load_sources(sources)
        for query in sources.queries:
            check_query(query)
        step.detail = f"{len(curated)} ontology triples, {len(mappings)} mapping triples"

    with step("validate"):
        report = validate(curated + mappings, shapes)
        reports = out / REPORTS_DIR
        reports.mkdir(parents=True, exist_ok=True)
        (reports / SHACL_REPORT).write_text(report.to_turtle())
        if not report.conforms:
            raise ValidationError(
                f"{len(report.violations)} SHACL violation(s); report in {reports / SHACL_REPORT}"
                f"\n{report.summary()}",
                report.to_turtle(),
                [v.as_dict() for v in report.violations],
            )
        step.detail = "conforms"

    asserted = curated + claim_axioms(curated)
    _stamp_version(asserted, version)
    presentations = combinations(curated)
    with step("reason"):
        entailed, cached = _reason_cached(asserted + reasoning_classes(curated), out, hashes)
        inferred = without_reasoning_classes(entailed)
        inferred += combination_types(entailed, asserted + presentations, presentations)
        step.detail = f"{len(inferred)} inferred triples" + (" (cached)" if cached else "")

    presentations += insufficient(presentations, inferred, curated)

    with step("materialise"):
        labels = claim_labels(curated) + statistic_labels(curated)
        materialised = materialise(asserted, inferred) + labels
        step.detail = f"{len(materialised)} edges and labels"

    graphs: dict[URIRef, Graph] = {
        Graphs.ASSERTED: asserted,
        Graphs.INFERRED: inferred,
        Graphs.MATERIALISED: materialised,
        Graphs.CLASSIFICATION: presentations,
        Graphs.MAPPINGS: mappings,
    }
    graphs[Graphs.METADATA] = describe(graphs, version)
    staging = out / BUILDS_DIR / f"{version}-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    staging.mkdir(parents=True)
    with step("load store"):
        _load_store(graphs, staging / STORE_DIR)
        step.detail = f"{sum(len(g) for g in graphs.values())} quads"

    with step("release"):
        release = staging / RELEASE_DIR
        release.mkdir()
        reasoned = asserted + (inferred - _individual_types(inferred))
        ontology = owl_release(reasoned, labels, mappings)
        written = write_ontology(ontology, release)
        written.append(write_quads(graphs, release))
        written += write_kgx(graphs, release)
        written.append(write_void(graphs[Graphs.METADATA], release))
        problems = release_checks.report(release / OWL_FILE)
        (out / REPORTS_DIR / RELEASE_REPORT).write_text(
            "level\tcheck\tentity\tproperty\tvalue\n" + "".join(f"{p}\n" for p in problems)
        )
        for path in sources.mappings:
            table = with_version(path.read_text(encoding="utf-8"), version)
            (release / path.name).write_text(table, encoding="utf-8")
        for folder, paths in ((QUERIES_DIR, sources.queries), (SHAPES_DIR, sources.shapes)):
            (staging / folder).mkdir()
            for path in paths:
                shutil.copy(path, staging / folder / path.name)
        errors = sum(p.level == release_checks.ERROR for p in problems)
        step.detail = f"{len(written) + len(sources.mappings)} files, {errors} report errors"

    triples = {str(iri).rsplit("/", 1)[-1]: len(g) for iri, g in graphs.items()}
    info = {
        "version": version,
        "version_iri": _version_iri(version),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "fingerprint": fingerprint,
        "inputs": hashes,
        "triples": triples,
        "tools": tool_versions(),
        "graphs": {str(iri).rsplit("/", 1)[-1]: str(iri) for iri in graphs},
    }
    (staging / BUILD_INFO).write_text(json.dumps(info, indent=2) + "\n")
    _make_current(out, staging)
    _prune(out)
    progress("done", f"version {version} in {time.perf_counter() - started:.1f} s")
    return BuildResult(
        staging, version, skipped=False, triples=triples,
        seconds=time.perf_counter() - started, reasoning_cached=cached,
    )


class _Steps:
    """Times each step and reports it to the progress sink."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.detail = ""

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        self.detail = ""
        began = time.perf_counter()
        yield
        self.progress(name, f"{self.detail} ({time.perf_counter() - began:.2f} s)".strip())


def _version_iri(version: str) -> str:
    return f"{NDKG}releases/{version}/ndkg.owl"


def _stamp_version(asserted: Graph, version: str) -> None:
    asserted.remove((ONTOLOGY_IRI, OWL.versionInfo, None))
    asserted.add((ONTOLOGY_IRI, OWL.versionInfo, Literal(version)))
    asserted.add((ONTOLOGY_IRI, OWL.versionIRI, URIRef(_version_iri(version))))


def _individual_types(inferred: Graph) -> Graph:
    types = Graph()
    for triple in inferred.triples((None, RDF.type, None)):
        types.add(triple)
    return types


def _reason_cached(ontology: Graph, out: Path, hashes: dict[str, str]) -> tuple[Graph, bool]:
    """Reason, or reuse the result of an earlier build over the same ontology files."""
    key = _fingerprint({k: v for k, v in hashes.items() if k.endswith(".ttl")}, __version__)
    cached = out / CACHE_DIR / f"inferred-{key}.nt"
    if cached.exists():
        return Graph().parse(cached, format="nt"), True
    inferred = reason(ontology)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    inferred.serialize(destination=partial, format="nt", encoding="utf-8")
    partial.replace(cached)
    return inferred, False


def _load_store(graphs: dict[URIRef, Graph], path: Path) -> None:
    store = ox.Store(str(path))
    for iri, graph in graphs.items():
        data = graph.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(iri)))
    store.flush()
    store.optimize()
    del store


def _make_current(out: Path, staging: Path) -> None:
    """Point ``out/current`` at ``staging`` in one atomic rename."""
    link = out / CURRENT
    temporary = out / f".{CURRENT}.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(staging.relative_to(out))
    temporary.replace(link)


def _remove_unfinished(out: Path) -> None:
    """Remove staging folders of builds that never finished."""
    for folder in (out / BUILDS_DIR).glob("*") if (out / BUILDS_DIR).exists() else ():
        if not (folder / BUILD_INFO).exists():
            shutil.rmtree(folder, ignore_errors=True)


def _prune(out: Path) -> None:
    """Keep the current build, the one before it and every build a live process serves (it
    holds a lease on its ``build.json``, :mod:`ndkg.storage.leases`); remove the others."""
    current = (out / CURRENT).resolve()
    finished = sorted(
        (f for f in (out / BUILDS_DIR).iterdir() if (f / BUILD_INFO).exists()),
        key=lambda f: f.name,
    )
    keep = {current, *finished[-KEEP_BUILDS:]}
    for folder in finished:
        if folder not in keep and not in_use(folder / BUILD_INFO):
            shutil.rmtree(folder, ignore_errors=True)
