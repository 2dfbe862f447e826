"""The curated sources that ship with the package, and where a command finds its sources.

A wheel carries ``ontology/``, ``shapes/`` and ``queries/`` (and the data licence) as package
data under ``ndkg/data/``, so ``ndkg build`` works in any folder once ndkg is installed. In a
source checkout or an editable install they are read where they are edited, at the top of the
repository.

Which sources a command uses when it is given no ``--root``:

1. the current folder, if it is a source tree (it holds ``ontology/`` with Turtle files): the
   repository, or a folder made by ``ndkg init``;
2. otherwise the sources bundled with the package.

>>> (bundled_root() / "ontology" / "ndkg-edit.ttl").is_file()
True
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ndkg.model.sources import ONTOLOGY_DIR, QUERIES_DIR, SHAPES_DIR

SOURCE_FOLDERS = (ONTOLOGY_DIR, SHAPES_DIR, QUERIES_DIR)
DATA_LICENCE = "LICENSE-DATA"
_PACKAGE = Path(__file__).resolve().parent
_INSTALLED = _PACKAGE / "data"
_CHECKOUT = _PACKAGE.parents[1]  # src/ndkg -> the repository


def is_source_tree(folder: Path) -> bool:
    """Whether ``folder`` holds curated sources (``ontology/`` with Turtle files)."""
    return any((Path(folder) / ONTOLOGY_DIR).rglob("*.ttl"))


def bundled_root() -> Path:
    """The folder of the sources that came with the package.

    :raises FileNotFoundError: if the installation carries no sources (a broken install).
    """
    for candidate in (_INSTALLED, _CHECKOUT):
        if is_source_tree(candidate):
            return candidate
    raise FileNotFoundError(f"ndkg is installed without its sources (looked in {_INSTALLED})")


def default_root(cwd: Path | None = None) -> Path:
    """The sources a command uses without ``--root``: ``cwd`` if it is a source tree, else
    the bundled ones."""
    here = Path.cwd() if cwd is None else Path(cwd)
    return here if is_source_tree(here) else bundled_root()


def init_project(dest: Path) -> list[Path]:
    """Copy the bundled sources into ``dest`` (created if needed) for editing.

    :returns: the folders and files written.
    :raises FileExistsError: if ``dest`` already holds one of the source folders.
    """
    dest = Path(dest)
    taken = [name for name in (*SOURCE_FOLDERS, DATA_LICENCE) if (dest / name).exists()]
    if taken:
        raise FileExistsError(f"{dest} already holds {', '.join(taken)}")
    root = bundled_root()
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SOURCE_FOLDERS:
        written.append(Path(shutil.copytree(root / name, dest / name)))
    if (root / DATA_LICENCE).is_file():
        written.append(Path(shutil.copy(root / DATA_LICENCE, dest / DATA_LICENCE)))
    return written
