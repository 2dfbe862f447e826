"""Make a graph shaped like ndkg, of any size, as N-Quads in ndkg's named graphs.

    python benchmarks/generate.py --triples 10000000 --out scale/ndkg-1e7.nq \\
        [--core build/current/release/ndkg-full.nq] [--seed 1]

The graph is the real build (``--core``, if given) followed by synthetic knowledge of the same
shape, under ``https://w3id.org/ndkg/synthetic/``, until it holds exactly ``--triples`` quads.
Every synthetic cause has a class with its group, label, lay label, synonym and definition;
a claim with its citation, evidence code (ECO), review status, date and supporting text; the
materialised edge and claim label; an inferred superclass; and an SSSOM mapping (the axiom and
the skos link). Every ten causes share a presentation (a condition under ``nipple discharge``)
with a classified combination of features; every hundred, a citation; every thousand, a group.
A metadata graph with the version and the triples of each graph closes the file.

The synthetic part reuses ndkg's vocabulary (classes, properties, review statuses, ECO codes)
but links only to synthetic presentations and feature values: the graph grows in breadth, as
an ontology does when it covers more conditions, and a question about the article's own terms
(``laterality=unilateral character=bloody``) keeps an answer of the same size at any scale.

Output is written line by line: memory stays flat at any size. The same ``--seed`` and sizes
give the same bytes.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

NDKG = "https://w3id.org/ndkg/"
SYNTHETIC = NDKG + "synthetic/"
OBO = "http://purl.obolibrary.org/obo/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OBOINOWL = "http://www.geneontology.org/formats/oboInOwl#"
SSSOM = "https://w3id.org/sssom/"
VOID = "http://rdfs.org/ns/void#"

GRAPHS = {name: f"<{NDKG}graph/{name}>" for name in (
    "asserted", "materialised", "inferred", "classification", "mappings", "metadata")}
FEATURES = ("0000007", "0000008", "0000009", "0000010", "0000011")
"""ndkg's feature properties: laterality, ducts, colour or character, onset, context."""
EVIDENCE = (f"<{OBO}ECO_0000303>", f"<{OBO}ECO_0000304>")
REVIEW = tuple(f"<{NDKG}NDKG_{n:07d}>" for n in (600, 601, 602))
A = f"<{RDF}type>"
LABEL = f"<{RDFS}label>"
SUBCLASS = f"<{RDFS}subClassOf>"
CLASS = f"<{OWL}Class>"
CAUSES_OR_CONTRIBUTES = f"<{OBO}RO_0003302>"
CLOSE_MATCH = f"<{SKOS}closeMatch>"
MANUAL_CURATION = "<https://w3id.org/semapv/vocab/ManualMappingCuration>"
SUBSETS = tuple(name for name in GRAPHS if name != "metadata")
METADATA_QUADS = 3 + 2 * len(SUBSETS)


def ndkg(number: str) -> str:
    """An ndkg term, written as in N-Quads."""
    return f"<{NDKG}NDKG_{number}>"


def synthetic(kind: str, number: int) -> str:
    """A synthetic term."""
    return f"<{SYNTHETIC}{kind}/{number}>"


def literal(text: str, datatype: str | None = None) -> str:
    """A literal (the generated texts need no escapes)."""
    return f'"{text}"' if datatype is None else f'"{text}"^^<{XSD}{datatype}>'


def synthetic_quads(seed: int) -> Iterator[tuple[str, str, str, str]]:
    """Synthetic knowledge, cause after cause, without end."""
    rng = random.Random(seed)
    cause = 0
    while True:
        presentation = cause // 10
        if cause % 1000 == 0:
            yield from _group(cause // 1000)
        if cause % 100 == 0:
            yield from _citation(cause // 100)
        if cause % 10 == 0:
            yield from _presentation(presentation, rng)
        yield from _cause(cause, presentation, rng)
        cause += 1


def _group(number: int) -> Iterator[tuple[str, str, str, str]]:
    group, asserted = synthetic("group", number), GRAPHS["asserted"]
    yield group, A, CLASS, asserted
    yield group, SUBCLASS, ndkg("0000100"), asserted
    yield group, LABEL, literal(f"synthetic cause group {number}"), asserted


def _citation(number: int) -> Iterator[tuple[str, str, str, str]]:
    citation, asserted = synthetic("citation", number), GRAPHS["asserted"]
    yield citation, A, ndkg("0000109"), asserted
    yield citation, LABEL, literal(f"Synthetic review {number} (2025)"), asserted
    yield citation, ndkg("0000026"), ndkg("0000613"), asserted


def _presentation(number: int, rng: random.Random) -> Iterator[tuple[str, str, str, str]]:
    presentation, combination = synthetic("presentation", number), synthetic("combination", number)
    asserted, classification = GRAPHS["asserted"], GRAPHS["classification"]
    yield presentation, A, CLASS, asserted
    yield presentation, SUBCLASS, ndkg("0000117"), asserted
    yield presentation, LABEL, literal(f"synthetic presentation {number}"), asserted
    yield presentation, ndkg("0000001"), literal(f"leak of kind {number}"), asserted
    yield combination, A, ndkg("0000117"), classification
    yield combination, A, presentation, classification
    for feature in FEATURES:
        value = synthetic(f"feature/{feature}", rng.randrange(50))
        yield combination, ndkg(feature), value, classification


def _cause(
    number: int, presentation: int, rng: random.Random
) -> Iterator[tuple[str, str, str, str]]:
    cause, claim = synthetic("cause", number), synthetic("claim", number)
    condition = synthetic("presentation", presentation)
    citation = synthetic("citation", rng.randrange(number // 100 + 1))
    external, axiom = synthetic("external", number), f"_:m{number}"
    asserted, mappings = GRAPHS["asserted"], GRAPHS["mappings"]
    yield cause, A, CLASS, asserted
    yield cause, SUBCLASS, synthetic("group", number // 1000), asserted
    yield cause, LABEL, literal(f"synthetic cause {number}"), asserted
    yield cause, ndkg("0000001"), literal(f"everyday words for cause {number}"), asserted
    yield cause, f"<{OBOINOWL}hasExactSynonym>", literal(f"cause number {number}"), asserted
    yield cause, f"<{OBO}IAO_0000115>", literal(
        f"A synthetic cause of breast milk leakage or nipple discharge, number {number}, "
        "generated to measure ndkg at scale."), asserted
    yield claim, A, ndkg("0000107"), asserted
    yield claim, f"<{RDF}subject>", cause, asserted
    yield claim, f"<{RDF}predicate>", CAUSES_OR_CONTRIBUTES, asserted
    yield claim, f"<{RDF}object>", condition, asserted
    yield claim, ndkg("0000006"), citation, asserted
    yield claim, f"<{OBO}RO_0002558>", rng.choice(EVIDENCE), asserted
    yield claim, ndkg("0000003"), rng.choice(REVIEW), asserted
    yield claim, ndkg("0000004"), literal(
        f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}", "date"), asserted
    yield claim, ndkg("0000002"), literal(
        f"Synthetic cause {number} can cause or contribute to presentation {presentation}."
    ), asserted
    yield cause, CAUSES_OR_CONTRIBUTES, condition, GRAPHS["materialised"]
    yield claim, LABEL, literal(
        f"synthetic cause {number} causes or contributes to condition synthetic presentation "
        f"{presentation}"), GRAPHS["materialised"]
    yield cause, SUBCLASS, ndkg("0000100"), GRAPHS["inferred"]
    yield cause, CLOSE_MATCH, external, mappings
    yield axiom, A, f"<{OWL}Axiom>", mappings
    yield axiom, f"<{OWL}annotatedSource>", cause, mappings
    yield axiom, f"<{OWL}annotatedProperty>", CLOSE_MATCH, mappings
    yield axiom, f"<{OWL}annotatedTarget>", external, mappings
    yield axiom, f"<{SSSOM}mapping_justification>", MANUAL_CURATION, mappings
    yield axiom, f"<{SSSOM}object_label>", literal(f"external term {number}"), mappings


def metadata(version: str, counts: Counter[str]) -> Iterator[tuple[str, str, str, str]]:
    """The metadata graph: the dataset's version and the triples of each graph."""
    dataset, graph = f"<{NDKG}dataset>", GRAPHS["metadata"]
    yield dataset, A, f"<{VOID}Dataset>", graph
    yield dataset, f"<{OWL}versionInfo>", literal(version), graph
    yield dataset, f"<{VOID}triples>", literal(str(sum(counts.values())), "integer"), graph
    for name in SUBSETS:
        yield dataset, f"<{VOID}subset>", GRAPHS[name], graph
        yield GRAPHS[name], f"<{VOID}triples>", literal(str(counts[name]), "integer"), graph


def generate(out: Path, triples: int, *, seed: int = 1, core: Path | None = None,
             version: str = "synthetic") -> Counter[str]:
    """Write ``triples`` quads to ``out``; return the quads written per graph.

    :raises ValueError: if ``triples`` is too small for the core and the metadata graph.
    """
    names = {iri: name for name, iri in GRAPHS.items()}
    counts: Counter[str] = Counter()
    with out.open("w", encoding="utf-8", buffering=1 << 20) as handle:
        if core is not None:
            for quad in ox.parse(path=core, format=ox.RdfFormat.N_QUADS):
                name = names.get(str(quad.graph_name))
                if name in (None, "metadata"):
                    continue
                handle.write(f"{quad} .\n")
                counts[name] += 1
        budget = triples - sum(counts.values()) - METADATA_QUADS
        if budget < 0:
            raise ValueError(f"{triples} triples cannot hold the core graph and the metadata")
        for subject, predicate, obj, graph in synthetic_quads(seed):
            if budget == 0:
                break
            handle.write(f"{subject} {predicate} {obj} {graph} .\n")
            counts[names[graph]] += 1
            budget -= 1
        for quad in metadata(version, counts):
            handle.write(" ".join(quad) + " .\n")
    counts["metadata"] = METADATA_QUADS
    return counts


def main() -> None:
    """Command line: see the module's docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=float, required=True, help="Quads to write (1e7 ...).")
    parser.add_argument("--out", type=Path, required=True, help="The N-Quads file to write.")
    parser.add_argument("--core", type=Path, help="The real build's ndkg-full.nq, written first.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--version", default="synthetic", help="The dataset's owl:versionInfo.")
    arguments = parser.parse_args()
    counts = generate(arguments.out, int(arguments.triples), seed=arguments.seed,
                      core=arguments.core, version=arguments.version)
    print(f"{sum(counts.values())} quads → {arguments.out}: {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
