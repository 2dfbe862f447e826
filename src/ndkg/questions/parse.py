"""Parse a ``.rq`` file with a grlc header (``#+ key: value`` lines, YAML).

Keys read: ``summary``, ``description``, ``tags``, ``defaults`` (grlc's list of one-entry
maps), and ndkg's ``params`` (per parameter: ``description``; ``values``, a SELECT with
``?value`` and ``?label`` listing the allowed values; ``example``, a value to show the question
with when it has no default). Parameters are the query's variables
named in grlc's way: ``?_name_kind`` required, ``?__name_kind`` optional, in the order the
``params`` header lists them (then in the order the query names them).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ndkg.errors import SourceError
from ndkg.questions.model import Kind, Parameter, Question

_PARAM = re.compile(r"\?(__?)([A-Za-z][A-Za-z0-9]*)_(iri|literal|integer|number)\b")


def parse_question(path: Path) -> Question:
    """Parse one named question.

    :raises SourceError: if the header is not valid YAML or lacks a summary.
    """
    text = path.read_text(encoding="utf-8")
    header_lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        raise SourceError(path, None, None, f"bad #+ header: {exc}") from exc
    if not isinstance(header, dict) or not header.get("summary"):
        raise SourceError(path, 1, None, "the #+ header needs a summary")
    defaults: dict[str, str] = {}
    for entry in header.get("defaults") or []:
        defaults.update({str(k): str(v) for k, v in dict(entry).items()})
    described = header.get("params") or {}
    parameters: dict[str, Parameter] = {}
    for optional, name, kind in _PARAM.findall(_strip_comments(text)):
        if name in parameters:
            continue
        info = described.get(name) or {}
        parameters[name] = Parameter(
            name=name,
            variable=f"{optional}{name}_{kind}",
            kind=Kind(kind),
            required=optional == "_" and name not in defaults,
            description=str(info.get("description", "")),
            default=defaults.get(name),
            values_query=info.get("values"),
            example=str(info["example"]) if info.get("example") else None,
        )
    order = list(described)
    listed = sorted(parameters.values(),
                    key=lambda p: order.index(p.name) if p.name in order else len(order))
    return Question(
        name=path.stem,
        summary=str(header["summary"]).strip(),
        description=str(header.get("description", "")).strip(),
        sparql=text,
        parameters=tuple(listed),
        tags=tuple(str(t) for t in header.get("tags") or ()),
    )


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
