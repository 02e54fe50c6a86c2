"""Two hosts, one PostgreSQL: 1,000 /ask at once spread over two `orgbot run` processes, and
how many state writes a second each backend takes.

Each host is a real `orgbot run` process with its own `var/` (shard 0 and shard 1 of two),
the bundled encoders and the bundled wiki, sharing a throwaway PostgreSQL 15 server; the
fake Discord (in this process) routes half the guild's questions to each shard.

    .venv/bin/python -m bench.hosts_burst [--count 1000] [--fake-embedder]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench._common import QUESTIONS, ROOT, percentiles, write_results
from bot.state import PostgresState, SqliteState, StateDB
from tests.e2e.hosts import FAKE_MODELS, make_host, wait_until_ready
from tests.fakediscord.bench import summarize
from tests.fakediscord.harness import running_fake
from tests.fakediscord.models import InteractionRecord, Member, User
from tests.fakediscord.payloads import command_data
from tests.fakediscord.state import World
from tests.pgserver import postgres_server

ACK_LIMIT = 3.0
BUNDLED = ""  # the default settings: the bundled encoders


def questions(count: int) -> list[str]:
    import json

    lines = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line]
    return [lines[n % len(lines)] for n in range(count)]


async def burst(count: int, fake_models: bool, root: Path, state_url: str) -> dict[str, object]:
    world = World.default(guilds=2)
    for n in range(40):  # enough askers that nobody waits for a cooldown
        user = User(world.guild.owner_id + 1000 + n, f"asker{n}")
        world.users[user.name] = user
        for guild in world.guilds:
            guild.members[user.id] = Member(user)
    async with running_fake(world) as fake:
        models = FAKE_MODELS if fake_models else BUNDLED
        hosts = [
            make_host(
                root, name, ROOT / "content", state_url, fake, models=models, cooldown_seconds=0
            )
            for name in ("a", "b")
        ]
        started = time.perf_counter()
        built = hosts[0].orgbot("index", "build", timeout=600)
        assert built.returncode == 0, built.stderr
        build_seconds = time.perf_counter() - started
        assert hosts[0].orgbot("index", "publish").returncode == 0
        for shard, host in enumerate(hosts):
            host.start(fake.token, str(shard), 2)
        try:
            await wait_until_ready(hosts, within=180)
            askers = [u for name, u in fake.world.users.items() if name.startswith("asker")]
            asked = questions(count)
            records: list[InteractionRecord] = []
            started = time.perf_counter()
            for n, question in enumerate(asked):
                guild = fake.world.guilds[n % 2]
                records.append(
                    await fake.send_interaction(
                        2,
                        command_data("ask", {"question": question}),
                        user=askers[n % len(askers)],
                        channel=guild.channel("general"),
                    )
                )
            await fake.state.wait_until(
                lambda: all(r.answered_at is not None for r in records), 120
            )
            elapsed = time.perf_counter() - started
            summary = summarize(records) | {"elapsed": elapsed, "build_seconds": build_seconds}
            per_shard = [0, 0]
            for r in records:
                guild_id = int(r.payload["guild_id"])
                per_shard[(guild_id >> 22) % 2] += 1
            summary["per_shard"] = per_shard
            summary["violations"] = len(fake.violations)
            return summary
        finally:
            for host in hosts:
                host.stop()


async def writes_per_second(db: StateDB, total: int, concurrency: int) -> tuple[float, list[float]]:
    """Question-log writes a second with `concurrency` writers, and each write's ms."""
    latencies: list[float] = []

    async def writer(offset: int) -> None:
        for n in range(offset, total, concurrency):
            started = time.perf_counter()
            await db.log_question(
                guild_id=1, channel_id=2, user_id=n, question=f"question {n}", lang="en",
                answered=n % 3 == 0, top_score=0.5, cited=["one-to-ones"],
            )  # fmt: skip
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(writer(c) for c in range(concurrency)))
    return total / (time.perf_counter() - started), latencies


async def state_writes(root: Path, url: str) -> list[str]:
    lines = ["| backend | writers | writes/s | ms per write p50 / p95 |", "|---|---:|---:|---:|"]
    for label, open_db in (
        ("SQLite (WAL, one file)", lambda: SqliteState.open(root / "bench.sqlite3", b"k")),
        ("PostgreSQL 15 (asyncpg pool of 10)", lambda: PostgresState.open(url, b"k")),
    ):
        db = await open_db()
        for writers in (1, 20):
            rate, latencies = await writes_per_second(db, 2000, writers)
            p = percentiles(latencies)
            lines.append(f"| {label} | {writers} | {rate:.0f} | {p['p50']:.2f} / {p['p95']:.2f} |")
        await db.close()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--fake-embedder", action="store_true")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="orgbot-hosts-"))
    with postgres_server() as server:
        summary = asyncio.run(
            burst(args.count, args.fake_embedder, root, server.create_database("burst"))
        )
        writes = asyncio.run(state_writes(root, server.create_database("writes")))

    def ms(key: str) -> str:
        value = summary[key]
        return "—" if value is None else f"{float(value) * 1000:.0f} ms"  # type: ignore[arg-type]

    ok = summary["acknowledged_within_3s"] == args.count
    embedder = "fake embedders" if args.fake_embedder else "the bundled encoders (MiniLM + USE)"
    lines = [
        f"Two `orgbot run` processes (shard 0 and shard 1 of 2, each its own var/, {embedder}, "
        "the bundled wiki) sharing one PostgreSQL 15 server on 127.0.0.1; the fake Discord "
        f"sends {args.count} /ask at once, alternating between the two guilds, so each shard "
        f"gets half ({summary['per_shard'][0]} / {summary['per_shard'][1]}). The processes and "
        "the fake share this machine's 2 cores.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| acknowledged within {ACK_LIMIT:.0f} s | {summary['acknowledged_within_3s']} / "
        f"{args.count} ({'pass' if ok else 'FAIL'}) |",
        f"| answered | {summary['answered']} / {args.count} |",
        f"| time to first response p50 / p95 / max | {ms('ack_p50')} / {ms('ack_p95')} / "
        f"{ms('ack_max')} |",
        f"| time to answer p50 / p95 / max | {ms('answer_p50')} / {ms('answer_p95')} / "
        f"{ms('answer_max')} |",
        f"| whole burst served in | {float(summary['elapsed']):.1f} s |",  # type: ignore[arg-type]
        f"| Discord rules broken | {summary['violations']} |",
        f"| index build before the run | {float(summary['build_seconds']):.1f} s |",  # type: ignore[arg-type]
        "",
        "## State writes (the question log), 2,000 each",
        "",
        *writes,
        "",
        "Reproduce: `.venv/bin/python -m bench.hosts_burst`",
    ]
    write_results("hosts", f"Two hosts: {args.count} /ask at once over two processes", lines)


if __name__ == "__main__":
    main()
