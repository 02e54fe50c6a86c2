"""Run a real discord.py bot against the fake Discord, and act on it as users would.

    async with running_bot(MyBot(...)) as h:
        record = await h.interact("ask", {"question": "What is a power map?"})
        assert record.ack_latency < 3 and "power" in record.original.embeds[0]["title"]

``running_bot`` points discord.py's REST base and gateway at the fake, starts the bot, waits
for ``on_ready`` and, when the block ends, closes the bot, restores discord.py and fails if
any Discord rule was broken (``h.take_violations()`` consumes the ones a test expects).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import discord

from .lifecycle import ErrorsAreViolations, running_fake
from .models import Channel, InteractionRecord, MessageRecord, RequestRecord, User, Violation
from .payloads import command_data
from .server import FakeDiscord
from .state import Rules, World

__all__ = [
    "FakeDiscord",
    "Harness",
    "Rules",
    "SayResult",
    "World",
    "command_data",
    "running_bot",
    "running_fake",
]

READY_GUILD_TIMEOUT = 0.05


@dataclass
class SayResult:
    """A user's message and what the bot posted because of it."""

    sent: MessageRecord
    delivered: bool
    replies: list[MessageRecord] = field(default_factory=list)
    threads: list[Channel] = field(default_factory=list)


class Harness:
    def __init__(self, fake: FakeDiscord, bot: discord.Client) -> None:
        self.fake = fake
        self.bot = bot
        self.state = fake.state

    @property
    def world(self) -> World:
        return self.fake.world

    @property
    def violations(self) -> list[Violation]:
        return self.fake.violations

    @property
    def requests(self) -> list[RequestRecord]:
        return self.state.requests

    def requests_to(self, method: str, path_contains: str = "") -> list[RequestRecord]:
        return [r for r in self.requests if r.method == method and path_contains in r.path]

    def assert_no_violations(self) -> None:
        if self.violations:
            listed = "\n  ".join(map(str, self.violations))
            raise AssertionError(f"the bot broke Discord's rules:\n  {listed}")

    def take_violations(self, rule: str | None = None) -> list[Violation]:
        """Remove and return the violations (of one rule) a test deliberately provoked."""
        taken = [v for v in self.violations if rule is None or v.rule == rule]
        self.violations[:] = [v for v in self.violations if v not in taken]
        return taken

    def user(self, who: User | str) -> User:
        return who if isinstance(who, User) else self.world.users[who]

    def channel(self, where: Channel | str | None) -> Channel:
        if isinstance(where, Channel):
            return where
        return self.world.guild.channel(where or "general")

    def dm_channel(self, who: User | str = "alice") -> Channel:
        return self.world.dm_with(self.user(who))

    # --- interactions ---------------------------------------------------------------------

    def _with_command_ids(self, data: dict[str, Any], channel: Channel) -> dict[str, Any]:
        """Use the id (and guild scope) of a synced command, as Discord would."""
        for scope in (self.world.guild.id if channel.guild_id else None, None):
            for synced in self.state.commands.get(scope, []):
                if synced["name"] == data["name"]:
                    data["id"] = synced["id"]
                    if scope is not None:
                        data["guild_id"] = str(scope)
                    return data
        return data

    async def start_interaction(
        self,
        command: str,
        options: dict[str, Any] | None = None,
        *,
        user: User | str = "alice",
        channel: Channel | str | None = None,
        locale: str | None = None,
        focused: str | None = None,
    ) -> InteractionRecord:
        """Dispatch a slash command (or autocomplete, with ``focused``) without waiting."""
        where = self.channel(channel)
        data = self._with_command_ids(command_data(command, options, focused=focused), where)
        kind = 4 if focused else 2
        return await self.fake.send_interaction(
            kind, data, user=self.user(user), channel=where, locale=locale
        )

    async def interact(
        self,
        command: str,
        options: dict[str, Any] | None = None,
        *,
        user: User | str = "alice",
        channel: Channel | str | None = None,
        locale: str | None = None,
        within: float = 3.0,
        settle: float = 0.05,
    ) -> InteractionRecord:
        """Run a slash command and wait until the bot has answered and gone quiet."""
        record = await self.start_interaction(
            command, options, user=user, channel=channel, locale=locale
        )
        await self.wait_answered(record, within=within, settle=settle)
        return record

    async def autocomplete(
        self,
        command: str,
        options: dict[str, Any],
        focused: str,
        *,
        user: User | str = "alice",
        locale: str | None = None,
    ) -> list[dict[str, Any]]:
        record = await self.start_interaction(
            command, options, user=user, locale=locale, focused=focused
        )
        await self.wait_answered(record, settle=0)
        return record.choices or []

    async def click(
        self,
        message: MessageRecord,
        custom_id: str,
        *,
        user: User | str = "alice",
        values: list[str] | None = None,
        within: float = 3.0,
        settle: float = 0.05,
    ) -> InteractionRecord:
        """Press a button (or choose ``values`` in a select) on a message the bot sent."""
        component = message.find_component(custom_id)
        if component is None:
            raise LookupError(f"no component {custom_id!r} on message; has {message.custom_ids()}")
        if component.get("disabled"):
            raise LookupError(f"component {custom_id!r} is disabled")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            data["values"] = values
        channel = self.world.channel(message.channel_id)
        assert channel is not None
        record = await self.fake.send_interaction(
            3, data, user=self.user(user), channel=channel, message=message
        )
        await self.wait_answered(record, within=within, settle=settle)
        return record

    async def wait_answered(
        self, record: InteractionRecord, *, within: float = 3.0, settle: float = 0.05
    ) -> None:
        """Wait for the acknowledgement, then for the real answer after a defer, then quiet."""
        rules, state = self.state.rules, self.state
        tried = await state.wait_until(lambda: record.callbacks > 0, rules.ack_deadline + 0.25)
        if not tried:
            state.violate("not acknowledged", f"interaction {record.id} got no response")
        if record.ack is None:
            return  # refused: the violation is already recorded
        if record.ack.type == 5:
            answered = await state.wait_until(lambda: record.answered_at is not None, within)
            if not answered:
                state.violate("never answered", f"interaction {record.id} deferred, no answer")
        elif record.ack.type == 6:
            await state.wait_until(lambda: record.answered_at is not None, settle)
        await self._quiet(lambda: record.last_change, settle)

    async def _quiet(self, stamp: Any, settle: float) -> None:
        if settle <= 0:
            return
        while True:
            before = stamp()
            await asyncio.sleep(settle)
            if stamp() == before:
                return

    async def burst(
        self,
        count: int,
        command: str,
        options: dict[str, Any] | None = None,
        *,
        users: list[User | str] | None = None,
        within: float = 30.0,
    ) -> list[InteractionRecord]:
        """Dispatch ``count`` interactions at once and wait for all answers (benchmarks)."""
        who = users or list(self.world.users)
        records = [
            await self.start_interaction(command, options, user=who[n % len(who)])
            for n in range(count)
        ]
        await asyncio.gather(*(self.wait_answered(r, within=within, settle=0) for r in records))
        return records

    # --- messages -------------------------------------------------------------------------

    async def say(
        self,
        channel: Channel | str | None,
        content: str,
        *,
        user: User | str = "alice",
        mentions_bot: bool = True,
        mentions: list[User | str] | None = None,
        expect: int = 1,
        within: float = 3.0,
        settle: float = 0.1,
    ) -> SayResult:
        """Post as a user and collect the bot's replies (anywhere, threads included)."""
        where = self.channel(channel) if not isinstance(channel, Channel) else channel
        threads_before = len(self.state.threads_started)
        since = self.state.now()
        sent, delivered = await self.fake.send_message(
            where, content, user=self.user(user), mentions_bot=mentions_bot,
            mention_users=[self.user(u) for u in mentions or []],
        )  # fmt: skip

        def replies() -> list[MessageRecord]:
            found = self.state.bot_messages_since(since)
            return [m for m in found if "interaction_metadata" not in m.data]

        if delivered:
            await self.state.wait_until(lambda: len(replies()) >= expect, within)
            await self._quiet(lambda: (len(replies()), len(self.state.requests)), settle)
        return SayResult(sent, delivered, replies(), self.state.threads_started[threads_before:])

    async def dm(self, content: str, *, user: User | str = "alice", **kwargs: Any) -> SayResult:
        return await self.say(
            self.dm_channel(user), content, user=user, mentions_bot=False, **kwargs
        )


@asynccontextmanager
async def running_bot(
    bot: discord.Client,
    *,
    world: World | None = None,
    rules: Rules | None = None,
    ready_timeout: float = 5.0,
    check: bool = True,
) -> AsyncIterator[Harness]:
    """Start ``bot`` against a fresh fake; on exit close it and (``check``) assert no violations."""
    async with running_fake(world, rules) as fake:
        connection = bot._connection
        connection.guild_ready_timeout = min(connection.guild_ready_timeout, READY_GUILD_TIMEOUT)
        errors = ErrorsAreViolations(fake.state)
        logging.getLogger("discord").addHandler(errors)
        task = asyncio.create_task(bot.start(fake.token), name="bot under test")
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait(
            {task, ready}, timeout=ready_timeout, return_when="FIRST_COMPLETED"
        )
        harness = Harness(fake, bot)
        try:
            if ready not in done:
                ready.cancel()
                if task in done:
                    task.result()  # raises the bot's start-up error
                raise TimeoutError(f"bot not ready after {ready_timeout} s")
            yield harness
            # let work in flight finish before the bot goes away
            quiet = harness._quiet(lambda: len(harness.requests), 0.05)
            await asyncio.wait_for(quiet, 2.0)
        finally:
            logging.getLogger("discord").removeHandler(errors)
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 5.0)
        if check:
            harness.assert_no_violations()
