"""Fixtures for the bot's tests: the fixture wiki indexed with the fake embedder, a real
state database, and an `OrgBot` whose transport to Discord is recorded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import discord
import pytest
from discord.webhook.async_ import AsyncWebhookAdapter

from bot.client import OrgBot
from bot.settings import Settings
from bot.state import StateDB
from retrieval import AsyncKnowledgeBase
from tests.fakediscord import payloads

from .payloads import APP_ID, WORLD
from .recorder import Recorder


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(
        AsyncWebhookAdapter,
        "request",
        lambda self, route, session, **kw: recorder.webhook_request(route, session, **kw),
    )
    return recorder


@pytest.fixture
async def bot(
    worker: AsyncKnowledgeBase, state: StateDB, settings: Settings, recorder: Recorder
) -> AsyncIterator[OrgBot]:
    bot = OrgBot(worker, state, settings)
    async with bot:
        bot.http.request = recorder.http_request  # type: ignore[method-assign]
        connection = bot._connection
        connection.user = discord.ClientUser(state=connection, data=payloads.user(WORLD.bot))
        connection.application_id = APP_ID
        await bot.setup_hook()
        yield bot


async def settle(within: float = 5.0) -> None:
    """Wait until every task discord.py started for an event or interaction has finished."""
    prefixes = ("CommandTree-invoker", "discord-ui-", "discord.py:")
    deadline = asyncio.get_running_loop().time() + within
    while True:
        pending = [
            task
            for task in asyncio.all_tasks()
            if not task.done() and task.get_name().startswith(prefixes)
        ]
        if not pending:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"still running: {[t.get_name() for t in pending]}")
        await asyncio.sleep(0.01)


@pytest.fixture
def deliver(bot: OrgBot) -> Callable[[dict[str, Any]], Any]:
    """Feed an INTERACTION_CREATE payload through discord.py's own parser, then wait."""

    async def deliver(payload: dict[str, Any]) -> None:
        bot._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
        await settle()

    return deliver
