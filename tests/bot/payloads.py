"""Interaction and message payloads as Discord sends them, for handler-level tests.

Only the fields discord.py 2.4–2.7 reads; values are small fixed snowflakes so assertions
can name them.
"""

from __future__ import annotations

import itertools
from typing import Any

APP_ID = 900
BOT_ID = 900
GUILD_ID = 100
CHANNEL_ID = 200
USER_ID = 300
ADMIN_PERMISSIONS = str(1 << 5)  # Manage Server
NO_PERMISSIONS = "0"
_ids = itertools.count(10_000)


def snowflake() -> str:
    return str(next(_ids))


def user(user_id: int = USER_ID, name: str = "asker", bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
    }


def text_channel(channel_id: int = CHANNEL_ID) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": "general",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
    }


def _base(
    kind: int, data: dict[str, Any], *, guild: bool, locale: str, permissions: str, user_id: int
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": snowflake(),
        "application_id": str(APP_ID),
        "type": kind,
        "token": "tok-" + snowflake(),
        "version": 1,
        "data": data,
        "locale": locale,
        "entitlements": [],
        "authorizing_integration_owners": {},
        "attachment_size_limit": 10_485_760,
        "app_permissions": "2147483647",
    }
    if guild:
        payload |= {
            "guild_id": str(GUILD_ID),
            "guild_locale": "en-US",
            "channel_id": str(CHANNEL_ID),
            "channel": text_channel(),
            "context": 0,
            "member": {
                "user": user(user_id),
                "roles": [],
                "joined_at": "2024-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
                "permissions": permissions,
            },
        }
    else:
        dm_channel = {"id": str(CHANNEL_ID + 1), "type": 1, "recipients": [user(user_id)]}
        payload |= {
            "channel_id": dm_channel["id"],
            "channel": dm_channel,
            "user": user(user_id),
            "context": 1,
        }
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
    opts = [
        {"name": key, "type": _option_type(value), "value": value}
        | ({"focused": True} if key == focused else {})
        for key, value in (options or {}).items()
    ]
    if sub is not None:
        opts = [{"name": sub, "type": 1, "options": opts}]
    data = {"id": snowflake(), "name": name, "type": 1, "options": opts}
    kind = 4 if focused else 2
    return _base(kind, data, guild=guild, locale=locale, permissions=permissions, user_id=user_id)


def _option_type(value: object) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


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
    payload = _base(
        3, data, guild=guild, locale=locale, permissions=NO_PERMISSIONS, user_id=user_id
    )
    payload["message"] = message
    return payload


def message(
    *,
    content: str = "",
    embeds: list[dict[str, Any]] | None = None,
    components: list[dict[str, Any]] | None = None,
    channel_id: int = CHANNEL_ID,
    author_id: int = BOT_ID,
    message_id: str | None = None,
    flags: int = 0,
) -> dict[str, Any]:
    return {
        "id": message_id or snowflake(),
        "channel_id": str(channel_id),
        "type": 0,
        "content": content,
        "author": user(author_id, bot=author_id == BOT_ID),
        "embeds": embeds or [],
        "components": components or [],
        "attachments": [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "flags": flags,
        "timestamp": "2026-01-01T00:00:00+00:00",
        "edited_timestamp": None,
    }
