"""`orgbot content lint` and `orgbot content import`: the maintainers' content tools."""

from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path
from typing import Annotated

import typer

from retrieval import ImportReport, LintReport, import_exports, lint

from .app import console, content_app, state
from .output import say

_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


@content_app.command("lint")
def lint_command(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="FOLDER",
            help="Content folder to check (default: `content_dir` from the settings).",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of text.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 on warnings too, not only on errors.")
    ] = False,
) -> None:
    """Check every page for problems and say how to fix each one.

    Reports, with file and line: front matter that does not parse, unknown or missing
    fields, duplicate slugs and aliases, links and translations that point nowhere,
    placeholder or cut-off text, empty or repeated sections, and missing summaries,
    sources or verification dates. Exits 1 when there are errors (with --strict, also
    warnings), else 0.

    Example: `orgbot content lint content/ --json`
    """
    folder = path if path is not None else state(ctx).settings.retrieval.content_dir
    report = lint(folder)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_lint(report, folder)
    if report.errors or (strict and report.warnings):
        raise typer.Exit(1)


def _print_lint(report: LintReport, folder: Path) -> None:
    for rel, findings in groupby(report.findings, key=lambda f: f.path):
        path = shown_path(folder, rel)
        say(console)
        say(console, (path, "bold"))
        for f in findings:
            where = f"  {path}:{f.line}:{f.column} "
            say(console, where, (f.severity, _STYLE[f.severity]), " ", (f"[{f.rule}]", "cyan"),
                " ", f.message)  # fmt: skip
            if f.hint:
                say(console, ("      fix: " + f.hint, "dim"))
    colour = "red" if report.errors else "yellow" if report.warnings else "green"
    counts = (
        f"{count(report.pages, 'page')}: {count(report.errors, 'error')}, "
        f"{count(report.warnings, 'warning')}"
    )
    say(console)
    say(console, (counts, colour))


def shown_path(folder: Path, rel: str) -> str:
    """A finding's file as the person who ran the command can open it: relative to the
    working directory when it lies under it, else as the folder was given."""
    full = folder / rel if rel != str(folder) else folder
    try:
        return full.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(full)


def count(number: int, noun: str) -> str:
    """`1 page`, `2 pages`, `0 errors`."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@content_app.command("import")
def import_command(
    sources: Annotated[
        list[Path],
        typer.Argument(
            metavar="EXPORT...",
            help="Plain-text page exports from the wiki (one page per file).",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Folder to write the Markdown pages into.", file_okay=False
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the import report as JSON instead of text.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace pages that already exist in --out.")
    ] = False,
) -> None:
    """Convert wiki page exports into Markdown pages with front matter.

    Each export (`key: value` header lines, bare section headings such as Summary, Body,
    Examples, Related and Sources & verification, and a final `Verified DATE by WHO`)
    becomes OUT/<slug>.md. The slug comes from a `slug:` header, else from the file name;
    the title from a `title:` header, else from the slug. The report lists every decision
    with its line: merged headings, placeholder summaries, cut snippets, lines kept under
    `## Unsorted`. Existing pages are never replaced without --force. Exits 1 when a file
    could not be imported. Run `orgbot content lint OUT` afterwards.

    Example: `orgbot content import exports/*.txt --out content/`
    """
    reports = import_exports(sources, out, force=force)
    if as_json:
        payload = {
            "imports": [r.to_dict() for r in reports],
            "written": sum(r.written for r in reports),
            "failed": sum(r.failed for r in reports),
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for report in reports:
            _print_import(report)
        written = sum(r.written for r in reports)
        say(console)
        say(console, f"{written} of {len(reports)} exports written to {out}")
    if any(r.failed for r in reports):
        raise typer.Exit(1)


def _print_import(report: ImportReport) -> None:
    outcome = (f"→ {report.output}", "green") if report.written else ("not written", "bold red")
    say(console)
    say(console, (report.source, "bold"), " ", outcome)
    for d in sorted(report.decisions, key=lambda d: d.line):
        where = f"{report.source}:{d.line}" if d.line else report.source
        say(console, f"  {where} ", (d.level, _STYLE[d.level]), " ", (f"[{d.action}]", "cyan"),
            " ", d.message)  # fmt: skip
