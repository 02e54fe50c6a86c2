"""The state database, on SQLite and on PostgreSQL alike: migrations, hashed user ids,
settings, feedback, retention, shared cooldowns, published builds."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path

import aiosqlite
import asyncpg
import pytest

from bot.state import (
    GuildSettings,
    PostgresState,
    PublishedBuild,
    SqliteState,
    StateError,
    StateUnavailable,
    hash_user,
)
from bot.state import sqlite as sqlite_backend
from bot.state.base import KEEP_PUBLISHED
from bot.state.migrations import MIGRATIONS
from tests.pgserver import PostgresServer

from .conftest import Opener

LATEST = MIGRATIONS[-1].version


async def test_migrations_are_recorded_and_run_once(backend: Opener) -> None:
    db = await backend()
    await db.close()
    db = await backend()  # reopening must not re-run any migration
    assert await db.schema_version() == LATEST
    versions = [row[0] for row in await db.fetch("SELECT version FROM schema_version")]
    assert sorted(versions) == [m.version for m in MIGRATIONS]
    await db.close()


async def test_processes_starting_together_migrate_once(backend: Opener) -> None:
    opened = await asyncio.gather(*(backend() for _ in range(4)))
    versions = [row[0] for row in await opened[0].fetch("SELECT version FROM schema_version")]
    assert sorted(versions) == [m.version for m in MIGRATIONS]
    for db in opened:
        await db.close()


async def test_a_sqlite_file_locked_past_the_wait_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE held (x)")
    holder.execute("BEGIN EXCLUSIVE")  # another program, mid-transaction, never letting go
    monkeypatch.setattr(sqlite_backend, "WAL_WAIT", 0.1)
    try:
        with pytest.raises(StateError, match=r"s\.sqlite3: it stayed locked"):
            await SqliteState.open(path, b"k")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    db = await SqliteState.open(path, b"k")  # once it is let go, it opens as usual
    await db.close()


async def test_sqlite_shares_its_file_through_wal(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    db = await SqliteState.open(path, b"k")
    await db.close()
    async with aiosqlite.connect(path) as conn, conn.execute("PRAGMA journal_mode") as cursor:
        assert (await cursor.fetchone())[0] == "wal"


async def test_no_raw_user_id_is_stored(tmp_path: Path) -> None:
    db = await SqliteState.open(tmp_path / "s.sqlite3", b"key")
    await db.log_question(
        guild_id=1,
        channel_id=2,
        user_id=123456789012345678,
        question="q",
        lang="en",
        answered=False,
        top_score=None,
    )
    await db.close()  # checkpoints the WAL into the main file
    raw = (tmp_path / "s.sqlite3").read_bytes()
    assert b"123456789012345678" not in raw
    assert hash_user(b"key", 123456789012345678).encode() in raw


async def test_no_raw_user_id_reaches_the_server(postgres: PostgresServer) -> None:
    url = postgres.create_database("raw_ids")
    db = await PostgresState.open(url, b"key")
    question = await db.log_question(
        guild_id=1, channel_id=2, user_id=123456789012345678, question="q", lang="en",
        answered=False, top_score=None,
    )  # fmt: skip
    await db.record_feedback(question, 123456789012345678, 1)
    await db.spend_question(123456789012345678, 10, 3)
    await db.close()
    conn = await asyncpg.connect(url)
    try:
        for table in ("question_log", "feedback", "cooldowns"):
            rows = await conn.fetch(f"SELECT CAST({table} AS TEXT) AS row FROM {table}")
            text = " ".join(row["row"] for row in rows)
            assert (
                "123456789012345678" not in text and hash_user(b"key", 123456789012345678) in text
            )
    finally:
        await conn.close()


async def test_guild_settings_round_trip(backend: Opener) -> None:
    db = await backend()
    assert await db.guild_settings(5) == GuildSettings(5)
    chosen = GuildSettings(5, (7, 8), True, 0.3, 9, False, 10)
    await db.save_guild_settings(chosen)
    assert await db.guild_settings(5) == chosen
    big = GuildSettings(1234567890123456789, (1234567890123456780,), organiser_role_id=2**62)
    await db.save_guild_settings(big)  # Discord ids need 64 bits
    assert set(await db.all_guild_settings()) == {chosen, big}
    await db.close()


async def test_retention_deletes_old_rows_and_their_feedback(backend: Opener) -> None:
    now = [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]
    db = await backend(clock=lambda: now[0])
    old = await db.log_question(
        guild_id=1,
        channel_id=None,
        user_id=1,
        question="old",
        lang="en",
        answered=False,
        top_score=None,
    )
    await db.record_feedback(old, 2, -1)
    await db.save_guild_settings(GuildSettings(2, retention_days=5))
    short = await db.log_question(
        guild_id=2,
        channel_id=None,
        user_id=1,
        question="short",
        lang="en",
        answered=False,
        top_score=None,
    )
    now[0] += dt.timedelta(days=10)
    fresh = await db.log_question(
        guild_id=1,
        channel_id=None,
        user_id=1,
        question="new",
        lang="en",
        answered=False,
        top_score=None,
    )

    assert await db.purge(default_days=30) == 1  # guild 2 keeps 5 days only
    assert await db.question(short) is None and await db.question(old) is not None
    now[0] += dt.timedelta(days=25)
    assert await db.purge(default_days=30) == 1
    assert await db.question(old) is None and await db.question(fresh) is not None
    assert await db.votes(old) == {}
    await db.close()


async def test_a_big_purge_goes_in_batches_and_lets_questions_through(backend: Opener) -> None:
    now = [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]
    db = await backend(clock=lambda: now[0])
    rows = [(1, None, "h", f"old question {n}", "en", 0, None, "", "2025-01-01T00:00:00+00:00")
            for n in range(3000)]  # fmt: skip
    for row in rows:
        await db.execute(
            "INSERT INTO question_log (guild_id, channel_id, user_hash, question, lang, answered,"
            " top_score, cited, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            *row[:5], bool(row[5]), *row[6:],
        )  # fmt: skip
    finished: list[str] = []

    async def purge() -> None:
        assert await db.purge(default_days=30, batch=100) == 3000
        finished.append("purge")

    async def ask() -> None:
        await asyncio.sleep(0)
        await db.log_question(guild_id=1, channel_id=None, user_id=9, question="new",
                              lang="en", answered=True, top_score=0.9)  # fmt: skip
        finished.append("question")

    await asyncio.gather(purge(), ask())
    assert finished == ["question", "purge"]
    await db.close()


async def test_a_shared_cooldown_counts_every_process(backend: Opener) -> None:
    now = [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]
    first = await backend(clock=lambda: now[0])
    second = await backend(clock=lambda: now[0])  # another shard process, same database

    assert await first.spend_question(42, 10, 2) == 0.0
    assert await second.spend_question(42, 10, 2) == 0.0
    assert await first.spend_question(42, 10, 2) == pytest.approx(5.0)
    assert await second.spend_question(7, 10, 2) == 0.0  # someone else is not held back
    now[0] += dt.timedelta(seconds=5)
    assert await second.spend_question(42, 10, 2) == 0.0
    await first.close()
    await second.close()


async def test_published_builds_come_back_whole_newest_first(backend: Opener) -> None:
    db = await backend()
    older = PublishedBuild("b1", '{"build_id": "b1"}', "sha-1", 3)
    newer = PublishedBuild("b2", '{"build_id": "b2"}', "sha-2", 4)

    assert await db.latest_build() is None
    assert await db.publish_build(older, b"one") is True
    assert await db.publish_build(newer, b"\x00two") is True
    assert await db.publish_build(newer, b"\x00two") is False  # published already

    assert await db.latest_build() == newer
    assert await db.build_artifact("b2") == b"\x00two"
    assert await db.build_artifact("b1") == b"one"
    assert await db.build_artifact("nope") is None
    await db.close()


async def test_only_the_newest_published_builds_are_kept(backend: Opener) -> None:
    db = await backend()
    for n in range(KEEP_PUBLISHED + 2):
        await db.publish_build(PublishedBuild(f"b{n}", "{}", f"sha-{n}", 1), b"x")
    kept = [n for n in range(KEEP_PUBLISHED + 2) if await db.build_artifact(f"b{n}")]
    assert kept == list(range(2, KEEP_PUBLISHED + 2))
    newest = KEEP_PUBLISHED + 1
    assert await db.latest_build() == PublishedBuild(f"b{newest}", "{}", f"sha-{newest}", 1)
    await db.close()


async def test_a_notification_reaches_every_listening_process(postgres: PostgresServer) -> None:
    url = postgres.create_database("notify")
    sender, listener = await PostgresState.open(url, b"k"), await PostgresState.open(url, b"k")
    heard: asyncio.Queue[str] = asyncio.Queue()
    await listener.listen("orgbot_test", heard.put)

    await sender.notify("orgbot_test", "build-7")

    assert await asyncio.wait_for(heard.get(), 5) == "build-7"
    await sender.close()
    await listener.close()


async def test_a_stopped_server_is_unavailable_then_used_again(postgres: PostgresServer) -> None:
    url = postgres.create_database("outage_test")
    db = await PostgresState.open(url, b"k", pool_size=2)
    try:
        await db.save_guild_settings(GuildSettings(7, public_by_default=True))
        postgres.ctl("stop", "-m", "fast")
        try:
            with pytest.raises(StateUnavailable, match="is unreachable") as failed:
                await db.save_guild_settings(GuildSettings(7))
            assert "postgres@127.0.0.1" in str(failed.value)  # which server, never a password
        finally:
            postgres.ctl("start")
        # The pool reconnects by itself: nothing to restart.
        assert (await db.guild_settings(7)).public_by_default is True
    finally:
        await db.close()
