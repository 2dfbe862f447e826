"""The files of a build, described for a downloads page: what each is for and which tools read
it.

A build folder holds ``release/`` (the files written by the build) and ``build.json`` (its
metadata); the build writes its reports beside the builds, in ``OUT/reports/`` (the SHACL
report and the check of the OWL release, :mod:`ndkg.build`). Every file of ``release/`` is
offered, described when it is known (:data:`FILES`), and the reports when they are those of
the build served: a later build, even one that failed, writes them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ndkg.build import RELEASE_REPORT, REPORTS_DIR, SHACL_REPORT
from ndkg.storage.store import BUILD_INFO, RELEASE_DIR

RELEASE = "Release"
BUILD = "About the build"
REPORTS = "Reports"
GROUPS = (RELEASE, BUILD, REPORTS)


@dataclass(frozen=True)
class Known:
    """What a file of the build is, what it is for, the tools that read it and its media
    type."""

    group: str
    description: str
    tools: str
    media_type: str


FILES: dict[str, Known] = {
    "ndkg.owl": Known(
        RELEASE, "The ontology in OWL (RDF/XML laid out as the OWL API writes it, with its "
        "version IRI); each claim is an annotation of the axiom it supports.",
        "OWL API, ROBOT, Protégé, pronto, OAK", "application/rdf+xml"),
    "ndkg.ttl": Known(
        RELEASE, "The ontology as Turtle: the same triples, for reading and loading.",
        "rdflib, Apache Jena, any RDF tool", "text/turtle"),
    "ndkg.nt": Known(
        RELEASE, "The ontology as N-Triples: one triple a line, for bulk loading.",
        "any RDF tool or triple store", "application/n-triples"),
    "ndkg.jsonld": Known(
        RELEASE, "The ontology as JSON-LD, with OBO CURIEs (\"NDKG:0000224\").",
        "PyLD, jsonld.js, rdflib", "application/ld+json"),
    "context.jsonld": Known(
        RELEASE, "The JSON-LD 1.1 context: every prefix, so that the CURIEs of ndkg.jsonld "
        "expand.", "PyLD, jsonld.js, rdflib", "application/ld+json"),
    "ndkg-full.nq": Known(
        RELEASE, "Every named graph of the build as N-Quads (asserted, inferred, materialised, "
        "classification, mappings, metadata), claims as RDF reification.",
        "Oxigraph, Virtuoso, Fuseki, GraphDB, any quad store", "application/n-quads"),
    "ndkg_nodes.tsv": Known(
        RELEASE, "KGX nodes in Biolink Model terms.", "kgx, bmt", "text/tab-separated-values"),
    "ndkg_edges.tsv": Known(
        RELEASE, "KGX edges in Biolink Model terms, one per claim, with publications, "
        "evidence and knowledge level.", "kgx, bmt", "text/tab-separated-values"),
    "ndkg_kgx_context.jsonld": Known(
        RELEASE, "The prefix Biolink's JSON-LD context lacks (NDKG): add it to the Biolink "
        "context to validate or merge the KGX files.", "kgx", "application/ld+json"),
    "ndkg.sssom.tsv": Known(
        RELEASE, "The mappings to HPO, MONDO, DOID, ChEBI, PR, GO and NCIT as an SSSOM table "
        "with its metadata.", "sssom-py, OAK", "text/tab-separated-values"),
    "void.ttl": Known(
        RELEASE, "VoID and DCAT description of the dataset: version, licence, graphs, triple "
        "counts.", "any RDF tool, dataset catalogues", "text/turtle"),
    BUILD_INFO: Known(
        BUILD, "The build's version, the hashes of its inputs, triple counts per graph and "
        "the versions of the tools that made it.", "any JSON reader; ndkg stats",
        "application/json"),
    SHACL_REPORT: Known(
        REPORTS, "The SHACL validation report of the curated sources (sh:ValidationReport).",
        "pySHACL, any RDF tool", "text/turtle"),
    RELEASE_REPORT: Known(
        REPORTS, "The check of the OWL release as robot report makes it: one problem a row "
        "(level, check, entity, property, value); empty below its header when there are "
        "none.", "a spreadsheet, pandas, csvkit", "text/tab-separated-values"),
}
"""Every file a build writes that the downloads page describes, by name."""


@dataclass(frozen=True)
class ReleaseFile:
    """A downloadable file of the current build."""

    name: str
    path: Path
    description: str
    media_type: str
    size: int
    group: str = RELEASE
    tools: str = ""

    @property
    def human_size(self) -> str:
        """The size for people: ``1.5 kB``, ``648 kB``, ``2.1 MB``.

        >>> ReleaseFile("x", Path("x"), "", "", 663166).human_size
        '648 kB'
        """
        size = float(self.size)
        for unit in ("bytes", "kB", "MB"):
            if size < 1024 or unit == "MB":
                break
            size /= 1024
        if unit == "bytes":
            return f"{int(size)} bytes"
        return f"{size:.1f} {unit}" if size < 10 else f"{size:.0f} {unit}"


def release_files(build: Path) -> list[ReleaseFile]:
    """The files of the build in folder ``build``: its release files, its metadata, and the
    reports of that build."""
    paths = sorted((build / RELEASE_DIR).glob("*")) if (build / RELEASE_DIR).is_dir() else []
    paths.append(build / BUILD_INFO)
    paths += _reports(build)
    files = []
    for path in paths:
        if not path.is_file():
            continue
        known = FILES.get(path.name, Known(RELEASE, path.name, "", "application/octet-stream"))
        files.append(ReleaseFile(path.name, path, known.description, known.media_type,
                                 path.stat().st_size, known.group, known.tools))
    order = list(FILES)
    return sorted(files, key=lambda f: (GROUPS.index(f.group), order.index(f.name)
                                        if f.name in order else len(order), f.name))


def _reports(build: Path) -> list[Path]:
    """The reports of the build in ``build``: those in ``OUT/reports`` written no later than
    its ``build.json`` (a later build writes them again)."""
    info = build / BUILD_INFO
    if not info.is_file():
        return []
    finished = info.stat().st_mtime
    folder = build.parent.parent / REPORTS_DIR
    found = [folder / SHACL_REPORT, folder / RELEASE_REPORT]
    return [path for path in found if path.is_file() and path.stat().st_mtime <= finished]
