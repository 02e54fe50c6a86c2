"""The bot's own state in `var/orgbot.sqlite3`: guild settings, feedback and the question log.

One aiosqlite connection (its own thread), WAL so several shard processes can share the
file, and numbered migrations applied on open. User ids arrive raw and are stored only as
keyed hashes; direct messages never reach this module.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, cast

import aiosqlite

from .gaps import Gap, group_gaps
from .hashing import hash_user
from .migrations import MIGRATIONS


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class GuildSettings:
    """What `/kb settings` changes. None means "use the bot-wide default"."""

    guild_id: int
    allowed_channels: tuple[int, ...] = ()
    public_by_default: bool | None = None
    threshold: float | None = None
    organiser_role_id: int | None = None
    thread_mode: bool | None = None
    retention_days: int | None = None


SETTING_NAMES = tuple(f.name for f in fields(GuildSettings) if f.name != "guild_id")


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    guild_id: int
    question: str
    lang: str
    answered: bool


class StateDB:
    def __init__(
        self, conn: Any, hash_key: bytes, clock: Callable[[], dt.datetime] = utc_now
    ) -> None:
        self._conn = conn
        self._key = hash_key
        self._clock = clock

    @classmethod
    async def open(
        cls, path: Path, hash_key: bytes, clock: Callable[[], dt.datetime] = utc_now
    ) -> StateDB:
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves so migrations are atomic.
        conn = await aiosqlite.connect(path, isolation_level=None)
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=5000")
        db = cls(conn, hash_key, clock)
        await db.migrate()
        return db

    async def close(self) -> None:
        await self._conn.close()

    async def schema_version(self) -> int:
        await self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        row = await self._fetchone("SELECT COALESCE(MAX(version), 0) FROM schema_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        current = await self.schema_version()
        for version, script in MIGRATIONS:
            if version <= current:
                continue
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(script):
                    await self._conn.execute(statement)
                await self._conn.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (version, self._now()),
                )
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")
            current = version
        return current

    # guild settings

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        row = await self._fetchone(
            f"SELECT {', '.join(SETTING_NAMES)} FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return GuildSettings(guild_id)
        values = dict(zip(SETTING_NAMES, row, strict=True))
        return GuildSettings(
            guild_id=guild_id,
            allowed_channels=tuple(json.loads(values["allowed_channels"] or "[]")),
            public_by_default=_bool(values["public_by_default"]),
            threshold=values["threshold"],
            organiser_role_id=values["organiser_role_id"],
            thread_mode=_bool(values["thread_mode"]),
            retention_days=values["retention_days"],
        )

    async def save_guild_settings(self, settings: GuildSettings) -> None:
        values: list[object] = [
            json.dumps(list(settings.allowed_channels)) if name == "allowed_channels" else
            getattr(settings, name)
            for name in SETTING_NAMES
        ]  # fmt: skip
        columns = ", ".join(SETTING_NAMES)
        updates = ", ".join(f"{name} = excluded.{name}" for name in SETTING_NAMES)
        await self._conn.execute(
            f"INSERT INTO guild_settings (guild_id, {columns}, updated_at) "
            f"VALUES (?, {', '.join('?' * len(SETTING_NAMES))}, ?) "
            f"ON CONFLICT (guild_id) DO UPDATE SET {updates}, updated_at = excluded.updated_at",
            (settings.guild_id, *values, self._now()),
        )

    # question log and feedback

    async def log_question(
        self,
        *,
        guild_id: int,
        channel_id: int | None,
        user_id: int,
        question: str,
        lang: str,
        answered: bool,
        top_score: float | None,
        cited: Iterable[str] = (),
    ) -> int:
        cursor = await self._conn.execute(
            "INSERT INTO question_log (guild_id, channel_id, user_hash, question, lang, "
            "answered, top_score, cited, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                channel_id,
                hash_user(self._key, user_id),
                question,
                lang,
                int(answered),
                top_score,
                " ".join(cited),
                self._now(),
            ),
        )
        return int(cursor.lastrowid)

    async def question(self, question_id: int) -> LoggedQuestion | None:
        row = await self._fetchone(
            "SELECT id, guild_id, question, lang, answered FROM question_log WHERE id = ?",
            (question_id,),
        )
        if row is None:
            return None
        return LoggedQuestion(int(row[0]), int(row[1]), str(row[2]), str(row[3]), bool(row[4]))

    async def record_feedback(self, question_id: int, user_id: int, vote: int) -> bool:
        """Store (or change) a user's vote; False when the question has been purged."""
        logged = await self.question(question_id)
        if logged is None:
            return False
        await self._conn.execute(
            "INSERT INTO feedback (question_id, guild_id, user_hash, vote, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (question_id, user_hash) "
            "DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at",
            (question_id, logged.guild_id, hash_user(self._key, user_id), vote, self._now()),
        )
        return True

    async def votes(self, question_id: int) -> dict[int, int]:
        rows = await self._fetchall(
            "SELECT vote, COUNT(*) FROM feedback WHERE question_id = ? GROUP BY vote",
            (question_id,),
        )
        return {int(vote): int(count) for vote, count in rows}

    async def gaps(self, guild_id: int, days: int, limit: int = 10) -> list[Gap]:
        """The most frequent unanswered or 👎 questions of the last `days` days."""
        since = self._now(days_ago=days)
        rows = await self._fetchall(
            "SELECT q.question, q.answered, "
            "  (SELECT COUNT(*) FROM feedback f WHERE f.question_id = q.id AND f.vote = -1) "
            "FROM question_log q WHERE q.guild_id = ? AND q.created_at >= ? "
            "ORDER BY q.id DESC LIMIT 20000",
            (guild_id, since),
        )
        return group_gaps(((str(q), bool(a), int(d)) for q, a, d in rows), limit)

    async def purge(self, default_days: int) -> int:
        """Delete log rows (and their feedback) older than each guild's retention."""
        guild_days = dict(
            await self._fetchall(
                "SELECT guild_id, retention_days FROM guild_settings "
                "WHERE retention_days IS NOT NULL"
            )
        )
        removed: int = 0
        cursor = await self._conn.execute(
            "DELETE FROM question_log WHERE created_at < ? AND guild_id NOT IN "
            f"({', '.join('?' * len(guild_days))})",
            (self._now(days_ago=default_days), *guild_days),
        )
        removed += max(int(cursor.rowcount), 0)
        for guild_id, days in guild_days.items():
            cursor = await self._conn.execute(
                "DELETE FROM question_log WHERE guild_id = ? AND created_at < ?",
                (guild_id, self._now(days_ago=int(days))),
            )
            removed += max(int(cursor.rowcount), 0)
        return removed

    def _now(self, days_ago: int = 0) -> str:
        moment = self._clock() - dt.timedelta(days=days_ago)
        return moment.astimezone(dt.UTC).isoformat(timespec="seconds")

    async def _fetchone(self, sql: str, args: tuple[object, ...] = ()) -> tuple[Any, ...] | None:
        async with self._conn.execute(sql, args) as cursor:
            row = await cursor.fetchone()
        return cast("tuple[Any, ...] | None", row)

    async def _fetchall(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        async with self._conn.execute(sql, args) as cursor:
            rows = await cursor.fetchall()
        return [tuple(row) for row in rows]


def _bool(value: object) -> bool | None:
    return None if value is None else bool(value)


def _statements(script: str) -> list[str]:
    """Split a migration into statements (our migrations hold no `;` inside literals)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
