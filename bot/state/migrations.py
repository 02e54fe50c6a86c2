"""Numbered schema migrations for the bot's state database, in each dialect.

Each entry runs once, inside one transaction together with the `schema_version` row that
records it, so a crash half-way leaves the previous version intact; processes starting
together take a lock first (`BEGIN IMMEDIATE` on SQLite, an advisory lock on PostgreSQL), so
each migration runs exactly once. The two dialects differ only in types. Append; never edit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    sqlite: str
    postgres: str


_GUILD_SETTINGS = """
CREATE TABLE guild_settings (
    guild_id {id} PRIMARY KEY,
    allowed_channels TEXT NOT NULL DEFAULT '[]',  -- JSON list of channel ids; [] = all
    public_by_default {bool},                      -- NULL = the bot's default
    threshold {real},                              -- NULL = settings.answer.threshold
    organiser_role_id {id},
    thread_mode {bool},                            -- NULL = settings.discord.thread_mode
    retention_days INTEGER,                        -- NULL = settings.retention_days
    updated_at TEXT NOT NULL
);
CREATE TABLE question_log (
    id {serial},
    guild_id {id} NOT NULL,
    channel_id {id},
    user_hash TEXT NOT NULL,      -- HMAC of the user id; raw ids are never stored
    question TEXT NOT NULL,
    lang TEXT NOT NULL,
    answered {bool} NOT NULL,
    top_score {real},
    cited TEXT NOT NULL DEFAULT '',  -- space-separated slugs
    created_at TEXT NOT NULL
);
CREATE INDEX question_log_guild_time ON question_log (guild_id, created_at);
CREATE TABLE feedback (
    id {serial},
    question_id {id} NOT NULL REFERENCES question_log (id) ON DELETE CASCADE,
    guild_id {id} NOT NULL,
    user_hash TEXT NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    created_at TEXT NOT NULL,
    UNIQUE (question_id, user_hash)
);
CREATE INDEX feedback_guild_time ON feedback (guild_id, created_at);
"""

_COOLDOWNS_AND_BUILDS = """
-- Per-user question allowance shared by every shard process (token bucket).
CREATE TABLE cooldowns (
    user_hash TEXT PRIMARY KEY,
    tokens {real} NOT NULL,
    counted_at {real} NOT NULL,  -- seconds since the epoch
    allowed {bool} NOT NULL      -- whether the last question was let through
);
-- Published index builds: one verified artifact each, fetched by every host.
CREATE TABLE index_builds (
    build_id TEXT PRIMARY KEY,
    manifest TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes {id} NOT NULL,
    published_at TEXT NOT NULL,
    artifact {blob} NOT NULL
);
CREATE INDEX question_log_time ON question_log (created_at);
"""

_SQLITE = {
    "id": "INTEGER",
    "bool": "INTEGER",
    "real": "REAL",
    "serial": "INTEGER PRIMARY KEY AUTOINCREMENT",
    "blob": "BLOB",
}
_POSTGRES = {
    "id": "BIGINT",
    "bool": "BOOLEAN",
    "real": "DOUBLE PRECISION",
    "serial": "BIGSERIAL PRIMARY KEY",
    "blob": "BYTEA",
}


def _both(version: int, script: str) -> Migration:
    return Migration(version, script.format(**_SQLITE), script.format(**_POSTGRES))


MIGRATIONS: tuple[Migration, ...] = (
    _both(1, _GUILD_SETTINGS),
    _both(2, _COOLDOWNS_AND_BUILDS),
)


def statements(script: str) -> list[str]:
    """Split a migration into statements (our migrations hold no `;` inside literals)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
