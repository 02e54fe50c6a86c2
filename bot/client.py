"""The Discord client: `OrgBot`, its command tree, and the one place errors are answered.

The constructor takes what the bot depends on (the knowledge base, the state database and
the settings); nothing is read from the environment or opened here, so tests and `main()`
decide where those come from. Features live in `bot/cogs/`, one module each.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import pkgutil
import secrets
from collections import OrderedDict
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from retrieval import AsyncKnowledgeBase

from . import cogs
from .builds import BuildSync
from .cooldown import Allowance, LocalCooldown, SharedCooldown
from .delivery import OnceConnectionState, answer_unrouted_click
from .errors import report_error
from .guilds import GuildSettingsCache
from .settings import Settings
from .state import StateDB

log = logging.getLogger(__name__)
PURGE_EVERY_SECONDS = 6 * 3600
# How old a guild's settings may get in memory when no notification can tell of a change
# (processes sharing one SQLite file).
SQLITE_SETTINGS_AGE = 5.0
# Requests to Discord share this many keep-alive connections. discord.py's default is no
# limit, so a burst of interactions opened one new connection (and TLS handshake, on the
# event loop) per acknowledgement; queueing on a bounded pool keeps the loop responsive.
HTTP_CONNECTIONS = 16


def freeze_loaded_objects() -> None:
    """Exempt everything loaded so far (model, index, pages) from future garbage collection.

    Call once after the knowledge base is open and before connecting: full collections then
    scan only the objects made while serving, so their pauses on the event loop stay short.
    """
    gc.collect()
    gc.freeze()


def extension_names() -> list[str]:
    """Every cog module under `bot/cogs`, skipping `_private` helpers."""
    return sorted(
        f"{cogs.__name__}.{module.name}"
        for module in pkgutil.iter_modules(cogs.__path__)
        if not module.name.startswith("_")
    )


class RecentQuestions:
    """Questions kept only in memory (direct messages), so "more results" can page them.

    Bounded, and lost on restart by design: a DM must never be written to disk.
    """

    def __init__(self, capacity: int = 2000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, tuple[str, str]] = OrderedDict()

    def remember(self, question: str, lang: str) -> str:
        ref = "m" + secrets.token_hex(6)
        self._items[ref] = (question, lang)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return ref

    def recall(self, ref: str) -> tuple[str, str] | None:
        return self._items.get(ref)


class OrgTree(app_commands.CommandTree["OrgBot"]):
    async def on_error(
        self, interaction: discord.Interaction[OrgBot], error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)


class OrgBot(commands.AutoShardedBot):
    def __init__(
        self,
        kb: AsyncKnowledgeBase,
        state: StateDB,
        settings: Settings,
        *,
        message_content: bool = True,
        shared: bool = False,
        builds: BuildSync | None = None,
        **options: Any,
    ) -> None:
        """`shared`: other processes share `state` (PostgreSQL), so cooldowns are kept
        there and settings changes are heard from it rather than re-read."""
        intents = discord.Intents.default()
        # Privileged: needed to read follow-ups in the bot's threads without a mention.
        intents.message_content = message_content
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            tree_cls=OrgTree,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.kb = kb
        self.state = state
        self.settings = settings
        self.builds = builds  # published builds, when hosts share a state server
        seconds, burst = settings.bot.discord.cooldown_seconds, settings.bot.discord.cooldown_burst
        self.cooldown: Allowance = (
            SharedCooldown(state, seconds, burst) if shared else LocalCooldown(seconds, burst)
        )
        self.guild_settings = GuildSettingsCache(
            state, max_age=None if shared else SQLITE_SETTINGS_AGE
        )
        self.recent = RecentQuestions()
        self._purge_task: asyncio.Task[None] | None = None

    async def login(self, token: str) -> None:
        if self.http.connector is discord.utils.MISSING:
            self.http.connector = aiohttp.TCPConnector(limit=HTTP_CONNECTIONS)
        await super().login(token)

    async def setup_hook(self) -> None:
        await self.guild_settings.start()
        for name in extension_names():
            await self.load_extension(name)
        self._purge_task = asyncio.create_task(self._purge_forever(), name="orgbot-purge")

    async def on_ready(self) -> None:
        # One line an operator can grep for: which shards, which build, which state.
        shards = ",".join(str(shard) for shard in sorted(self.shards)) or "0"
        log.info(
            "ready: shards %s of %s, %d guilds, build %s, state %s",
            shards,
            self.shard_count or 1,
            len(self.guilds),
            self.kb.build_id,
            self.state.dialect,
        )

    def _get_state(self, **options: Any) -> OnceConnectionState:
        return OnceConnectionState(
            dispatch=self.dispatch, handlers=self._handlers, hooks=self._hooks, http=self.http,
            **options,
        )  # fmt: skip

    async def on_interaction(self, interaction: discord.Interaction[OrgBot], /) -> None:
        await answer_unrouted_click(interaction)

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: mentions are questions, handled by the mentions cog."""

    async def close(self) -> None:
        if self._purge_task is not None:
            self._purge_task.cancel()
        await super().close()

    async def _purge_forever(self) -> None:
        while True:
            try:
                removed = await self.state.purge(self.settings.bot.retention_days)
                if removed:
                    log.info("retention: deleted %d old question-log rows", removed)
            except Exception:
                log.exception("retention purge failed; will retry")
            await asyncio.sleep(PURGE_EVERY_SECONDS)
