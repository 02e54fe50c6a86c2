"""`orgbot content summarize`: fill missing or placeholder summaries from the page body."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from retrieval import load_encoders, load_pages, needs_summary, summarize, write_summary

from .app import console, content_app, fail, plural, state
from .output import say


@content_app.command("summarize")
def summarize_command(
    ctx: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help="Content folder (default: the configured one).")
    ] = None,
    write: Annotated[
        bool, typer.Option("--write", help="Write the summaries into the pages.")
    ] = False,
) -> None:
    """Propose 2–4 sentence summaries for pages whose summary is missing or a placeholder.

    Sentences are picked from the page body with the embedding model. Without --write
    nothing changes; with it, each page gets `summary:` and `summary_source: extracted`,
    which cards show as an extracted summary, and no other byte of the page changes. A page
    that cannot be rewritten that safely is named and left as it was (exit 1). Review the
    summaries, then rebuild the index.

    Example: orgbot content summarize --write
    """
    settings = state(ctx).settings.retrieval
    folder = path or settings.content_dir
    loaded = load_pages(folder)
    if not loaded.pages and loaded.errors:
        fail(str(loaded.errors[0]))
    todo = [page for page in loaded.pages if needs_summary(page)]
    if not todo:
        say(console, "Every page has a written summary; nothing to do.")
        return
    encoders = load_encoders(settings)
    written, refused = 0, 0
    for page in todo:
        # A translation's sentences are compared by the encoder that reads its language.
        embedder = encoders.multilingual if page.lang != "en" else None
        proposal = summarize(page, embedder or encoders.english)
        if proposal is None:
            say(console, (page.path, "yellow"), ": too little prose to extract from; write the "
                "summary by hand")  # fmt: skip
            continue
        say(console, (page.path, "bold"), f" ({proposal.sentences} sentences)")
        say(console, "  ", proposal.summary)
        if write:
            refusal = write_summary(folder / page.path, proposal.summary)
            if refusal is None:
                written += 1
            else:
                refused += 1
                say(console, "  ", (f"{page.path}: not written:", "red"), " ", refusal)
    if not write:
        say(console, "Dry run: add --write to save these summaries.")
        return
    say(console, (f"wrote {written} {plural(written, 'summary', 'summaries')}", "green"),
        "; run `orgbot index build` next" if written else "")  # fmt: skip
    if refused:
        say(console, (f"{refused} {plural(refused, 'page')} left as they were", "red"),
            ": write their summaries by hand")  # fmt: skip
        raise typer.Exit(1)
