"""The state on a PostgreSQL server: shard processes on several hosts share it.

A connection pool (asyncpg) serves the statements; one more connection listens for
notifications (`LISTEN`), so a setting changed or a build published through one process
reaches every other at once. If the server restarts, the pool replaces broken connections on
their next use and the listener reconnects, telling its listeners to catch up on what they
may have missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import asyncpg

from .base import Clock, Listener, StateDB, StateError, StateUnavailable, utc_now

log = logging.getLogger(__name__)
# Taken by the migrating process for the length of its transaction (any constant works;
# this one spells "orgbot").
MIGRATION_LOCK = 0x6F7267626F74
RECONNECT_SECONDS = (0.5, 1, 2, 5, 10)
# Errors that mean "the server went away", which a retry on a fresh connection can cure.
CONNECTION_ERRORS = (
    OSError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.AdminShutdownError,
)


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


@functools.lru_cache(maxsize=256)
def numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2, …` (our SQL has no `?` in literals)."""
    count = iter(range(1, sql.count("?") + 1))
    return re.sub(r"\?", lambda _: f"${next(count)}", sql)


class PostgresState(StateDB):
    dialect = "postgres"
    least = "LEAST"

    def __init__(self, pool: Any, url: str, hash_key: bytes, clock: Clock = utc_now) -> None:
        super().__init__(hash_key, clock)
        self._pool = pool
        self._url = url
        self._pinned: contextvars.ContextVar[Any] = contextvars.ContextVar("pinned", default=None)
        self._listeners: dict[str, list[Listener]] = {}
        self._listening: asyncio.Task[None] | None = None
        self._handling: set[asyncio.Task[None]] = set()
        self._closed = False

    @classmethod
    async def open(
        cls, url: str, hash_key: bytes, clock: Clock = utc_now, *, pool_size: int = 10
    ) -> PostgresState:
        try:
            pool = await asyncpg.create_pool(
                url, min_size=1, max_size=pool_size, command_timeout=30
            )
        except (OSError, asyncpg.PostgresError, asyncpg.exceptions.InterfaceError) as exc:
            raise StateError(
                f"cannot reach the state database at {redacted(url)}: {exc}; check [state] url "
                "and that the server is running"
            ) from None
        db = cls(pool, url, hash_key, clock)
        await db.migrate()
        return db

    async def execute(self, sql: str, *args: object) -> int:
        status = await self._run("execute", sql, args)
        found = re.search(r"(\d+)$", status or "")
        return int(found[1]) if found else 0

    async def fetch(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        rows = await self._run("fetch", sql, args)
        return [tuple(row) for row in rows]

    async def _run(self, method: str, sql: str, args: tuple[object, ...]) -> Any:
        """One statement; tried once more on a fresh connection if the server dropped the
        one the pool handed out (after a restart, every pooled connection is dead)."""
        for attempt in (1, 2):
            try:
                async with self._connection() as conn:
                    return await getattr(conn, method)(numbered(sql), *args)
            except CONNECTION_ERRORS as exc:
                if attempt == 2 or self._pinned.get() is not None:
                    raise StateUnavailable(
                        f"the state server {redacted(self._url)} is unreachable ({exc})"
                    ) from exc
        raise AssertionError("unreachable")

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[Any]:
        pinned = self._pinned.get()
        if pinned is not None:
            yield pinned
            return
        async with self._pool.acquire() as conn:
            yield conn

    async def _migration_lock(self) -> Any:
        return self._locked_transaction()

    @contextlib.asynccontextmanager
    async def _locked_transaction(self) -> AsyncIterator[None]:
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            token = self._pinned.set(conn)
            try:
                yield
            finally:
                self._pinned.reset(token)

    async def notify(self, channel: str, payload: str) -> None:
        await self.execute("SELECT pg_notify(?, ?)", channel, payload)

    async def listen(self, channel: str, listener: Listener) -> None:
        self._listeners.setdefault(channel, []).append(listener)
        if self._listening is None:
            ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._listening = asyncio.create_task(self._listen_forever(ready), name="orgbot-listen")
            await ready
        else:
            await self._connected.add_listener(channel, self._deliver)

    async def _listen_forever(self, ready: asyncio.Future[None]) -> None:
        """Keep one connection listening; after a reconnect, tell every listener to catch up
        (with an empty payload), since notifications sent meanwhile were lost."""
        attempt = 0
        while not self._closed:
            try:
                conn = await asyncpg.connect(self._url)
            except (*CONNECTION_ERRORS, asyncpg.PostgresError) as exc:
                delay = RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)]
                log.warning("state server unreachable (%s); listening again in %s s", exc, delay)
                attempt += 1
                await asyncio.sleep(delay)
                continue
            lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            conn.add_termination_listener(functools.partial(_settle, lost))
            self._connected = conn
            for channel in self._listeners:
                await conn.add_listener(channel, self._deliver)
            if not ready.done():
                ready.set_result(None)
            elif attempt:
                log.info("listening to the state server again")
                await self._catch_up()
            attempt = 0
            with contextlib.suppress(asyncio.CancelledError):
                await lost
            with contextlib.suppress(Exception):
                await conn.close()
            attempt = 1

    def _deliver(self, conn: Any, pid: int, channel: str, payload: str) -> None:
        for listener in self._listeners.get(channel, []):
            task = asyncio.create_task(_run(listener, payload), name=f"orgbot-notified-{channel}")
            self._handling.add(task)  # held until done, so it is not collected midway
            task.add_done_callback(self._handling.discard)

    async def _catch_up(self) -> None:
        for listeners in self._listeners.values():
            for listener in listeners:
                await _run(listener, "")

    async def close(self) -> None:
        self._closed = True
        if self._listening is not None:
            self._listening.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listening
            with contextlib.suppress(Exception):
                await self._connected.close()
        await self._pool.close()


def _settle(lost: asyncio.Future[None], _conn: Any) -> None:
    if not lost.done():
        lost.set_result(None)


async def _run(listener: Listener, payload: str) -> None:
    try:
        await listener(payload)
    except Exception:
        log.exception("a state notification could not be handled")
