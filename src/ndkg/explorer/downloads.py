"""The release files of a build, described for a downloads page.

A build folder holds ``release/`` (the files written by the build) and ``build.json`` (its
metadata); both are offered, each with its format, media type and size.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ndkg.store import BUILD_INFO, RELEASE_DIR

FORMATS = {
    "ndkg.owl": ("OWL (RDF/XML): the ontology", "application/rdf+xml"),
    "ndkg.ttl": ("Turtle: the ontology", "text/turtle"),
    "ndkg.jsonld": ("JSON-LD: the ontology", "application/ld+json"),
    "context.jsonld": ("JSON-LD context: ndkg's prefixes", "application/ld+json"),
    "ndkg.nt": ("N-Triples: the ontology", "application/n-triples"),
    "ndkg-full.nq": ("N-Quads: every named graph of the build", "application/n-quads"),
    "ndkg_nodes.tsv": ("KGX nodes (Biolink Model)", "text/tab-separated-values"),
    "ndkg_edges.tsv": ("KGX edges (Biolink Model), one per claim", "text/tab-separated-values"),
    "ndkg.sssom.tsv": ("SSSOM: mappings to other ontologies", "text/tab-separated-values"),
    "void.ttl": ("VoID: statistics of the dataset", "text/turtle"),
    BUILD_INFO: ("Build metadata: version, inputs, tools, triple counts", "application/json"),
}
"""What each known release file is, and its media type."""


@dataclass(frozen=True)
class ReleaseFile:
    """A downloadable file of the current build."""

    name: str
    path: Path
    description: str
    media_type: str
    size: int

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
    """The files of the build in folder ``build``: its release files, then its metadata."""
    paths = sorted((build / RELEASE_DIR).glob("*")) if (build / RELEASE_DIR).is_dir() else []
    paths.append(build / BUILD_INFO)
    files = []
    for path in paths:
        if not path.is_file():
            continue
        description, media_type = FORMATS.get(path.name, (path.name, "application/octet-stream"))
        files.append(ReleaseFile(path.name, path, description, media_type, path.stat().st_size))
    order = list(FORMATS)
    return sorted(files, key=lambda f: (order.index(f.name) if f.name in order else len(order),
                                        f.name))
