"""`orgbot eval`: how well retrieval answers a question set, hybrid against each half."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from retrieval import MODES, ModeReport, evaluate, read_questions

from .app import app, console, state
from .ask import open_knowledge_base
from .output import cell


@app.command("eval")
def evaluate_command(
    ctx: typer.Context,
    questions: Annotated[
        list[Path],
        typer.Argument(
            help="JSON lines: question, lang, answerable, slugs (and group, kind, sections).",
            exists=True,
            dir_okay=False,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Answer threshold to test (default: [answer] threshold in the settings)."
        ),
    ] = None,
) -> None:
    """Score answers on question sets: ranking, the right section, and the honest "no".

    Shows Recall@1/3/5, MRR and nDCG@5 for hybrid, BM25-only and dense-only search, then
    recall and MRR per language and per group (English, cross-lingual, translated), section
    precision at 1 per language, "no answer" precision and recall, and the questions hybrid
    search missed.

    Example: orgbot eval tests/eval/unseen4.jsonl
    """
    rows = read_questions(*questions)
    kb = open_knowledge_base(state(ctx).settings.retrieval)
    reports = [evaluate(kb, rows, mode, threshold) for mode in MODES]
    if as_json:
        console.print_json(json.dumps([_as_dict(r) for r in reports]))
        return
    console.print(results_table(reports))
    console.print(slices_table(reports[0]))
    misses = reports[0].misses
    if misses:
        table = Table("id", "question", "expected", "got (top 3)", "why", title="Hybrid misses")
        for miss in misses:
            table.add_row(
                cell(miss.id), cell(miss.question[:60]), cell(", ".join(miss.expected) or "(none)"),
                cell(", ".join(miss.got)), cell(miss.reason),
            )  # fmt: skip
        console.print(table)


def results_table(reports: list[ModeReport]) -> Table:
    table = Table("metric", *(r.mode for r in reports), title="Retrieval quality")
    rows: dict[str, Callable[[ModeReport], float]] = {
        "Recall@1": lambda r: r.recall[1],
        "Recall@3": lambda r: r.recall[3],
        "Recall@5": lambda r: r.recall[5],
        "MRR": lambda r: r.mrr,
        "nDCG@5": lambda r: r.ndcg5,
        "no-answer precision": lambda r: r.no_answer_precision,
        "no-answer recall": lambda r: r.no_answer_recall,
        "answered (answerable)": lambda r: r.answered_rate,
    }
    for name, value in rows.items():
        table.add_row(name, *(f"{value(r):.3f}" for r in reports))
    table.add_row(
        "questions", *(f"{r.answerable} + {r.unanswerable} unanswerable" for r in reports)
    )
    return table


def slices_table(report: ModeReport) -> Table:
    table = Table("slice", "questions", "Recall@3", "MRR", "section P@1", "when page right",
                  title="Hybrid, by language and group")  # fmt: skip
    for name, ranking in report.slices.items():
        found = report.sections.get(name.removeprefix("lang "))
        sections = (
            (f"{found[0]:.3f}", f"{found[1]:.3f}")
            if name.startswith("lang ") and found
            else ("", "")
        )
        table.add_row(
            cell(name),
            str(ranking.questions),
            f"{ranking.recall[3]:.3f}",
            f"{ranking.mrr:.3f}",
            *sections,
        )
    return table


def _as_dict(report: ModeReport) -> dict[str, object]:
    return dataclasses.asdict(report)
