"""`orgbot state backup` and `restore`, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from bot.state import GuildSettings, PostgresState, SqliteState, StateDB
from tests.pgserver import PostgresServer

runner = CliRunner()


def config_for(tmp_path: Path, state_url: str = "") -> Path:
    config = tmp_path / "orgbot.toml"
    config.write_text(f'var_dir = "var"\n[state]\nurl = "{state_url}"\n')
    return config


async def write_and_read(open_db: object, guild: GuildSettings | None) -> GuildSettings:
    db: StateDB = await open_db()  # type: ignore[operator]
    try:
        if guild is not None:
            await db.save_guild_settings(guild)
        return await db.guild_settings(7)
    finally:
        await db.close()


def test_sqlite_state_backs_up_and_restores(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    database = tmp_path / "var" / "orgbot.sqlite3"
    opener = lambda: SqliteState.open(database, b"k")  # noqa: E731
    saved = GuildSettings(7, (1, 2), thread_mode=False)
    asyncio.run(write_and_read(opener, saved))

    backed = runner.invoke(app, ["--config", str(config), "state", "backup", str(tmp_path / "b")])
    assert backed.exit_code == 0, backed.output
    asyncio.run(write_and_read(opener, GuildSettings(7)))  # a later change, then a restore
    restored = runner.invoke(
        app, ["--config", str(config), "state", "restore", str(tmp_path / "b")]
    )

    assert restored.exit_code == 0, restored.output
    assert asyncio.run(write_and_read(opener, None)) == saved


def test_postgres_state_backs_up_and_restores(tmp_path: Path, postgres: PostgresServer) -> None:
    url = postgres.create_database("backup_test")
    config = config_for(tmp_path, url)
    opener = lambda: PostgresState.open(url, b"k")  # noqa: E731
    saved = GuildSettings(7, (1, 2), public_by_default=True)
    asyncio.run(write_and_read(opener, saved))

    backed = runner.invoke(app, ["--config", str(config), "state", "backup", str(tmp_path / "b")])
    assert backed.exit_code == 0, backed.output
    asyncio.run(write_and_read(opener, GuildSettings(7)))
    restored = runner.invoke(
        app, ["--config", str(config), "state", "restore", str(tmp_path / "b")]
    )

    assert restored.exit_code == 0, restored.output
    assert asyncio.run(write_and_read(opener, None)) == saved


def test_a_missing_backup_is_one_clear_line(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["--config", str(config_for(tmp_path)), "state", "restore", str(tmp_path / "nope")]
    )
    assert result.exit_code == 2
    assert "no backup at" in result.output and "Traceback" not in result.output
