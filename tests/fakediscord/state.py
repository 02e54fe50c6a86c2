"""Shared state of one fake Discord: the world, the records and the rule settings."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from . import limits
from .models import (
    Channel,
    ChannelType,
    Guild,
    InteractionRecord,
    Member,
    MessageRecord,
    Perm,
    RequestRecord,
    Role,
    User,
    Violation,
    snowflake,
)


@dataclass
class Fault:
    """The next `times` requests matching `method` and `path_contains` fail with `status`:
    429 (rate limited for `retry_after` seconds, as Discord says it), 403 (missing
    permissions) or a 5xx."""

    method: str
    path_contains: str
    status: int
    times: int = 1
    retry_after: float = 0.2
    hits: int = 0  # how many requests it failed

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and method == self.method and self.path_contains in path


@dataclass
class Rules:
    """How strict the fake is; tests shorten the deadlines to test lateness quickly."""

    ack_deadline: float = limits.ACK_DEADLINE
    token_lifetime: float = limits.TOKEN_LIFETIME
    allow_role_mentions: Collection[int] = ()


@dataclass
class World:
    """Who and what exists: the bot, one guild with roles, members and channels, users."""

    bot: User
    app_id: int
    guild: Guild
    users: dict[str, User]
    dm_channels: dict[int, Channel] = field(default_factory=dict)
    # More guilds besides `guild`, for tests with several shards (`default(guilds=2)`).
    more_guilds: list[Guild] = field(default_factory=list)

    @property
    def guilds(self) -> list[Guild]:
        return [self.guild, *self.more_guilds]

    def guild_of(self, channel: Channel) -> Guild | None:
        return next((g for g in self.guilds if g.id == channel.guild_id), None)

    @classmethod
    def default(cls, guilds: int = 1) -> World:
        """The bot, users and `guilds` guilds alike, whose ids fall on shards 0, 1, 2… of any
        shard count up to `guilds` (Discord routes by `(id >> 22) % shard_count`)."""
        world = cls._one_guild()
        for n in range(1, guilds):
            world.more_guilds.append(
                _guild_like(world, (world.guild.id >> 22) + n, f"Organisers United {n + 1}")
            )
        return world

    @classmethod
    def _one_guild(cls) -> World:
        bot = User(snowflake(), "orgbot", bot=True)
        gid = snowflake()
        owner = User(snowflake(), "owner")
        users = {
            "owner": owner,
            "alice": User(snowflake(), "alice"),
            "bob": User(snowflake(), "bob"),
            "ada": User(snowflake(), "ada"),
        }
        guild = Guild(gid, "Organisers United", owner_id=owner.id)
        everyone = Role(gid, "@everyone", permissions=Perm.MEMBER)
        organisers = Role(snowflake(), "Organisers", position=1, mentionable=True)
        admins = Role(snowflake(), "Admins", permissions=Perm.MANAGE_GUILD, position=2)
        bot_role = Role(snowflake(), "orgbot", permissions=Perm.MEMBER, position=3)
        for role in (everyone, organisers, admins, bot_role):
            guild.roles[role.id] = role
        roles_of = {"bob": [organisers.id], "ada": [admins.id]}
        for key, user in users.items():
            guild.members[user.id] = Member(user, roles_of.get(key, []))
        guild.members[bot.id] = Member(bot, [bot_role.id])
        for position, name in enumerate(("general", "help")):
            channel = Channel(snowflake(), name, guild_id=gid, position=position)
            guild.channels[channel.id] = channel
        return cls(bot=bot, app_id=bot.id, guild=guild, users=users)

    def add_user(self, name: str) -> User:
        """A new user who is a plain member of every guild (one nobody has spent a cooldown on)."""
        user = User(snowflake(), name)
        self.users[name] = user
        for guild in self.guilds:
            guild.members[user.id] = Member(user, [])
        return user

    def channel(self, channel_id: int) -> Channel | None:
        for guild in self.guilds:
            if channel_id in guild.channels:
                return guild.channels[channel_id]
        return self.dm_channels.get(channel_id)

    def user(self, user_id: int) -> User | None:
        if user_id == self.bot.id:
            return self.bot
        return next((u for u in self.users.values() if u.id == user_id), None)

    def dm_with(self, user: User) -> Channel:
        for channel in self.dm_channels.values():
            if channel.recipient is not None and channel.recipient.id == user.id:
                return channel
        channel = Channel(snowflake(), "", type=ChannelType.DM, recipient=user)
        self.dm_channels[channel.id] = channel
        return channel

    def add_thread(self, parent: Channel, name: str, thread_id: int | None = None) -> Channel:
        thread = Channel(
            thread_id or snowflake(),
            name,
            type=ChannelType.PUBLIC_THREAD,
            guild_id=parent.guild_id,
            parent_id=parent.id,
            owner_id=self.bot.id,
        )
        guild = self.guild_of(parent) or self.guild
        guild.channels[thread.id] = thread
        return thread


def _guild_like(world: World, millis: int, name: str) -> Guild:
    """A guild like the world's first, with its own id (`millis` decides its shard)."""
    first = world.guild
    gid = (millis << 22) | (snowflake() & 0x3FFFFF)
    guild = Guild(gid, name, owner_id=first.owner_id, locale=first.locale)
    for role in first.roles.values():
        role_id = gid if role.id == first.id else snowflake()
        guild.roles[role_id] = Role(role_id, role.name, role.permissions, role.position,
                                    role.mentionable)  # fmt: skip
    names = {r.id: r.name for r in first.roles.values()}
    by_name = {r.name: r.id for r in guild.roles.values()}
    for user_id, member in first.members.items():
        roles = [by_name[names[r]] for r in member.role_ids]
        guild.members[user_id] = Member(member.user, roles)
    for channel in first.channels.values():
        if not channel.is_thread:
            copy = Channel(snowflake(), channel.name, guild_id=gid, position=channel.position)
            guild.channels[copy.id] = copy
    return guild


class FakeState:
    """The world plus every record; ``changed()`` wakes whoever waits for the bot."""

    def __init__(self, world: World, rules: Rules, token: str) -> None:
        self.world = world
        self.rules = rules
        self.token = token
        self.requests: list[RequestRecord] = []
        self.violations: list[Violation] = []
        self.messages: dict[int, MessageRecord] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.by_token: dict[str, InteractionRecord] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.threads_started: list[Channel] = []
        self.faults: list[Fault] = []
        self._changed = asyncio.Event()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    def violate(self, rule: str, detail: str, request: str = "") -> None:
        self.violations.append(Violation(rule, detail, request))
        self.changed()

    def changed(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], bool], within: float) -> bool:
        """Wait until ``predicate()`` holds; False when ``within`` seconds pass first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True

    def store_message(self, data: dict[str, Any]) -> MessageRecord:
        record = MessageRecord(data=data, created_at=self.now())
        self.messages[record.id] = record
        self.changed()
        return record

    def bot_messages_since(self, since: float) -> list[MessageRecord]:
        return [
            m
            for m in self.messages.values()
            if m.author_id == self.world.bot.id and m.created_at >= since and not m.deleted
        ]
