"""Starting and stopping the fake, with discord.py pointed at it and restored afterwards."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .server import FakeDiscord
from .state import FakeState, Rules, World


class ErrorsAreViolations(logging.Handler):
    """discord.py logs exceptions a bot let escape; a user would have seen nothing happen."""

    def __init__(self, state: FakeState) -> None:
        super().__init__(logging.ERROR)
        self.state = state

    def emit(self, record: logging.LogRecord) -> None:
        cause = record.exc_info[1] if record.exc_info else None
        detail = record.getMessage() + (f": {cause!r}" if cause else "")
        self.state.violate("bot error", detail)


@asynccontextmanager
async def running_fake(
    world: World | None = None, rules: Rules | None = None
) -> AsyncIterator[FakeDiscord]:
    """A started fake with discord.py pointed at it (for starting bots yourself)."""
    fake = FakeDiscord(world, rules)
    await fake.start()
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = fake.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.ws_url)
    try:
        yield fake
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
        await fake.stop()
