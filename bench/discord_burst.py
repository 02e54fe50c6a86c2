"""200 /ask interactions at once through the fake Discord: acknowledgement and answer times,
and the worst event-loop lag while the burst is served.

    .venv/bin/python bench/discord_burst.py [--count 200] [--fake-embedder]

Uses the real knowledge base over `content/` with the bundled model when it is installed
(`load_embedder` with default settings), else the fake embedder; the results say which. The
index is built into a temporary folder, so a running bot's `var/` is never touched.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from _common import write_results  # noqa: E402

from bot.client import OrgBot  # noqa: E402
from bot.state import StateDB  # noqa: E402
from retrieval.build import build_index  # noqa: E402
from retrieval.config import DiscordSettings, Settings, load_settings  # noqa: E402
from retrieval.embedder import Embedder, FakeEmbedder, ModelError, load_embedder  # noqa: E402
from retrieval.service import KnowledgeBase  # noqa: E402
from retrieval.worker import AsyncKnowledgeBase  # noqa: E402
from tests.fakediscord.bench import LoopLag, summarize  # noqa: E402
from tests.fakediscord.harness import running_bot  # noqa: E402

QUESTIONS = ROOT / "tests" / "eval" / "questions.jsonl"
ACK_LIMIT = 3.0
LAG_TARGET = 0.100


def pick_embedder(settings: Settings, fake: bool) -> tuple[Embedder, str]:
    if not fake:
        try:
            return load_embedder(settings), "bundled model (all-MiniLM-L6-v2, CPU)"
        except ModelError as exc:
            print(f"bundled model unavailable ({exc}); using the fake embedder")
    return FakeEmbedder(), "FakeEmbedder (hashed bag of words; no model)"


def questions(count: int) -> list[str]:
    lines = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line]
    return [lines[n % len(lines)] for n in range(count)]


async def burst(settings: Settings, kb: KnowledgeBase, count: int) -> tuple[dict, float, list[int]]:
    worker = AsyncKnowledgeBase(kb)
    state = await StateDB.open(settings.state_db, b"bench-key")
    try:
        async with running_bot(OrgBot(worker, state, settings)) as harness:
            asked = questions(count)
            async with LoopLag() as lag:
                started = time.perf_counter()
                records = [
                    await harness.start_interaction(
                        "ask", {"question": q}, user=list(harness.world.users)[n % 4]
                    )
                    for n, q in enumerate(asked)
                ]
                await asyncio.gather(
                    *(harness.wait_answered(r, within=60, settle=0) for r in records)
                )
                elapsed = time.perf_counter() - started
            summary = summarize(records) | {"elapsed": elapsed}
            return summary, lag.worst, list(worker.batches)
    finally:
        worker.close()
        await state.close()


def report(summary: dict, lag: float, batches: list[int], embedder: str, count: int) -> list[str]:
    def ms(key: str) -> str:
        value = summary[key]
        return "—" if value is None else f"{value * 1000:.0f} ms"

    ok = summary["acknowledged_within_3s"] == count
    return [
        f"Embedder: {embedder}. Knowledge base: the bundled `content/` wiki, index built fresh.",
        "The bot (real discord.py 2.x client, `OrgBot`) and the fake Discord share one event",
        "loop, so the lag below includes the fake's own work: an upper bound for the bot's.",
        "Cooldown is off for the run (4 users asking 200 questions would otherwise be told to wait).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| interactions sent at once | {count} |",
        f"| acknowledged within 3 s | {summary['acknowledged_within_3s']} / {count}"
        f" ({'pass' if ok else 'FAIL'}) |",
        f"| answered | {summary['answered']} / {count} |",
        f"| time to first response p50 / p95 / max | {ms('ack_p50')} / {ms('ack_p95')} /"
        f" {ms('ack_max')} |",
        f"| time to final answer p50 / p95 / max | {ms('answer_p50')} / {ms('answer_p95')} /"
        f" {ms('answer_max')} |",
        f"| whole burst served in | {summary['elapsed']:.2f} s |",
        f"| worst event-loop lag | {lag * 1000:.1f} ms (target < {LAG_TARGET * 1000:.0f} ms:"
        f" {'pass' if lag < LAG_TARGET else 'FAIL'}) |",
        f"| retrieval batches | {len(batches)} (mean size"
        f" {statistics.mean(batches) if batches else 0:.1f}, largest {max(batches, default=0)}) |",
        "",
        "Reproduce: `.venv/bin/python bench/discord_burst.py`",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--fake-embedder", action="store_true")
    parser.add_argument(
        "--var-dir", type=Path, help="Keep the index here and reuse it on the next run."
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="orgbot-burst-") as scratch:
        folder = args.var_dir or Path(scratch)
        defaults = load_settings()
        embedder, described = pick_embedder(defaults, args.fake_embedder)
        settings = load_settings(
            var_dir=Path(folder),
            discord=DiscordSettings(cooldown_seconds=0),
            **(
                {"model": {"name": "fake", "sha256": ""}}
                if isinstance(embedder, FakeEmbedder)
                else {}
            ),
        )
        print(f"building the index with {described} …")
        build_index(settings, embedder)  # reuses unchanged vectors from an earlier --var-dir run
        kb = KnowledgeBase.open(settings, embedder)
        try:
            summary, lag, batches = asyncio.run(burst(settings, kb, args.count))
        finally:
            kb.close()
    write_results(
        "discord",
        "Discord burst: 200 /ask at once",
        report(summary, lag, batches, described, args.count),
    )


if __name__ == "__main__":
    main()
