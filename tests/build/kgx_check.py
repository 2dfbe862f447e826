"""Validate ndkg's KGX files offline with the kgx and bmt packages (run as a script by
test_kgx_tools, in its own process: kgx reads the Biolink model at import time, from the
network unless told otherwise, and this script tells it to use the biolink-model package).

Usage: python kgx_check.py RELEASE_DIR [--without-context]; prints a JSON report.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from pathlib import Path

import biolink_model
import bmt.toolkit

SCHEMA = str(Path(next(iter(biolink_model.__path__))) / "schema" / "biolink_model.yaml")
# kgx builds a Toolkit with bmt's defaults when it is imported: point them at the package.
bmt.toolkit.Toolkit.__init__.__defaults__ = (SCHEMA, {"predicate mappings": []})

import kgx.config  # noqa: E402
from kgx.transformer import Transformer  # noqa: E402
from kgx.validator import Validator  # noqa: E402
from linkml.generators.jsonldcontextgen import ContextGenerator  # noqa: E402


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def main(release: Path, with_context: bool) -> dict[str, object]:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        biolink = json.loads(ContextGenerator(SCHEMA).serialize())["@context"]
    ndkg = json.loads((release / "ndkg_kgx_context.jsonld").read_text())["@context"]
    kgx.config.jsonld_context_map["biolink"] = {**biolink, **(ndkg if with_context else {})}
    validator = Validator()
    Transformer(stream=True).transform(
        input_args={"filename": [str(release / "ndkg_nodes.tsv"),
                                 str(release / "ndkg_edges.tsv")], "format": "tsv"},
        output_args={"format": "null"},
        inspector=validator,
    )
    toolkit = bmt.toolkit.Toolkit(SCHEMA, predicate_map={"predicate mappings": []})
    nodes, edges = _rows(release / "ndkg_nodes.tsv"), _rows(release / "ndkg_edges.tsv")
    levels = set(toolkit.view.get_enum("KnowledgeLevelEnum").permissible_values)
    agents = set(toolkit.view.get_enum("AgentTypeEnum").permissible_values)
    return {
        "errors": validator.get_errors(),
        "unknown_categories": sorted({n["category"] for n in nodes}
                                     - {c for c in {n["category"] for n in nodes}
                                        if toolkit.is_category(c)}),
        "unknown_predicates": sorted({e["predicate"] for e in edges
                                      if not toolkit.is_predicate(e["predicate"])}),
        "unknown_levels": sorted({e["knowledge_level"] for e in edges} - levels),
        "unknown_agents": sorted({e["agent_type"] for e in edges} - agents),
        "unknown_edge_columns": sorted(
            c for c in edges[0] if c != "id" and toolkit.get_element(c) is None),
    }


if __name__ == "__main__":
    report = main(Path(sys.argv[1]), "--without-context" not in sys.argv)
    print(json.dumps(report, default=str))
