"""`orgbot index build` and `orgbot index status`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from retrieval import (
    BuildReport,
    Encoders,
    KnowledgeBase,
    RetrievalSettings,
    build_index,
    load_encoders,
)

from .app import console, index_app, state


def run_build(settings: RetrievalSettings, encoders: Encoders, *, full: bool) -> BuildReport:
    """Build with a progress bar."""
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

        return build_index(settings, encoders, full=full, progress=advance)


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
    settings = state(ctx).settings.retrieval
    report = run_build(settings, load_encoders(settings), full=full)
    if report.unchanged:
        console.print(
            f"[green]nothing changed[/green] since build {report.build_id} "
            f"({report.pages} pages, {report.passages} passages); kept it. "
            "Use --full to build again anyway."
        )
        return
    if report.replaced_damage:
        console.print(
            f"[yellow]the previous build was damaged[/yellow] "
            f"({escape('; '.join(report.replaced_damage))}); every passage was embedded again"
        )
    console.print(
        f"[green]built[/green] {report.build_id}: {report.pages} pages, {report.passages} "
        f"passages ({report.embedded} embedded, {report.reused} reused) in "
        f"{report.seconds:.1f} s"
    )


@index_app.command("status")
def status(ctx: typer.Context) -> None:
    """Show the build in use: id, model, counts, size on disk, pages changed since, health.

    Every part of the build is checked (the store's pages by SQLite, the vector files'
    sizes); a damaged build is reported with the command that replaces it, and exits 1.

    Example: orgbot index status
    """
    settings = state(ctx).settings.retrieval
    info = KnowledgeBase.open(settings, load_encoders(settings)).status()
    table = Table(show_header=False, box=None)
    table.add_row("build", info.build_id)
    table.add_row("built at", info.built_at)
    for name, dimension in info.models:
        table.add_row("model", f"{name} ({dimension} dimensions)")
    table.add_row("pages", str(info.pages))
    table.add_row("passages", str(info.passages))
    table.add_row("size on disk", f"{info.size_bytes / 1e6:.1f} MB")
    table.add_row("folder", info.path)
    changed = ", ".join(info.changed_pages[:10]) + (" …" if len(info.changed_pages) > 10 else "")
    table.add_row(
        "changed since", f"{len(info.changed_pages)} page(s): {changed}" if changed else "none"
    )
    table.add_row("health", "[red]not ok (below)[/red]" if info.problems else "[green]ok[/green]")
    console.print(table)
    for problem in info.problems:
        console.print(f"[red]problem:[/red] {escape(problem)}", highlight=False, soft_wrap=True)
    if info.problems:
        raise typer.Exit(1)
