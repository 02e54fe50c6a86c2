"""The fake Discord's world: users, guilds, channels, and records of what happened.

Everything here is plain data. ``payloads.py`` turns it into the JSON Discord would send;
the REST and gateway code mutate the records; tests read them.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000
_counter = itertools.count(1)


def snowflake() -> int:
    """A unique, time-ordered id shaped like Discord's (so shard routing works)."""
    millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (millis << 22) | (next(_counter) & 0x3FFFFF)


class Perm:
    """Permission bits the bot and its tests care about."""

    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_APPLICATION_COMMANDS = 1 << 31
    CREATE_PUBLIC_THREADS = 1 << 35
    SEND_MESSAGES_IN_THREADS = 1 << 38

    MEMBER = (
        VIEW_CHANNEL
        | SEND_MESSAGES
        | READ_MESSAGE_HISTORY
        | ADD_REACTIONS
        | EMBED_LINKS
        | ATTACH_FILES
        | USE_APPLICATION_COMMANDS
        | CREATE_PUBLIC_THREADS
        | SEND_MESSAGES_IN_THREADS
    )
    ALL = (1 << 50) - 1


class ChannelType:
    TEXT = 0
    DM = 1
    PUBLIC_THREAD = 11


@dataclass
class User:
    id: int
    name: str
    bot: bool = False
    locale: str = "en-US"


@dataclass
class Role:
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    mentionable: bool = False


@dataclass
class Member:
    user: User
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None


@dataclass
class Channel:
    id: int
    name: str
    type: int = ChannelType.TEXT
    guild_id: int | None = None
    parent_id: int | None = None
    owner_id: int | None = None
    recipient: User | None = None
    position: int = 0

    @property
    def is_thread(self) -> bool:
        return self.type == ChannelType.PUBLIC_THREAD


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    locale: str = "en-US"
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)

    def permissions_of(self, user_id: int) -> int:
        member = self.members[user_id]
        if user_id == self.owner_id:
            return Perm.ALL
        bits = self.roles[self.id].permissions
        for role_id in member.role_ids:
            bits |= self.roles[role_id].permissions
        return Perm.ALL if bits & Perm.ADMINISTRATOR else bits

    def role(self, name: str) -> Role:
        return next(r for r in self.roles.values() if r.name == name)

    def channel(self, name: str) -> Channel:
        return next(c for c in self.channels.values() if c.name == name)


@dataclass
class MessageRecord:
    """A message as Discord stores it now; ``versions`` keeps every earlier state."""

    data: dict[str, Any]
    created_at: float
    versions: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False

    @property
    def id(self) -> int:
        return int(self.data["id"])

    @property
    def channel_id(self) -> int:
        return int(self.data["channel_id"])

    @property
    def author_id(self) -> int:
        return int(self.data["author"]["id"])

    @property
    def content(self) -> str:
        return str(self.data.get("content", ""))

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list(self.data.get("embeds", []))

    @property
    def components(self) -> list[dict[str, Any]]:
        return list(self.data.get("components", []))

    @property
    def flags(self) -> int:
        return int(self.data.get("flags", 0))

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    @property
    def loading(self) -> bool:
        return bool(self.flags & 128)

    def find_component(self, custom_id: str) -> dict[str, Any] | None:
        stack = list(self.components)
        while stack:
            component = stack.pop()
            if component.get("custom_id") == custom_id:
                return component
            stack.extend(component.get("components") or [])
        return None

    def custom_ids(self) -> list[str]:
        found: list[str] = []
        stack = list(self.components)
        while stack:
            component = stack.pop(0)
            if "custom_id" in component:
                found.append(component["custom_id"])
            stack.extend(component.get("components") or [])
        return found


@dataclass
class Ack:
    type: int
    data: dict[str, Any]
    at: float


@dataclass
class InteractionRecord:
    """One interaction the fake dispatched and everything the bot answered to it."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    dispatched_at: float
    ack: Ack | None = None
    original: MessageRecord | None = None
    followups: list[MessageRecord] = field(default_factory=list)
    choices: list[dict[str, Any]] | None = None
    answered_at: float | None = None
    last_change: float = 0.0
    extra_acks: list[Ack] = field(default_factory=list)
    callbacks: int = 0  # callback requests seen, refused ones included

    @property
    def ack_latency(self) -> float | None:
        return None if self.ack is None else self.ack.at - self.dispatched_at

    @property
    def answer_latency(self) -> float | None:
        """Seconds from dispatch until the user first saw a real answer (not "thinking")."""
        return None if self.answered_at is None else self.answered_at - self.dispatched_at

    @property
    def deferred(self) -> bool:
        return self.ack is not None and self.ack.type in (5, 6)

    @property
    def messages(self) -> list[MessageRecord]:
        head = [self.original] if self.original is not None else []
        return head + [m for m in self.followups if m is not self.original]


@dataclass
class RequestRecord:
    method: str
    path: str
    query: dict[str, str]
    json: Any
    at: float
    status: int = 0


@dataclass
class Violation:
    rule: str
    detail: str
    request: str = ""

    def __str__(self) -> str:
        where = f" [{self.request}]" if self.request else ""
        return f"{self.rule}: {self.detail}{where}"
