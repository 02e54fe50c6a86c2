"""The bot's runtime state: guild settings, feedback, the question log, shared cooldowns and
published index builds, in SQLite on one machine or PostgreSQL for several."""

from __future__ import annotations

from .base import (
    GuildSettings,
    LoggedQuestion,
    PublishedBuild,
    StateDB,
    StateError,
    StateUnavailable,
)
from .gaps import Gap
from .hashing import HashKeyError, hash_user, load_hash_key
from .postgres import PostgresState, redacted
from .sqlite import SqliteState

__all__ = [
    "Gap",
    "GuildSettings",
    "HashKeyError",
    "LoggedQuestion",
    "PostgresState",
    "PublishedBuild",
    "SqliteState",
    "StateDB",
    "StateError",
    "StateUnavailable",
    "hash_user",
    "load_hash_key",
    "open_state",
    "redacted",
]


async def open_state(url: str, default_path: object, hash_key: bytes) -> StateDB:
    """The state database `url` names: `postgresql://…`, `sqlite:///path`, or "" for the
    SQLite file at `default_path`."""
    from pathlib import Path

    if url.startswith(("postgresql://", "postgres://")):
        return await PostgresState.open(url, hash_key)
    if url.startswith("sqlite:///"):
        return await SqliteState.open(Path(url.removeprefix("sqlite:///")), hash_key)
    if url:
        raise StateError(
            f"unknown state URL {redacted(url)!r}; use postgresql://user@host/db, "
            "sqlite:///path/to/file.sqlite3, or leave [state] url empty for var/orgbot.sqlite3"
        )
    return await SqliteState.open(Path(str(default_path)), hash_key)
