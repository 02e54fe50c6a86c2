"""Speed and memory of the question path and of index builds, on the bundled wiki and model.

Measures: full build and incremental build after one page edit (in-process, model loaded;
and as CLI wall time), warm `ask` latency alone and under 16 concurrent callers through the
bot's worker, cold start (process start to first answer) and peak RSS.

Run: .venv/bin/python -m bench.perf_bench
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from bench._common import QUESTIONS, ROOT, percentiles, write_results
from bot.settings import load_settings
from retrieval import (
    AsyncKnowledgeBase,
    KnowledgeBase,
    Question,
    build_index,
    export_models,
    load_encoders,
    read_questions,
)

ORGBOT = Path(sys.executable).parent / "orgbot"


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
            await worker.ask(Question(text, lang=lang))
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(caller(c) for c in range(callers)))
    wall = time.perf_counter() - started
    batches = list(worker.batches)
    worker.close()
    return latencies, wall, batches


def timed_child(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, sampled every 5 ms) of one child process.

    Sampled rather than taken from wait4: a forked child's ru_maxrss counts the parent's
    pages it held before exec, which would report this benchmark's own size.
    """
    started = time.perf_counter()
    child = psutil.Popen(
        command, env=os.environ | env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    peak = 0
    while child.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, child.memory_info().rss)
        time.sleep(0.005)
    seconds = time.perf_counter() - started
    output = child.stdout.read() if child.stdout else b""
    if child.returncode != 0:
        raise RuntimeError(f"{command} failed: {output[-500:]!r}")
    if command[-2:-1] == ["--json"] or "--json" in command:
        assert json.loads(output)["answered"]
    return seconds, peak / 2**20


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="orgbot-bench-"))
    shutil.copytree(ROOT / "content", work / "content")
    config = work / "orgbot.toml"
    config.write_text('content_dir = "content"\nvar_dir = "var"\n')
    settings = load_settings(config).retrieval
    lines: list[str] = []

    started = time.perf_counter()
    export_models(settings)
    exported = time.perf_counter() - started
    started = time.perf_counter()
    embedder = load_encoders(settings)
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
        f"- `orgbot model export` (once, at setup): {exported:.1f} s",
        f"- model load ({', '.join(type(e).__name__ for _, e in embedder.roles())}): "
        f"{model_load:.2f} s",
        f"- full build: {full.seconds:.1f} s ({full.pages} pages, {full.passages} passages and their sentences embedded by both encoders; target ≤ 60 s)",
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
        kb.ask(Question(text, lang=lang))
    alone: list[float] = []
    for _ in range(3):
        for text, lang in questions:
            started = time.perf_counter()
            kb.ask(Question(text, lang=lang))
            alone.append((time.perf_counter() - started) * 1000)
    lines += [
        "## Warm `ask` latency (encoding included), ms: p50 / p95 / p99 / max",
        "",
        f"- one caller, {len(alone)} questions: {fmt(percentiles(alone))} (target p95 ≤ 15 ms)",
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

    ask = [str(ORGBOT), "--config", str(config), "ask", "--json", "how do I run a one-to-one?"]
    lines += ["## Cold start and memory", ""]
    for runtime in ("onnx", "torch"):
        runs = [timed_child(ask, {"ORGBOT_MODEL__RUNTIME": runtime}) for _ in range(3)]
        lines.append(
            f"- cold start with the {runtime} runtime, `orgbot ask --json` from process start to "
            f"answer printed: {min(r[0] for r in runs):.2f} s best, {max(r[0] for r in runs):.2f} s "
            f"worst of 3 (target ≤ 2 s); peak RSS {max(r[1] for r in runs):.0f} MB (target ≤ 450 MB)"
        )
    build = [str(ORGBOT), "--config", str(config), "index", "build", "--full"]
    seconds, rss = timed_child(build, {})
    lines += [
        f"- `orgbot index build --full` as a CLI run: {seconds:.1f} s, peak RSS {rss:.0f} MB",
        f"- peak RSS of this benchmark process (model, builds, index, 16 callers): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
    ]
    shutil.rmtree(work, ignore_errors=True)
    write_results("performance", "Performance on the starter wiki", lines)


if __name__ == "__main__":
    main()
