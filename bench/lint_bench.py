"""How long `lint` takes on a 1,000-page folder; the target is under 2 s.

Generates realistic pages (full front matter, a lead, six sections, wikilinks with labels
and anchors, some deliberate problems) in a temporary folder, lints it five times, prints
the figures and writes them to bench/results/lint.md.

Run: .venv/bin/python -m bench.lint_bench
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench._common import ROOT
from retrieval import lint

PAGES = 1_000
RUNS = 5
TARGET_SECONDS = 2.0
SECTIONS = (
    "How it works", "Use it for", "How to use", "Potential risks", "Examples", "Open questions"
)  # fmt: skip
WORDS = (
    "organisers", "tenants", "meeting", "campaign", "power", "leaders", "volunteers", "union",
    "action", "pressure", "target", "coalition", "story", "neighbours", "strike", "rent",
)  # fmt: skip


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 16))
    return " ".join(words).capitalize() + "."


def page_text(index: int, rng: random.Random) -> str:
    others = [f"method-{rng.randrange(PAGES)}" for _ in range(4)]
    links = " ".join(
        f"See [[{slug}|this method]] and [[{slug}#how-it-works]]." for slug in others[:2]
    )
    # Every 50th page carries a placeholder, so the text checks have work to do.
    summary = "TBD" if index % 50 == 0 else " ".join(sentence(rng) for _ in range(3))
    sections = "\n\n".join(
        f"## {heading}\n\n{' '.join(sentence(rng) for _ in range(6))}\n\n"
        f"{' '.join(sentence(rng) for _ in range(5))} {links}"
        for heading in SECTIONS
    )
    return (
        "---\n"
        f"title: Method {index}\n"
        "kind: method\n"
        "lang: en\n"
        f"aliases: [alias {index}, other name {index}]\n"
        f"summary: >-\n  {summary}\n"
        "pillar: [organizing]\n"
        "tags: [bench, synthetic]\n"
        f"status: {'established' if index % 3 == 0 else 'emerging'}\n"
        "tier: reference\n"
        f"related: [{', '.join(others)}]\n"
        "sources:\n"
        "  - {id: bench-source, grounding: secondary, note: synthetic}\n"
        "verified: {date: 2026-01-31, by: bench}\n"
        "---\n\n"
        f"{sentence(rng)} {sentence(rng)}\n\n{sections}\n"
    )


def write_folder(folder: Path) -> None:
    rng = random.Random(1)
    for index in range(PAGES):
        (folder / f"method-{index}.md").write_text(page_text(index, rng), encoding="utf-8")
    (folder / "sources").mkdir()
    (folder / "sources" / "bench-source.md").write_text(
        "---\ntitle: Bench source\nkind: source\nsummary: A made-up source.\n---\n\n"
        "## About\n\nInvented for the benchmark.\n",
        encoding="utf-8",
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_folder(folder)
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            report = lint(folder)
            times.append(time.perf_counter() - start)
    worst, median = max(times), statistics.median(times)
    verdict = "PASS" if worst < TARGET_SECONDS else "FAIL"
    lines = [
        "# Lint benchmark",
        "",
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        f"- folder: {report.pages} pages (6 sections, 4 wikilinks per section, 4 related)",
        f"- findings: {report.errors} errors, {report.warnings} warnings",
        f"- runs: {RUNS}; seconds per run: {', '.join(f'{t:.3f}' for t in times)}",
        f"- median {median:.3f} s, worst {worst:.3f} s; target < {TARGET_SECONDS:.0f} s: {verdict}",
        "",
        "Reproduce: `.venv/bin/python -m bench.lint_bench`",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "bench" / "results" / "lint.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
