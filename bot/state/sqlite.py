"""The state in one SQLite file (`var/orgbot.sqlite3`): orgbot on one machine.

One aiosqlite connection (its own thread), WAL so several shard processes on the machine can
share the file, and foreign keys on so a purged question takes its feedback with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiosqlite

from .base import Clock, Listener, StateDB, StateError, StateUnavailable, utc_now

# Switching a file to WAL needs it alone for an instant. When processes open a new file at the
# same moment, SQLite may answer "database is locked" at once instead of waiting out
# busy_timeout (waiting could deadlock): 10 of 200 runs of four processes opening one new file
# together failed so. So the switch is tried again until WAL_WAIT seconds have passed.
WAL_WAIT = 5.0
_WAL_PAUSE = 0.02


async def _use_wal(conn: Any, path: Path) -> None:
    deadline = time.monotonic() + WAL_WAIT
    while True:
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") not in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                raise  # a read-only or full disk is not a wait: as before
            if time.monotonic() >= deadline:
                await conn.close()
                raise StateError(
                    f"cannot open the state database {path}: it stayed locked ({exc}); is "
                    "another program holding it open in a transaction?"
                ) from None
        await asyncio.sleep(_WAL_PAUSE)


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
        await conn.execute("PRAGMA busy_timeout=5000")
        await _use_wal(conn, path)
        await conn.execute("PRAGMA foreign_keys=ON")
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
