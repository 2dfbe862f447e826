"""``ndkg validate``: SHACL only, quick, for curators."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _validate(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ndkg", "validate", "--root", str(root)],
        capture_output=True, text=True, check=False,
    )


def test_conforming_sources_exit_0(project_copy: Path) -> None:
    done = _validate(project_copy)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_violation_exits_1_and_names_focus_node_and_path(project_copy: Path) -> None:
    citations = project_copy / "ontology" / "citations.ttl"
    text = citations.read_text()
    citations.write_text(text.replace('NDKG:0000024 "40043530"', 'NDKG:0000024 "PMID:40043530"'))
    done = _validate(project_copy)
    assert done.returncode == 1
    assert "NDKG:0000703" in done.stdout and "NDKG:0000024" in done.stdout
    assert "PubMed identifier" in done.stdout
