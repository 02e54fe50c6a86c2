"""Guild settings kept in memory, so a question reads none of them from the database before
Discord's three seconds to acknowledge run out.

All settings are read once at start. A change made through this process is saved, kept, and
announced on the `orgbot_settings` channel; every other process (PostgreSQL) hears it and
reads that guild again, so a change made on one shard holds on all of them at once. Without
notifications (SQLite, one machine) an entry older than `max_age` is read again, so other
processes sharing the file see a change within that time. If the database cannot be read,
the last known settings (or the defaults) keep the bot answering.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from .state import GuildSettings, StateDB

log = logging.getLogger(__name__)
CHANNEL = "orgbot_settings"


class GuildSettingsCache:
    def __init__(
        self, state: StateDB, *, max_age: float | None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._state = state
        self._max_age = max_age
        self._clock = clock
        self._known: dict[int, tuple[GuildSettings, float]] = {}

    async def start(self) -> None:
        """Read every guild's settings, and listen for changes made elsewhere."""
        await self.reload_all()
        await self._state.listen(CHANNEL, self._changed)

    async def reload_all(self) -> None:
        now = self._clock()
        try:
            found = await self._state.all_guild_settings()
        except Exception as exc:
            log.warning("could not read guild settings (%s); keeping what is known", exc)
            return
        self._known = {settings.guild_id: (settings, now) for settings in found}

    async def get(self, guild_id: int) -> GuildSettings:
        known = self._known.get(guild_id)
        if known is not None and (
            self._max_age is None or self._clock() - known[1] < self._max_age
        ):
            return known[0]
        if known is None and self._max_age is None:
            return GuildSettings(guild_id)  # everything was read at start; changes are heard
        return await self._read(guild_id, known[0] if known else GuildSettings(guild_id))

    async def fresh(self, guild_id: int) -> GuildSettings:
        """The settings as the database has them now, for a decision that must not be stale
        (whom to ping); the last known ones if it cannot be read."""
        known = self._known.get(guild_id)
        return await self._read(guild_id, known[0] if known else GuildSettings(guild_id))

    async def save(self, settings: GuildSettings) -> None:
        await self._state.save_guild_settings(settings)
        self._known[settings.guild_id] = (settings, self._clock())
        try:
            await self._state.notify(CHANNEL, str(settings.guild_id))
        except Exception as exc:  # saved: other processes read it on their next catch-up
            log.warning("could not announce a settings change (%s)", exc)

    async def _read(self, guild_id: int, fallback: GuildSettings) -> GuildSettings:
        try:
            settings = await self._state.guild_settings(guild_id)
        except Exception as exc:
            log.warning(
                "could not read settings of guild %s (%s); using the last known", guild_id, exc
            )
            return fallback
        self._known[guild_id] = (settings, self._clock())
        return settings

    async def _changed(self, payload: str) -> None:
        """A change announced by a process (or "" after a reconnect: read everything)."""
        if payload.isdigit():
            await self._read(int(payload), GuildSettings(int(payload)))
        else:
            await self.reload_all()
