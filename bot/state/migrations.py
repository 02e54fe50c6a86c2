"""Numbered schema migrations for the bot's state database.

Each entry runs once, inside one transaction together with the `schema_version` row that
records it, so a crash half-way leaves the previous version intact. Append; never edit.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE guild_settings (
            guild_id INTEGER PRIMARY KEY,
            allowed_channels TEXT NOT NULL DEFAULT '[]',  -- JSON list of channel ids; [] = all
            public_by_default INTEGER,                     -- NULL = the bot's default
            threshold REAL,                                -- NULL = settings.answer.threshold
            organiser_role_id INTEGER,
            thread_mode INTEGER,                           -- NULL = settings.discord.thread_mode
            retention_days INTEGER,                        -- NULL = settings.retention_days
            updated_at TEXT NOT NULL
        );
        CREATE TABLE question_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            guild_id INTEGER NOT NULL,
            channel_id INTEGER,
            user_hash TEXT NOT NULL,      -- HMAC of the user id; raw ids are never stored
            question TEXT NOT NULL,
            lang TEXT NOT NULL,
            answered INTEGER NOT NULL,
            top_score REAL,
            cited TEXT NOT NULL DEFAULT '',  -- space-separated slugs
            created_at TEXT NOT NULL
        );
        CREATE INDEX question_log_guild_time ON question_log (guild_id, created_at);
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            question_id INTEGER NOT NULL REFERENCES question_log (id) ON DELETE CASCADE,
            guild_id INTEGER NOT NULL,
            user_hash TEXT NOT NULL,
            vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
            created_at TEXT NOT NULL,
            UNIQUE (question_id, user_hash)
        );
        CREATE INDEX feedback_guild_time ON feedback (guild_id, created_at);
        """,
    ),
)
