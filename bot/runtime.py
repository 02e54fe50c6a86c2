"""Starting the bot for real: state, knowledge base, published builds, then Discord.

`serve` is what `orgbot run` does. On a host with PostgreSQL configured and no build of its
own yet, the newest published build is fetched first, so a new host needs only `var/` and
the settings. Everything is closed again however the bot stops.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import discord
import yarl

from retrieval import (
    AsyncKnowledgeBase,
    KnowledgeBase,
    current_build,
    install_build,
    load_encoders,
)

from .builds import BuildSync
from .client import OrgBot, freeze_loaded_objects
from .settings import Settings
from .state import PostgresState, StateDB, load_hash_key, open_state


@contextlib.asynccontextmanager
async def state_of(settings: Settings) -> AsyncIterator[StateDB]:
    bot = settings.bot
    db = await open_state(bot.state_url(), bot.state_db, load_hash_key(bot))
    try:
        yield db
    finally:
        await db.close()


def point_at(api_base: str, gateway: str) -> None:
    """Send discord.py's requests to `api_base` (a Discord API proxy, or a test server)."""
    if api_base:
        discord.http.Route.BASE = api_base.rstrip("/")
    if gateway:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)


async def serve(settings: Settings, token: str, **options: Any) -> None:
    point_at(settings.bot.discord.api_base, settings.bot.discord.gateway_url)
    async with state_of(settings) as db:
        shared = isinstance(db, PostgresState)
        if shared:
            await _first_build(settings, db)
        kb = await asyncio.to_thread(KnowledgeBase.open, settings.retrieval)
        worker = AsyncKnowledgeBase(kb)
        try:
            builds = BuildSync(worker, db) if shared else None
            if builds is not None:
                await builds.start()
            freeze_loaded_objects()
            bot = OrgBot(worker, db, settings, shared=shared, builds=builds, **options)
            async with bot:
                await bot.start(token)
        finally:
            worker.close()
            kb.close()


async def _first_build(settings: Settings, db: StateDB) -> None:
    """A host with no build of its own fetches the newest published one."""
    retrieval = settings.retrieval
    if current_build(retrieval.index_dir) is not None:
        return
    latest = await db.latest_build()
    data = await db.build_artifact(latest.build_id) if latest else None
    if latest is None or data is None:
        return  # KnowledgeBase.open says how to make one
    encoders = await asyncio.to_thread(load_encoders, retrieval)
    await asyncio.to_thread(install_build, retrieval, encoders, data, latest.sha256)
