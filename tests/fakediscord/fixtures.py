"""Pytest fixtures for end-to-end tests; import them into a conftest.py to use them.

# tests/bot/conftest.py
from tests.fakediscord.fixtures import fake_bot  # noqa: F401
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import discord
import pytest

from .harness import Harness, running_bot

StartBot = Callable[..., AbstractAsyncContextManager[Harness]]


@pytest.fixture
async def fake_bot() -> AsyncIterator[StartBot]:
    """``async with fake_bot(MyBot(), rules=Rules(...)) as h:``; fails at teardown on violations.

    Violations a test provoked on purpose must be consumed with ``h.take_violations(rule)``.
    """
    started: list[Harness] = []

    @asynccontextmanager
    async def start(bot: discord.Client, **options: Any) -> AsyncIterator[Harness]:
        async with running_bot(bot, check=False, **options) as harness:
            started.append(harness)
            yield harness

    yield start
    for harness in started:
        harness.assert_no_violations()
