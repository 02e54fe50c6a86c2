"""50 page lookups at once on a 5,000-page wiki, through the fake Discord: the bot's
event-loop lag while they run, and how soon each is answered.

    .venv/bin/python -m bench.lookup_bench [--pages 5000 2000] [--count 50] [--runs 3]

The wiki is synthetic (bench/_wiki.py) and indexed with the fake embedder: a real model
would take many minutes over 5,000 pages, and a lookup never encodes anything, so its cost
does not depend on the encoder. Names are as long as Discord lets them be (100 characters).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench._common import ROOT, percentiles, write_results
from bench._wiki import write_wiki
from bot.client import OrgBot, freeze_loaded_objects
from bot.settings import DiscordSettings, Settings, load_settings
from bot.state import SqliteState
from retrieval import MAX_NAME_CHARS, AsyncKnowledgeBase, KnowledgeBase, ModelSettings
from retrieval.search import names
from tests.fakediscord.bench import LoopLag, summarize
from tests.fakediscord.harness import running_bot
from tests.fakediscord.models import InteractionRecord
from tests.fakeembedder import FakeEmbedder

# `orgbot` with the test suite's fake embedder registered, for a fake-embedder build.
ORGBOT_WITH_FAKE = (
    "import sys; from tests import fakeembedder; fakeembedder.register(); "
    "from bot.cli import main; sys.argv[0] = 'orgbot'; main()"
)
LAG_TARGET = 0.050
ACK_LIMIT = 3.0
AGREEMENT_SAMPLE = 200  # names matched both ways, to compare the shortlist with every name
METHOD_KINDS = ("method", "concept", "framework")  # what /method looks in
# Words someone might type after a page's name, to make a name the full 100 characters.
TRAILING = " the one our branch used last spring with the tenants on the east side of town"


@dataclass(frozen=True)
class Lookup:
    command: str  # "method" or "page"
    name: str
    autocomplete: bool
    kinds: tuple[str, ...]


def typo(text: str, every: int = 17) -> str:
    """Every `every`-th letter swapped for the next one of the alphabet: a hurried typist."""
    return "".join(
        chr(ord(c) + 1) if c in "abcdefghijklmnopqrstuvwxy" and n % every == every - 1 else c
        for n, c in enumerate(text)
    )


def lookups(pages: list[tuple[str, str, str]], count: int) -> list[Lookup]:
    """`count` lookups cycling through five shapes: /method with a misspelt long name, /page
    with a long name, both autocompletes with long partial names, and /method by exact title."""
    methods = [title for _, title, kind in pages if kind == "method"]
    anything = [title for _, title, _ in pages]
    made = []
    for n in range(count):
        method, page = methods[(n * 37) % len(methods)], anything[(n * 53) % len(anything)]
        padded_method = (typo(method) + TRAILING)[:MAX_NAME_CHARS]
        padded_page = (page + TRAILING)[:MAX_NAME_CHARS]
        made.append(
            [
                Lookup("method", padded_method, False, METHOD_KINDS),
                Lookup("page", padded_page, False, ()),
                Lookup("method", padded_method[:70], True, METHOD_KINDS),
                Lookup("page", padded_page, True, ()),
                Lookup("method", method, False, METHOD_KINDS),
            ][n % 5]
        )
    return made


def build_elsewhere(content: Path, var: Path) -> None:
    """`orgbot index build` in another process, as an operator runs it: building in this one
    would leave garbage whose collection, during the burst, would count as loop lag."""
    env = os.environ | {
        "ORGBOT_CONTENT_DIR": str(content),
        "ORGBOT_VAR_DIR": str(var),
        "ORGBOT_MODEL__NAME": "fake",
        "ORGBOT_MODEL__SHA256": "",
        "ORGBOT_MULTILINGUAL__NAME": "",  # English only: one fake encoder
    }
    command = [sys.executable, "-c", ORGBOT_WITH_FAKE, "index", "build"]
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def bench_settings(content: Path, var: Path) -> Settings:
    """The defaults with the synthetic wiki, its index, the fake encoder and no cooldown."""
    defaults = load_settings()
    retrieval = defaults.retrieval.model_copy(
        update={
            "content_dir": content,
            "var_dir": var,
            "model": ModelSettings(name="fake"),
            "multilingual": ModelSettings(name=""),
        }
    )
    bot = defaults.bot.model_copy(
        update={"var_dir": var, "discord": DiscordSettings(cooldown_seconds=0)}
    )
    return Settings(retrieval=retrieval, bot=bot)


async def burst(
    settings: Settings, kb: KnowledgeBase, asked: list[Lookup]
) -> tuple[list[InteractionRecord], LoopLag, float]:
    worker = AsyncKnowledgeBase(kb)
    state = await SqliteState.open(settings.bot.state_db, b"bench-key")
    try:
        async with running_bot(OrgBot(worker, state, settings)) as harness:
            users = list(harness.world.users)
            async with LoopLag() as lag:
                started = time.perf_counter()
                records = [
                    await harness.start_interaction(
                        lookup.command,
                        {"name": lookup.name},
                        user=users[n % len(users)],
                        focused="name" if lookup.autocomplete else None,
                    )
                    for n, lookup in enumerate(asked)
                ]
                await asyncio.gather(
                    *(harness.wait_answered(r, within=30, settle=0) for r in records)
                )
                elapsed = time.perf_counter() - started
            return records, lag, elapsed
    finally:
        worker.close()
        await state.close()


def outcomes(records: list[InteractionRecord], asked: list[Lookup]) -> dict[str, int]:
    """What each lookup got: a card, "did you mean" buttons, or autocomplete choices."""
    counts = {"card": 0, "did you mean": 0, "choices": 0, "nothing": 0}
    for record, lookup in zip(records, asked, strict=True):
        if lookup.autocomplete:
            counts["choices" if record.choices else "nothing"] += 1
        elif record.original is not None and record.original.embeds:
            counts["card"] += 1
        else:
            counts["did you mean" if record.original is not None else "nothing"] += 1
    return counts


def worker_times(kb: KnowledgeBase, asked: list[Lookup]) -> list[float]:
    """Each lookup alone on this thread, as the worker runs it (ms)."""
    times = []
    for lookup in asked:
        call = kb.complete if lookup.autocomplete else kb.lookup
        started = time.perf_counter()
        call(lookup.name, lookup.kinds)
        times.append((time.perf_counter() - started) * 1000)
    return times


def agreement(kb: KnowledgeBase, sample: list[Lookup]) -> tuple[list[float], int, int]:
    """Against scoring every name with WRatio: its time (ms), and for how many names the
    best score and the best three scores come out the same with the shortlist."""
    matcher = names.PageNames(kb.build.pages.values())
    quick = [matcher.best(lookup.name, lookup.kinds, limit=3) for lookup in sample]
    shortlist, names.SHORTLIST = names.SHORTLIST, 10**9
    try:
        times, full = [], []
        for lookup in sample:
            started = time.perf_counter()
            full.append(matcher.best(lookup.name, lookup.kinds, limit=3))
            times.append((time.perf_counter() - started) * 1000)
    finally:
        names.SHORTLIST = shortlist
    scores = [([s for _, s in a], [s for _, s in b]) for a, b in zip(quick, full, strict=True)]
    return times, sum(a[:1] == b[:1] for a, b in scores), sum(a == b for a, b in scores)


def measure(pages: int, count: int, runs: int, scratch: Path) -> list[str]:
    content, var = scratch / f"wiki-{pages}", scratch / f"var-{pages}"
    written = write_wiki(content, pages)
    settings = bench_settings(content, var)
    print(f"{pages} pages written; building the index with the fake embedder …", flush=True)
    build_elsewhere(content, var)
    kb = KnowledgeBase.open(settings.retrieval, FakeEmbedder())
    freeze_loaded_objects()  # as `orgbot run` does after loading
    asked = lookups(written, count)
    try:
        results = []
        for _ in range(runs):
            results.append(asyncio.run(burst(settings, kb, asked)))
            gc.collect()  # each burst starts as a fresh process would
        alone = worker_times(kb, asked)
        matched = agreement(kb, lookups(written, AGREEMENT_SAMPLE))
    finally:
        kb.close()
    records, lag, elapsed = max(results, key=lambda run: run[1].worst)
    return report(pages, asked, records, lag, elapsed, results, alone, matched)


def report(
    pages: int,
    asked: list[Lookup],
    records: list[InteractionRecord],
    lag: LoopLag,
    elapsed: float,
    results: list[tuple[list[InteractionRecord], LoopLag, float]],
    alone: list[float],
    matched: tuple[list[float], int, int],
) -> list[str]:
    count, summary, lags = len(asked), summarize(records), percentiles(lag.samples)
    exhaustive, same_best, same_three = matched
    got = ", ".join(f"{n} {what}" for what, n in outcomes(records, asked).items() if n)
    acked = summary["acknowledged_within_3s"]

    def ms(key: str) -> str:
        return "—" if summary[key] is None else f"{summary[key] * 1000:.0f} ms"

    return [
        f"## {pages:,} pages, {count} lookups at once",
        "",
        "| measure | value |",
        "|---|---|",
        f"| worst event-loop lag | {lags['max'] * 1000:.1f} ms (target < {LAG_TARGET * 1000:.0f}"
        f" ms: {'pass' if lags['max'] < LAG_TARGET else 'FAIL'}) |",
        f"| p99 / p50 event-loop lag | {lags['p99'] * 1000:.1f} ms / {lags['p50'] * 1000:.1f} ms |",
        f"| acknowledged within {ACK_LIMIT:.0f} s | {acked} / {count}"
        f" ({'pass' if acked == count else 'FAIL'}) |",
        f"| time to response p50 / p95 / max | {ms('ack_p50')} / {ms('ack_p95')} /"
        f" {ms('ack_max')} |",
        f"| all {count} answered in | {elapsed:.2f} s |",
        f"| what they got | {got} |",
        f"| one lookup alone on the worker p50 / p95 | {statistics.median(alone):.1f} ms /"
        f" {percentiles(alone)['p95']:.1f} ms |",
        f"| name matching by scoring every name with WRatio instead, p50 / p95 |"
        f" {statistics.median(exhaustive):.0f} ms / {percentiles(exhaustive)['p95']:.0f} ms |",
        f"| the shortlist's best score / best three scores as scoring every name's |"
        f" {same_best} / {same_three} of {len(exhaustive)} lookups |",
        "",
        f"The table shows the worst of {len(results)} bursts by loop lag (each a fresh bot): "
        + ", ".join(f"{run[1].worst * 1000:.0f} ms" for run in results)
        + ".",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[5000, 2000])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3, help="Bursts to run; the worst is shown.")
    args = parser.parse_args()
    lines = [
        "A synthetic wiki (bench/_wiki.py: methods, case studies, sources and thinkers with long",
        "titles and three long aliases each, sharing most of their words) indexed with the fake",
        "embedder: a lookup never encodes, so its cost does not depend on the model. The real",
        "`OrgBot` runs against the fake Discord on 127.0.0.1; both share one event loop, so the",
        "lag includes the fake's own work (an upper bound for the bot's). The lookups cycle",
        "through /method with a misspelt 100-character name, /page with a 100-character name,",
        "autocomplete of /method (70 characters typed) and of /page (100), and /method by exact",
        "title. Names longer than 100 characters are refused by Discord (the options' max_length)",
        "and cut to 100 by the knowledge base.",
        "",
    ]
    with tempfile.TemporaryDirectory(prefix="orgbot-lookup-") as scratch:
        for pages in args.pages:
            lines += measure(pages, args.count, args.runs, Path(scratch))
    lines.append("Reproduce: `.venv/bin/python -m bench.lookup_bench`")
    write_results("lookup", f"Lookups: {args.count} at once on a big wiki", lines)


if __name__ == "__main__":
    main()
