"""`orgbot index build` and `orgbot index status`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from retrieval.build import BuildError, BuildReport, build_index
from retrieval.builds import IndexNotReady
from retrieval.config import Settings
from retrieval.embedder import Embedder, ModelError, load_embedder
from retrieval.service import KnowledgeBase

from .app import console, fail, index_app, state


def run_build(settings: Settings, embedder: Embedder, *, full: bool) -> BuildReport:
    """Build with a progress bar; domain errors become one-line messages."""
    columns = (
        TextColumn("embedding passages"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("embed", total=None, rate="")

        def advance(done: int, total: int) -> None:
            speed = progress.tasks[0].speed
            rate = f"{speed:.0f} passages/s" if speed else ""
            progress.update(task, completed=done, total=total, rate=rate)

        try:
            return build_index(settings, embedder, full=full, progress=advance)
        except BuildError as exc:
            fail(str(exc))


def open_embedder(settings: Settings) -> Embedder:
    try:
        return load_embedder(settings)
    except ModelError as exc:
        fail(str(exc))


@index_app.command("build")
def build(
    ctx: typer.Context,
    full: Annotated[
        bool, typer.Option("--full", help="Embed every passage again instead of reusing vectors.")
    ] = False,
) -> None:
    """Build the search index from the pages in content/ and switch to it.

    Only passages whose text changed are embedded again, unless --full. The bot keeps
    answering from the previous build until it reloads (`/kb reload`).

    Example: orgbot index build
    """
    settings = state(ctx).settings
    report = run_build(settings, open_embedder(settings), full=full)
    console.print(
        f"[green]built[/green] {report.build_id}: {report.pages} pages, {report.passages} "
        f"passages ({report.embedded} embedded, {report.reused} reused) in "
        f"{report.seconds:.1f} s"
    )


@index_app.command("status")
def status(ctx: typer.Context) -> None:
    """Show the build in use: id, model, counts, size on disk, pages changed since.

    Example: orgbot index status
    """
    settings = state(ctx).settings
    try:
        info = KnowledgeBase.open(settings, open_embedder(settings)).status()
    except IndexNotReady as exc:
        fail(str(exc))
    table = Table(show_header=False, box=None)
    table.add_row("build", info.build_id)
    table.add_row("built at", info.built_at)
    table.add_row("model", f"{info.model} ({info.dimension} dimensions)")
    table.add_row("pages", str(info.pages))
    table.add_row("passages", str(info.passages))
    table.add_row("size on disk", f"{info.size_bytes / 1e6:.1f} MB")
    table.add_row("folder", info.path)
    changed = ", ".join(info.changed_pages[:10]) + (" …" if len(info.changed_pages) > 10 else "")
    table.add_row(
        "changed since", f"{len(info.changed_pages)} page(s): {changed}" if changed else "none"
    )
    console.print(table)
