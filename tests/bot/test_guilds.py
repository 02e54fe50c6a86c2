"""Guild settings in memory: no database read on a question's way to its acknowledgement."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.guilds import GuildSettingsCache
from bot.state import GuildSettings, SqliteState


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_settings_read_at_start_are_served_without_the_database(tmp_path: Path) -> None:
    db = await SqliteState.open(tmp_path / "s.sqlite3", b"k")
    await db.save_guild_settings(GuildSettings(7, public_by_default=True))
    cache = GuildSettingsCache(db, max_age=None)
    await cache.start()
    await db.close()  # any read from here on would fail

    assert (await cache.get(7)).public_by_default is True
    assert await cache.get(8) == GuildSettings(8)  # unknown at start: the defaults


async def test_without_notifications_an_old_entry_is_read_again(tmp_path: Path) -> None:
    path, clock = tmp_path / "s.sqlite3", Clock()
    mine, other = await SqliteState.open(path, b"k"), await SqliteState.open(path, b"k")
    cache = GuildSettingsCache(mine, max_age=5.0, clock=clock)
    await cache.start()
    assert (await cache.get(7)).thread_mode is None

    await other.save_guild_settings(GuildSettings(7, thread_mode=False))  # another process
    clock.now = 4.0
    assert (await cache.get(7)).thread_mode is None  # still fresh enough
    clock.now = 6.0
    assert (await cache.get(7)).thread_mode is False
    await mine.close()
    await other.close()


async def test_an_unreadable_database_keeps_the_last_known_settings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db, clock = await SqliteState.open(tmp_path / "s.sqlite3", b"k"), Clock()
    await db.save_guild_settings(GuildSettings(7, public_by_default=True))
    cache = GuildSettingsCache(db, max_age=5.0, clock=clock)
    await cache.start()
    await db._conn.execute("DROP TABLE guild_settings")  # reads fail from now on
    clock.now = 10.0

    assert (await cache.get(7)).public_by_default is True
    assert await cache.fresh(7) == GuildSettings(7, public_by_default=True)
    assert "using the last known" in caplog.text
    await db.close()
