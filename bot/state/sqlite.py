"""The state in one SQLite file (`var/orgbot.sqlite3`): orgbot on one machine.

One aiosqlite connection (its own thread), WAL so several shard processes on the machine can
share the file, and foreign keys on so a purged question takes its feedback with it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiosqlite

from .base import Clock, Listener, StateDB, StateError, StateUnavailable, utc_now


class SqliteState(StateDB):
    dialect = "sqlite"
    least = "MIN"

    def __init__(self, conn: Any, hash_key: bytes, clock: Clock = utc_now) -> None:
        super().__init__(hash_key, clock)
        self._conn = conn

    @classmethod
    async def open(cls, path: Path, hash_key: bytes, clock: Clock = utc_now) -> SqliteState:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we issue BEGIN/COMMIT ourselves so migrations are atomic.
            conn = await aiosqlite.connect(path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StateError(f"cannot open the state database {path}: {exc}") from None
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=5000")
        db = cls(conn, hash_key, clock)
        await db.migrate()
        return db

    async def execute(self, sql: str, *args: object) -> int:
        with self._unavailable_on_disk_trouble():
            cursor = await self._conn.execute(sql, args)
        return max(int(cursor.rowcount), 0)

    async def fetch(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        with self._unavailable_on_disk_trouble():
            async with self._conn.execute(sql, args) as cursor:
                rows = await cursor.fetchall()
        return [tuple(row) for row in rows]

    @contextlib.contextmanager
    def _unavailable_on_disk_trouble(self) -> Iterator[None]:
        # OperationalError is SQLite's word for "cannot do it now": a full disk, a read-only
        # file, a lock held past busy_timeout. Programming errors stay what they are.
        try:
            yield
        except sqlite3.OperationalError as exc:
            raise StateUnavailable(f"the state database cannot be used now ({exc})") from exc

    async def _migration_lock(self) -> Any:
        return self._transaction()

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[None]:
        # IMMEDIATE takes the write lock at once: a second process starting at the same
        # moment waits (busy_timeout) and then finds the migrations already applied.
        await self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            await self._conn.execute("ROLLBACK")
            raise
        await self._conn.execute("COMMIT")

    async def listen(self, channel: str, listener: Listener) -> None:
        """Nobody else to hear from: processes sharing one SQLite file read the shared state
        each time instead."""

    async def notify(self, channel: str, payload: str) -> None:
        """Nobody else to tell (see `listen`)."""

    async def close(self) -> None:
        await self._conn.close()
