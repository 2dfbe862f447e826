"""The ``ndkg`` command line: thin commands over the library.

Exit codes (each failure prints one line, ``error: ...``, on standard error):

====  ==========================================================
0     success
1     the data breaks a SHACL shape (``build``, ``validate``)
2     wrong usage (unknown option, missing argument, ``init`` into a source tree)
3     a source file does not parse (file:line:column is printed)
4     the reasoner finds the ontology inconsistent
5     another build is running in the same folder
6     no finished build to read (run ``ndkg build`` first), or the SPARQL store cannot be
      reached or refuses the graph (``publish``, ``serve --backend``)
7     the query is malformed, or a named question or parameter is wrong
8     no curated sources where they were looked for (``--root`` without ``ontology/*.ttl``)
9     Java, which the HermiT reasoner runs on, is not installed
10    the service cannot listen on its host and port (the port is taken)
====  ==========================================================

Sources: without ``--root``, a command reads the current folder if it is a source tree (it
holds ``ontology/``, as the repository and a folder made by ``ndkg init`` do), otherwise the
sources bundled with the package (:mod:`ndkg.bundled`).

Colour: none when ``NO_COLOR`` is set (https://no-color.org), when ``TERM=dumb``, or when the
output is not a terminal.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ndkg import __version__
from ndkg.errors import (
    AddressInUseError,
    BuildLockedError,
    JavaNotFoundError,
    NdkgError,
    QueryError,
    QuestionError,
    ReasoningError,
    SourceError,
    SourcesNotFoundError,
    StoreError,
    ValidationError,
)

# The first type an error is an instance of gives its code: subclasses come first.
EXIT_CODES: dict[type[NdkgError], int] = {
    ValidationError: 1,
    SourcesNotFoundError: 8,
    SourceError: 3,
    ReasoningError: 4,
    BuildLockedError: 5,
    StoreError: 6,
    QueryError: 7,
    QuestionError: 7,
    JavaNotFoundError: 9,
    AddressInUseError: 10,
}

app = typer.Typer(
    name="ndkg",
    help="Build, validate, query and serve the Nipple Discharge & Lactation Knowledge Graph.",
    no_args_is_help=True,
    add_completion=False,
)

RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help="Folder holding ontology/, shapes/ and queries/ (default: the current folder if "
        "it holds them, else the sources bundled with ndkg).",
    ),
]
OutOption = Annotated[
    Path, typer.Option("--out", "-o", help="Build folder (holds current/, builds/, reports/).")
]


def colour_allowed() -> bool:
    """Whether colour may be used: not with ``NO_COLOR`` set to anything, nor ``TERM=dumb``."""
    return not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _echo(text: str, colour: str | None = None) -> None:
    """Print ``text`` on standard error, in ``colour`` where colour is allowed."""
    use = None if colour_allowed() else False  # None: colour only on a terminal
    typer.secho(text, fg=colour if use is None else None, err=True, color=use)


@contextmanager
def _exit_on_error() -> Iterator[None]:
    """Print an ndkg error on stderr as one line and exit with its documented code."""
    try:
        yield
    except NdkgError as exc:
        code = next((c for t, c in EXIT_CODES.items() if isinstance(exc, t)), 1)
        message = str(exc)
        if not isinstance(exc, ValidationError | SourceError):  # those print their report
            message = " ".join(message.split())
        _echo(f"error: {message}", typer.colors.RED)
        raise typer.Exit(code) from exc


def _progress(step: str, detail: str) -> None:
    tick = typer.style("✓", fg=typer.colors.GREEN) if colour_allowed() else "✓"
    typer.echo(f"{tick} {step:<12} {detail}", err=True, color=None if colour_allowed() else False)


def _root(root: Path | None) -> Path:
    """The source folder a command reads: ``--root``, else the current folder if it is a
    source tree, else the sources bundled with ndkg."""
    from ndkg.bundled import default_root

    return root if root is not None else default_root()


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"ndkg {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True,
            help="Print the version of ndkg and exit.",
        ),
    ] = False,
) -> None:
    """Build, validate, query and serve the Nipple Discharge & Lactation Knowledge Graph."""


@app.command()
def init(
    dest: Annotated[Path, typer.Argument(help="Folder to copy the sources into.")],
) -> None:
    """Copy the curated sources (ontology/, shapes/, queries/) into a folder to edit them."""
    from ndkg.bundled import init_project

    try:
        written = init_project(dest)
    except FileExistsError as exc:
        _echo(f"error: {exc}: choose a new folder", typer.colors.RED)
        raise typer.Exit(2) from exc
    for path in written:
        typer.echo(path)
    typer.echo(f"build them with: cd {dest} && ndkg build", err=True)


@app.command()
def build(
    root: RootOption = None,
    out: OutOption = Path("build"),
    version: Annotated[
        str | None, typer.Option(help="Release version (default: today, YYYY-MM-DD).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Rebuild even when no input changed.")] = False,
) -> None:
    """Parse, validate, reason, materialise, load the store and write the release."""
    from ndkg.build import build as run_build

    source = _root(root)
    _progress("sources", str(source))
    with _exit_on_error():
        result = run_build(source, out, version=version, force=force, progress=_progress)
    counts = ", ".join(f"{name} {n}" for name, n in result.triples.items())
    state = "unchanged" if result.skipped else "built"
    typer.echo(f"{state} {result.version} in {result.seconds:.1f} s → {result.path}")
    typer.echo(f"triples: {counts}")


@app.command()
def validate(root: RootOption = None) -> None:
    """Check the curated sources against the SHACL shapes (quick; no reasoning)."""
    from ndkg.build import validate_sources

    with _exit_on_error():
        report = validate_sources(_root(root))
    typer.echo(report.summary())
    if not report.conforms:
        raise typer.Exit(1)


class OutputFormat(StrEnum):
    """Formats of ``ndkg query`` output."""

    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"


@app.command()
def query(
    source: Annotated[
        str, typer.Argument(help="A .rq file, '-' for standard input, or a named question.")
    ],
    out: OutOption = Path("build"),
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="key=value for a named question.")
    ] = None,
    output: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="Output: a table, or SPARQL JSON, CSV, TSV."),
    ] = OutputFormat.table,
    root: RootOption = None,
) -> None:
    """Run a SPARQL query or a named question against the built graph."""
    from ndkg.querying.output import run_and_print

    with _exit_on_error():
        text = sys.stdin.read() if source == "-" else None
        params = dict(_split(p) for p in param or [])
        run_and_print(source, text, out, _root(root), params, output.value)


def _split(pair: str) -> tuple[str, str]:
    key, sep, value = pair.partition("=")
    if not sep:
        raise typer.BadParameter(f"expected key=value, got {pair!r}", param_hint="--param")
    return key, value


@app.command()
def stats(out: OutOption = Path("build")) -> None:
    """Print the version and triple counts of the current build."""
    from ndkg.storage.store import open_store

    with _exit_on_error():
        store = open_store(out)
    typer.echo(f"version {store.version}")
    for name, count in dict(store.info.get("triples", {})).items():
        typer.echo(f"{name:<16}{count:>8}")


@app.command()
def serve(
    out: OutOption = Path("build"),
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    backend: Annotated[
        str | None,
        typer.Option(
            help="SPARQL endpoint holding the published graph (`ndkg publish`), served "
            "instead of the build's store; the build still gives the named questions."
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes, sharing the read-only store.")
    ] = 1,
) -> None:
    """Serve the built graph: SPARQL endpoint, named questions, /ask, /classify, pages."""
    import uvicorn

    from ndkg.service import create_app
    from ndkg.service.app import SUPERVISOR
    from ndkg.service.middleware import log_config
    from ndkg.service.settings import ServiceSettings
    from ndkg.storage.store import SPARQL_SCHEME, open_store

    out = out.resolve()
    with _exit_on_error():
        open_store(SPARQL_SCHEME + backend, home=out) if backend else open_store(out)
        check_address(host, port)
    settings = ServiceSettings(home=out, host=host, port=port, backend=backend)
    if workers == 1:
        uvicorn.run(
            create_app(settings), host=host, port=port, log_level="info",
            log_config=log_config(), access_log=False,
        )
        return
    # Each server process builds its own application from the NDKG_* variables, and dies with
    # this supervisor.
    os.environ.update(
        NDKG_HOME=str(out), NDKG_HOST=host, NDKG_PORT=str(port), **{SUPERVISOR: str(os.getpid())}
    )
    if backend:
        os.environ["NDKG_BACKEND"] = backend
    uvicorn.run(
        "ndkg.service.app:create_served_app", factory=True, workers=workers, host=host,
        port=port, log_level="info", log_config=log_config(), access_log=False,
    )


@app.command()
def publish(
    endpoint: Annotated[
        str,
        typer.Option(
            help="SPARQL endpoint taking updates (Virtuoso: http://HOST:8890/sparql-auth); "
            "it also answers the check of the published version."
        ),
    ],
    graph_store: Annotated[
        str | None,
        typer.Option(
            help="Graph Store HTTP Protocol endpoint (Virtuoso: "
            "http://HOST:8890/sparql-graph-crud-auth), used instead of updates."
        ),
    ] = None,
    user: Annotated[str | None, typer.Option(help="User name (Digest or Basic auth).")] = None,
    password: Annotated[
        str | None, typer.Option(envvar="NDKG_PUBLISH_PASSWORD", help="Password.")
    ] = None,
    batch: Annotated[
        int | None,
        typer.Option(
            min=1, help="Triples per request (default: 1000 updates, 100000 with --graph-store)."
        ),
    ] = None,
    resume: Annotated[
        bool, typer.Option(help="Skip the batches an interrupted run recorded as sent.")
    ] = False,
    out: OutOption = Path("build"),
) -> None:
    """Load the current build into a SPARQL 1.1 store, into the same named graphs."""
    from ndkg.storage.publish import publish as run_publish
    from ndkg.storage.remote import RemoteStore, auth_from

    with _exit_on_error():
        result = run_publish(
            out, endpoint, graph_store=graph_store, auth=auth_from(user, password),
            batch_size=batch, resume=resume, progress=_progress,
        )
        remote = RemoteStore(endpoint, auth=auth_from(user, password))
        served = remote.version
        remote.close()
    typer.echo(
        f"published {result.version}: {result.triples} triples in {result.batches} batches "
        f"({result.skipped} skipped) in {result.seconds:.1f} s → {result.target}; "
        f"{endpoint} serves version {served}"
    )


def check_address(host: str, port: int) -> None:
    """Check that the service can listen on ``host:port`` before starting it.

    :raises AddressInUseError: if another process holds the port, or it cannot be bound.
    """
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise AddressInUseError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            raise AddressInUseError(
                f"cannot listen on {host}:{port}: {exc.strerror} "
                "(is another server running there? choose another with --port)"
            ) from exc


class ExportFormat(StrEnum):
    """Release formats of ``ndkg export``."""

    owl = "owl"
    ttl = "ttl"
    jsonld = "jsonld"
    nt = "nt"
    nq = "nq"
    kgx = "kgx"
    sssom = "sssom"


def _release_files(release: Path, fmt: ExportFormat) -> list[Path]:
    """The release files of ``fmt``, the main one first."""
    from ndkg.export.kgx import CONTEXT_FILE as KGX_CONTEXT_FILE
    from ndkg.export.kgx import EDGES_FILE, NODES_FILE
    from ndkg.export.rdf import CONTEXT_FILE, JSONLD_FILE, QUADS_FILE

    if fmt is ExportFormat.sssom:
        return sorted(release.glob("*.sssom.tsv"))
    names = {
        ExportFormat.jsonld: [JSONLD_FILE, CONTEXT_FILE],
        ExportFormat.nq: [QUADS_FILE],
        ExportFormat.kgx: [NODES_FILE, EDGES_FILE, KGX_CONTEXT_FILE],
    }.get(fmt, [f"ndkg.{fmt.value}"])
    return [release / name for name in names]


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Release format.")],
    out: OutOption = Path("build"),
    dest: Annotated[
        Path | None,
        typer.Option(help="Folder to copy the files into (default: print the file on stdout)."),
    ] = None,
) -> None:
    """Copy the current build's release files of one format to a folder, or print them."""
    from ndkg.errors import StoreError
    from ndkg.storage.store import RELEASE_DIR, current_build

    with _exit_on_error():
        files = _release_files(current_build(out) / RELEASE_DIR, fmt)
        missing = [f.name for f in files if not f.exists()]
        if missing or not files:
            raise StoreError(
                f"the current build has no {fmt.value} release ({', '.join(missing)}): "
                f"run `ndkg build --out {out} --force`"
            )
    if dest is None:
        if len(files) > 1 and fmt is not ExportFormat.jsonld:
            raise typer.BadParameter(
                f"{fmt.value} is {len(files)} files: give a folder", param_hint="--dest"
            )
        typer.get_binary_stream("stdout").write(files[0].read_bytes())
        return
    dest.mkdir(parents=True, exist_ok=True)
    for path in files:
        typer.echo(shutil.copy(path, dest / path.name))


@app.command()
def backup(
    dest: Annotated[Path, typer.Argument(help="A new folder to write the backup into.")],
    out: OutOption = Path("build"),
) -> None:
    """Back up the current build and the contributed data (see docs/writes.md)."""
    from ndkg.storage.backup import backup as run_backup

    with _exit_on_error():
        made = run_backup(out, dest)
    typer.echo(f"backed up {made.version} ({made.build}), {made.contributed} contributed quads")
    typer.echo(f"→ {dest}")


@app.command()
def restore(
    src: Annotated[Path, typer.Argument(help="A folder written by `ndkg backup`.")],
    out: OutOption = Path("build"),
) -> None:
    """Restore a backup into the build folder (a service running on it moves to it)."""
    from ndkg.storage.backup import restore as run_restore

    with _exit_on_error():
        made = run_restore(src, out.resolve())
    typer.echo(f"restored {made.version} ({made.build}), {made.contributed} contributed quads")
    typer.echo(f"→ {out}")


def main() -> None:
    """Entry point of the ``ndkg`` console script."""
    app()
