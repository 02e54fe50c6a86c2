"""The bot's state, whichever database holds it: guild settings, feedback, the question log,
shared cooldowns and published index builds.

`StateDB` holds the logic and the SQL, written once with `?` placeholders; `SqliteState`
(one machine) and `PostgresState` (several) only connect, run statements and lock for
migrations. User ids arrive raw and are stored only as keyed hashes; direct messages never
reach this module.
"""

from __future__ import annotations

import abc
import asyncio
import datetime as dt
import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any

from retrieval import OrgbotError

from .gaps import Gap, group_gaps
from .hashing import hash_user

Clock = Callable[[], dt.datetime]
Listener = Callable[[str], Awaitable[None]]
PURGE_BATCH = 500  # rows a purge deletes at a time, so questions are served in between
KEEP_PUBLISHED = 5  # published index builds kept in the state database


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class StateError(OrgbotError):
    """The state database cannot be opened or used; the message says which and why."""


class StateUnavailable(StateError):
    """A statement failed because the database is out of reach for now (a server restarting,
    a full or read-only disk): an operating condition to wait out, not a bug."""


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


@dataclass(frozen=True)
class PublishedBuild:
    build_id: str
    manifest: str
    sha256: str
    size_bytes: int


class StateDB(abc.ABC):
    """One state database; subclasses say how to talk to it."""

    dialect: str  # "sqlite" or "postgres": which migration text to run
    least: str  # the dialect's two-argument minimum

    def __init__(self, hash_key: bytes, clock: Clock = utc_now) -> None:
        self._key = hash_key
        self._clock = clock

    # -- what a backend provides ----------------------------------------------------------

    @abc.abstractmethod
    async def execute(self, sql: str, *args: object) -> int:
        """Run one statement; the number of rows it changed."""

    @abc.abstractmethod
    async def fetch(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        """Run one query; its rows."""

    @abc.abstractmethod
    async def _migration_lock(self) -> Any:
        """An async context manager: one transaction, held by one process at a time."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    async def listen(self, channel: str, listener: Listener) -> None:
        """Call `listener` with each payload notified on `channel`, by any process."""

    @abc.abstractmethod
    async def notify(self, channel: str, payload: str) -> None:
        """Tell every process listening on `channel`."""

    # -- schema ---------------------------------------------------------------------------

    async def schema_version(self) -> int:
        rows = await self.fetch("SELECT COALESCE(MAX(version), 0) FROM schema_version")
        return int(rows[0][0])

    async def migrate(self) -> int:
        """Apply the migrations this database lacks, each once, under a lock."""
        from .migrations import MIGRATIONS, statements

        async with await self._migration_lock():
            await self.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            current = await self.schema_version()
            for migration in MIGRATIONS:
                if migration.version <= current:
                    continue
                for statement in statements(getattr(migration, self.dialect)):
                    await self.execute(statement)
                await self.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    migration.version, self._now(),
                )  # fmt: skip
                current = migration.version
        return current

    # -- guild settings -------------------------------------------------------------------

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        rows = await self.fetch(
            f"SELECT guild_id, {', '.join(SETTING_NAMES)} FROM guild_settings WHERE guild_id = ?",
            guild_id,
        )
        return _settings(rows[0]) if rows else GuildSettings(guild_id)

    async def all_guild_settings(self) -> list[GuildSettings]:
        rows = await self.fetch(f"SELECT guild_id, {', '.join(SETTING_NAMES)} FROM guild_settings")
        return [_settings(row) for row in rows]

    async def save_guild_settings(self, settings: GuildSettings) -> None:
        values: list[object] = [
            json.dumps(list(settings.allowed_channels)) if name == "allowed_channels" else
            getattr(settings, name)
            for name in SETTING_NAMES
        ]  # fmt: skip
        columns = ", ".join(SETTING_NAMES)
        updates = ", ".join(f"{name} = excluded.{name}" for name in SETTING_NAMES)
        await self.execute(
            f"INSERT INTO guild_settings (guild_id, {columns}, updated_at) "
            f"VALUES (?, {', '.join('?' * len(SETTING_NAMES))}, ?) "
            f"ON CONFLICT (guild_id) DO UPDATE SET {updates}, updated_at = excluded.updated_at",
            settings.guild_id, *values, self._now(),
        )  # fmt: skip

    # -- question log and feedback --------------------------------------------------------

    async def log_question(
        self, *, guild_id: int, channel_id: int | None, user_id: int, question: str, lang: str,
        answered: bool, top_score: float | None, cited: Iterable[str] = (),
    ) -> int:  # fmt: skip
        rows = await self.fetch(
            "INSERT INTO question_log (guild_id, channel_id, user_hash, question, lang, "
            "answered, top_score, cited, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            guild_id, channel_id, hash_user(self._key, user_id), question, lang, answered,
            top_score, " ".join(cited), self._now(),
        )  # fmt: skip
        return int(rows[0][0])

    async def question(self, question_id: int) -> LoggedQuestion | None:
        rows = await self.fetch(
            "SELECT id, guild_id, question, lang, answered FROM question_log WHERE id = ?",
            question_id,
        )
        if not rows:
            return None
        row = rows[0]
        return LoggedQuestion(int(row[0]), int(row[1]), str(row[2]), str(row[3]), bool(row[4]))

    async def record_feedback(self, question_id: int, user_id: int, vote: int) -> bool:
        """Store (or change) a user's vote; False when the question has been purged."""
        logged = await self.question(question_id)
        if logged is None:
            return False
        await self.execute(
            "INSERT INTO feedback (question_id, guild_id, user_hash, vote, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (question_id, user_hash) "
            "DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at",
            question_id, logged.guild_id, hash_user(self._key, user_id), vote, self._now(),
        )  # fmt: skip
        return True

    async def votes(self, question_id: int) -> dict[int, int]:
        rows = await self.fetch(
            "SELECT vote, COUNT(*) FROM feedback WHERE question_id = ? GROUP BY vote",
            question_id,
        )
        return {int(vote): int(count) for vote, count in rows}

    async def gaps(self, guild_id: int, days: int, limit: int = 10) -> list[Gap]:
        """The most frequent unanswered or 👎 questions of the last `days` days."""
        rows = await self.fetch(
            "SELECT q.question, q.answered, "
            "  (SELECT COUNT(*) FROM feedback f WHERE f.question_id = q.id AND f.vote = -1) "
            "FROM question_log q WHERE q.guild_id = ? AND q.created_at >= ? "
            "ORDER BY q.id DESC LIMIT 20000",
            guild_id, self._now(days_ago=days),
        )  # fmt: skip
        return group_gaps(((str(q), bool(a), int(d)) for q, a, d in rows), limit)

    async def purge(self, default_days: int, batch: int = PURGE_BATCH) -> int:
        """Delete log rows (and their feedback) older than each guild's retention.

        In batches, yielding between them: a purge of a million rows must never hold the
        database long enough to keep a question waiting.
        """
        guild_days = dict(
            await self.fetch(
                "SELECT guild_id, retention_days FROM guild_settings "
                "WHERE retention_days IS NOT NULL"
            )
        )
        others = f"AND guild_id NOT IN ({', '.join('?' * len(guild_days))})" if guild_days else ""
        plans: list[tuple[str, tuple[object, ...]]] = [
            (f"created_at < ? {others}", (self._now(days_ago=default_days), *guild_days))
        ]
        plans += [
            ("guild_id = ? AND created_at < ?", (guild_id, self._now(days_ago=int(days))))
            for guild_id, days in guild_days.items()
        ]
        removed = 0
        for where, args in plans:
            while True:
                count = await self.execute(
                    "DELETE FROM question_log WHERE id IN "
                    f"(SELECT id FROM question_log WHERE {where} LIMIT ?)",
                    *args, batch,
                )  # fmt: skip
                removed += count
                if count < batch:
                    break
                await asyncio.sleep(0)
        return removed

    # -- cooldowns shared by every process --------------------------------------------------

    async def spend_question(self, user_id: int, seconds: float, burst: int) -> float:
        """Spend one of `burst` questions per `seconds` for `user_id` (a token bucket kept in
        the database, so it holds on every shard); 0.0 when allowed, else seconds to wait."""
        if seconds <= 0:
            return 0.0
        rate = burst / seconds
        now = self._clock().timestamp()
        refilled = f"{self.least}(?, cooldowns.tokens + (? - cooldowns.counted_at) * ?)"
        rows = await self.fetch(
            "INSERT INTO cooldowns (user_hash, tokens, counted_at, allowed) VALUES (?, ?, ?, ?) "
            f"ON CONFLICT (user_hash) DO UPDATE SET "
            f"tokens = CASE WHEN {refilled} >= 1 THEN {refilled} - 1 ELSE {refilled} END, "
            f"allowed = {refilled} >= 1, counted_at = ? RETURNING tokens, allowed",
            hash_user(self._key, user_id), float(burst - 1), now, True,
            *(float(burst), now, rate) * 4, now,
        )  # fmt: skip
        tokens, allowed = rows[0]
        return 0.0 if allowed else (1.0 - float(tokens)) / rate

    # -- published index builds -----------------------------------------------------------

    async def publish_build(self, build: PublishedBuild, artifact: bytes) -> bool:
        """Store a build's artifact; False when that build was published already.

        Only the newest KEEP_PUBLISHED builds stay: enough for a host that heard of one a
        moment ago to still fetch it, without the table growing by a build per edit.
        """
        changed = await self.execute(
            "INSERT INTO index_builds (build_id, manifest, sha256, size_bytes, published_at, "
            "artifact) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (build_id) DO NOTHING",
            build.build_id, build.manifest, build.sha256, build.size_bytes, self._now(), artifact,
        )  # fmt: skip
        await self.execute(
            "DELETE FROM index_builds WHERE build_id NOT IN (SELECT build_id FROM index_builds "
            "ORDER BY published_at DESC, build_id DESC LIMIT ?)",
            KEEP_PUBLISHED,
        )
        return changed > 0

    async def latest_build(self) -> PublishedBuild | None:
        rows = await self.fetch(
            "SELECT build_id, manifest, sha256, size_bytes FROM index_builds "
            "ORDER BY published_at DESC, build_id DESC LIMIT 1"
        )
        return PublishedBuild(*rows[0]) if rows else None

    async def build_artifact(self, build_id: str) -> bytes | None:
        rows = await self.fetch("SELECT artifact FROM index_builds WHERE build_id = ?", build_id)
        return bytes(rows[0][0]) if rows else None

    def _now(self, days_ago: int = 0) -> str:
        moment = self._clock() - dt.timedelta(days=days_ago)
        return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _settings(row: tuple[Any, ...]) -> GuildSettings:
    values = dict(zip(("guild_id", *SETTING_NAMES), row, strict=True))
    return GuildSettings(
        guild_id=int(values["guild_id"]),
        allowed_channels=tuple(json.loads(values["allowed_channels"] or "[]")),
        public_by_default=_bool(values["public_by_default"]),
        threshold=values["threshold"],
        organiser_role_id=values["organiser_role_id"],
        thread_mode=_bool(values["thread_mode"]),
        retention_days=values["retention_days"],
    )


def _bool(value: object) -> bool | None:
    return None if value is None else bool(value)
