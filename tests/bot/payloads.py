"""Interactions for handler tests, made by the fake Discord's one payload builder.

The handler layer feeds these straight to discord.py's parser, without a gateway; the ids
come from one fixed world, so assertions can name them.
"""

from __future__ import annotations

import secrets
from typing import Any

from tests.fakediscord import payloads
from tests.fakediscord.models import Channel, Member, Perm, User, snowflake
from tests.fakediscord.state import World

WORLD = World.default()
APP_ID = BOT_ID = WORLD.app_id
GUILD_ID = WORLD.guild.id
CHANNEL_ID = WORLD.guild.channel("general").id
USER_ID = WORLD.users["alice"].id
ADMIN_PERMISSIONS = str(Perm.MANAGE_GUILD)
NO_PERMISSIONS = "0"


def _invoker(user_id: int) -> User:
    """The world's user with this id, or a new guild member who has it."""
    found = WORLD.user(user_id)
    if found is None:
        found = User(user_id, f"user{user_id}")
        WORLD.users[found.name] = found
        WORLD.guild.members[user_id] = Member(found)
    return found


def _interaction(
    kind: int, data: dict[str, Any], *, guild: bool, locale: str, permissions: str, user_id: int,
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:  # fmt: skip
    invoker = _invoker(user_id)
    channel: Channel = WORLD.guild.channel("general") if guild else WORLD.dm_with(invoker)
    payload = payloads.interaction(
        kind=kind, data=data, app_id=APP_ID, token="tok-" + secrets.token_hex(8),
        interaction_id=snowflake(), channel=channel, invoker=invoker,
        guild=WORLD.guild if guild else None, locale=locale, message=message,
    )  # fmt: skip
    if guild:
        payload["member"]["permissions"] = permissions
    return payload


def slash(
    name: str,
    options: dict[str, Any] | None = None,
    *,
    sub: str | None = None,
    guild: bool = True,
    locale: str = "en-US",
    permissions: str = NO_PERMISSIONS,
    user_id: int = USER_ID,
    focused: str | None = None,
) -> dict[str, Any]:
    """A chat-input command (or, with `focused`, its autocomplete request)."""
    command = f"{name} {sub}" if sub else name
    data = payloads.command_data(command, options, focused=focused)
    data["id"] = str(snowflake())
    kind = 4 if focused else 2
    return _interaction(
        kind, data, guild=guild, locale=locale, permissions=permissions, user_id=user_id
    )


def click(
    message: dict[str, Any],
    custom_id: str,
    *,
    guild: bool = True,
    locale: str = "en-US",
    user_id: int = USER_ID,
) -> dict[str, Any]:
    """A button click on `message` (which must hold a button with `custom_id`)."""
    data = {"custom_id": custom_id, "component_type": 2}
    return _interaction(
        3, data, guild=guild, locale=locale, permissions=NO_PERMISSIONS, user_id=user_id,
        message=message,
    )  # fmt: skip


def bot_message(body: dict[str, Any], channel_id: int = CHANNEL_ID) -> dict[str, Any]:
    """A message the bot sent, as Discord would store and return it."""
    channel = WORLD.channel(channel_id) or Channel(channel_id, "elsewhere", guild_id=GUILD_ID)
    return payloads.message(channel=channel, author=WORLD.bot, body=body)
