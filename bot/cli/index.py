"""`orgbot index build` and `orgbot index status`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
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
    __version__,
    build_index,
    load_encoders,
)

from .app import console, index_app, state
from .output import cell, say


def run_build(
    settings: RetrievalSettings, encoders: Encoders, *, full: bool, to: Console = console
) -> BuildReport:
    """Build with a progress bar, then say what was built (on `to`)."""
    columns = (
        TextColumn("embedding passages"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    # Piped, a progress bar would only leave a blank line behind.
    with Progress(*columns, console=to, transient=True, disable=not to.is_terminal) as progress:
        task = progress.add_task("embed", total=None, rate="")

        def advance(done: int, total: int) -> None:
            speed = progress.tasks[0].speed
            rate = f"{speed:.0f} passages/s" if speed else ""
            progress.update(task, completed=done, total=total, rate=rate)

        report = build_index(settings, encoders, full=full, progress=advance)
    if report.unchanged:
        kept = f"({report.pages} pages, {report.passages} passages); kept it"
        say(to, ("Nothing changed", "green"), f" since build {report.build_id} {kept}. "
            "Use --full to build again anyway.")  # fmt: skip
        return report
    if report.replaced_damage:
        damage = "; ".join(report.replaced_damage)
        say(to, ("The previous build was damaged", "yellow"),
            f" ({damage}); every passage was embedded again.")  # fmt: skip
    say(to, f"Built the index: {report.pages} pages, {report.passages} passages "
        f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f} s "
        f"(build {report.build_id}).")  # fmt: skip
    return report


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
    run_build(settings, load_encoders(settings), full=full)


def made_by(version: str) -> str:
    """The version that made the build, and what to do when it is not this one."""
    if version == __version__:
        return f"orgbot {version}"
    return f"orgbot {version}; `orgbot index build` remakes it with orgbot {__version__}"


@index_app.command("status")
def status(ctx: typer.Context) -> None:
    """Show the build in use: id, model, counts, size on disk, pages changed since, health.

    Every part of the build is checked (the store's pages by SQLite, the vector files'
    sizes); a damaged build is reported with the command that replaces it, and exits 1.

    Example: orgbot index status
    """
    settings = state(ctx).settings.retrieval
    info = KnowledgeBase.open(settings, load_encoders(settings)).status()
    changed = ", ".join(info.changed_pages[:10]) + (" …" if len(info.changed_pages) > 10 else "")
    rows = [
        ("build", info.build_id),
        ("built at", info.built_at),
        *(("model", f"{name} ({dimension} dimensions)") for name, dimension in info.models),
        ("pages", str(info.pages)),
        ("passages", str(info.passages)),
        ("size on disk", f"{info.size_bytes / 1e6:.1f} MB"),
        ("folder", info.path),
        ("changed since", f"{len(info.changed_pages)} page(s): {changed}" if changed else "none"),
        ("made by", made_by(info.made_by)),
        ("health", "not ok (below)" if info.problems else "ok"),
    ]
    table = Table(show_header=False, box=None)
    for name, value in rows:
        table.add_row(cell(name), cell(value))
    console.print(table)
    for problem in info.problems:
        say(console, ("problem:", "red"), " ", problem)
    if info.problems:
        raise typer.Exit(1)
