"""The state suite runs against both backends: a SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.state import PostgresState, SqliteState, StateDB
from bot.state.base import Clock, utc_now
from tests.pgserver import PostgresServer

Opener = Callable[..., Awaitable[StateDB]]
_names = itertools.count()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Opener:
    """Opens this test's database (the same one on every call) with either backend."""
    if request.param == "sqlite":
        path = tmp_path / "state.sqlite3"

        async def open_sqlite(key: bytes = b"k", clock: Clock = utc_now) -> StateDB:
            return await SqliteState.open(path, key, clock)

        return open_sqlite
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.create_database(f"state_{next(_names)}")

    async def open_postgres(key: bytes = b"k", clock: Clock = utc_now) -> StateDB:
        return await PostgresState.open(url, key, clock, pool_size=4)

    return open_postgres
