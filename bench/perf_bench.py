"""Speed and memory of the question path and of index builds, on the bundled wiki and model.

Measures: full build and incremental build after one page edit (in-process, model loaded;
and as CLI wall time), warm `ask` latency alone and under 16 concurrent callers through the
bot's worker, cold start (process start to first answer) and peak RSS.

Run: .venv/bin/python bench/perf_bench.py
"""

from __future__ import annotations

import asyncio
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import percentiles, write_results

from retrieval.build import build_index
from retrieval.config import PROJECT_ROOT, load_settings
from retrieval.embedder import load_embedder
from retrieval.evaluate import read_questions
from retrieval.service import KnowledgeBase
from retrieval.worker import AsyncKnowledgeBase

ORGBOT = Path(sys.executable).parent / "orgbot"
QUESTIONS = PROJECT_ROOT / "tests" / "eval" / "questions.jsonl"


def fmt(stats: dict[str, float]) -> str:
    return " / ".join(f"{stats[k]:.1f}" for k in ("p50", "p95", "p99", "max"))


async def concurrent(
    kb: KnowledgeBase, questions: list[tuple[str, str]], callers: int
) -> tuple[list[float], float, list[int]]:
    worker = AsyncKnowledgeBase(kb)
    latencies: list[float] = []

    async def caller(offset: int) -> None:
        for i in range(offset, len(questions), callers):
            text, lang = questions[i]
            started = time.perf_counter()
            await worker.ask(text, lang=lang)
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(caller(c) for c in range(callers)))
    wall = time.perf_counter() - started
    batches = list(worker.batches)
    worker.close()
    return latencies, wall, batches


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="orgbot-bench-"))
    shutil.copytree(PROJECT_ROOT / "content", work / "content")
    config = work / "orgbot.toml"
    config.write_text('content_dir = "content"\nvar_dir = "var"\n')
    settings = load_settings(config)
    lines: list[str] = []

    started = time.perf_counter()
    embedder = load_embedder(settings)
    model_load = time.perf_counter() - started
    full = build_index(settings, embedder, full=True)
    page = work / "content" / "one-to-ones.md"
    page.write_text(page.read_text() + "\nA one-to-one ends with a date for the next step.\n")
    incremental = build_index(settings, embedder)
    page.write_text(page.read_text() + "\nWrite down what you heard within the hour.\n")
    started = time.perf_counter()
    subprocess.run(
        [str(ORGBOT), "--config", str(config), "index", "build"], check=True, capture_output=True
    )
    cli_incremental = time.perf_counter() - started
    ratio = incremental.seconds / full.seconds
    lines += [
        "## Index builds",
        "",
        f"- model load: {model_load:.1f} s",
        f"- full build: {full.seconds:.1f} s ({full.pages} pages, {full.passages} passages and their sentences embedded)",
        f"- incremental build after editing one page (model loaded): {incremental.seconds:.2f} s, "
        f"{incremental.embedded} passage(s) embedded, {incremental.reused} reused — "
        f"{ratio:.1%} of a full build (target ≤ 5%)",
        f"- the same as a CLI run, `orgbot index build`, model load included: {cli_incremental:.1f} s",
        "",
    ]

    kb = KnowledgeBase.open(settings, embedder)
    rows = read_questions(QUESTIONS)
    questions = [(q.question, q.lang) for q in rows]
    for text, lang in questions[:10]:
        kb.ask(text, lang=lang)
    alone: list[float] = []
    for _ in range(3):
        for text, lang in questions:
            started = time.perf_counter()
            kb.ask(text, lang=lang)
            alone.append((time.perf_counter() - started) * 1000)
    lines += [
        "## Warm `ask` latency (encoding included), ms: p50 / p95 / p99 / max",
        "",
        f"- one caller, {len(alone)} questions: {fmt(percentiles(alone))} (target p95 ≤ 30 ms)",
    ]
    many = questions * 3
    latencies, wall, batches = asyncio.run(concurrent(kb, many, 16))
    lines += [
        f"- 16 concurrent callers through the worker thread, {len(many)} questions: "
        f"{fmt(percentiles(latencies))}; {len(many) / wall:.0f} questions/s; "
        f"mean batch {sum(batches) / max(len(batches), 1):.1f}",
        "",
    ]
    kb.close()

    cold: list[float] = []
    for _ in range(3):
        started = time.perf_counter()
        out = subprocess.run(
            [str(ORGBOT), "--config", str(config), "ask", "--json", "how do I run a one-to-one?"],
            check=True,
            capture_output=True,
            text=True,
        )
        cold.append(time.perf_counter() - started)
        assert json.loads(out.stdout)["answered"]
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += [
        "## Cold start and memory",
        "",
        f"- cold start, `orgbot ask --json` from process start to answer printed: "
        f"{min(cold):.2f} s best, {max(cold):.2f} s worst of 3 (target ≤ 5 s)",
        f"- peak RSS of a CLI `ask` or `index build` process: {child_rss:.0f} MB (target ≤ 700 MB)",
        f"- peak RSS of this benchmark process (model, full build, index, 16 callers): {own_rss:.0f} MB",
    ]
    shutil.rmtree(work, ignore_errors=True)
    write_results("performance", "Performance on the starter wiki", lines)


if __name__ == "__main__":
    main()
