"""The state database: migrations, hashed user ids, settings, feedback, retention."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import aiosqlite

from bot.state import GuildSettings, StateDB, hash_user
from bot.state.migrations import MIGRATIONS


async def test_migrations_are_recorded_and_run_once(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    db = await StateDB.open(path, b"k")
    await db.close()
    db = await StateDB.open(path, b"k")  # reopening must not re-run migration 1
    assert await db.schema_version() == MIGRATIONS[-1][0]
    await db.close()
    async with aiosqlite.connect(path) as conn:
        async with conn.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"
        async with conn.execute("SELECT version FROM schema_version") as cursor:
            assert [row[0] for row in await cursor.fetchall()] == [v for v, _ in MIGRATIONS]


async def test_no_raw_user_id_is_stored(tmp_path: Path) -> None:
    db = await StateDB.open(tmp_path / "s.sqlite3", b"key")
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


async def test_guild_settings_round_trip(state: StateDB) -> None:
    assert await state.guild_settings(5) == GuildSettings(5)
    chosen = GuildSettings(5, (7, 8), True, 0.3, 9, False, 10)
    await state.save_guild_settings(chosen)
    assert await state.guild_settings(5) == chosen


async def test_retention_deletes_old_rows_and_their_feedback(tmp_path: Path) -> None:
    now = [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]
    db = await StateDB.open(tmp_path / "s.sqlite3", b"k", clock=lambda: now[0])
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
