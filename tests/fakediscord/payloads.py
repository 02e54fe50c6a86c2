"""JSON shapes Discord sends, built from the world's plain data (API v10, discord.py 2.4–2.7)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .models import Channel, ChannelType, Guild, Member, Perm, Role, User, snowflake

_OPTION_TYPES = {str: 3, int: 4, bool: 5, float: 10}
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
BOT_PERMISSIONS = Perm.MEMBER | Perm.MANAGE_MESSAGES


def timestamp() -> str:
    return datetime.now(UTC).isoformat()


def user(u: User) -> dict[str, Any]:
    return {
        "id": str(u.id),
        "username": u.name,
        "global_name": u.name,
        "discriminator": "0",
        "avatar": None,
        "bot": u.bot,
        "public_flags": 0,
        "flags": 0,
    }


def role(r: Role) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "name": r.name,
        "permissions": str(r.permissions),
        "position": r.position,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": r.mentionable,
        "flags": 0,
    }


def member(m: Member, *, with_user: bool = True, permissions: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "roles": [str(r) for r in m.role_ids],
        "nick": m.nick,
        "joined_at": timestamp(),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
    }
    if with_user:
        data["user"] = user(m.user)
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def channel(c: Channel) -> dict[str, Any]:
    if c.type == ChannelType.DM:
        recipients = [user(c.recipient)] if c.recipient else []
        return {"id": str(c.id), "type": c.type, "recipients": recipients, "last_message_id": None}
    data: dict[str, Any] = {
        "id": str(c.id),
        "type": c.type,
        "name": c.name,
        "guild_id": str(c.guild_id),
        "position": c.position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": str(c.parent_id) if c.parent_id else None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
    }
    if c.is_thread:
        data |= {
            "owner_id": str(c.owner_id),
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": timestamp(),
                "locked": False,
                "create_timestamp": timestamp(),
            },
        }
    return data


def guild_create(g: Guild) -> dict[str, Any]:
    """The full GUILD_CREATE; ``member_count`` equals the members sent so no chunking waits."""
    threads = [c for c in g.channels.values() if c.is_thread]
    return {
        "id": str(g.id),
        "name": g.name,
        "owner_id": str(g.owner_id),
        "icon": None,
        "unavailable": False,
        "large": False,
        "preferred_locale": g.locale,
        "features": [],
        "joined_at": timestamp(),
        "member_count": len(g.members),
        "roles": [role(r) for r in g.roles.values()],
        "members": [member(m) for m in g.members.values()],
        "channels": [channel(c) for c in g.channels.values() if not c.is_thread],
        "threads": [channel(c) for c in threads],
        "emojis": [],
        "stickers": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "premium_tier": 0,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "system_channel_flags": 0,
    }


def message(
    *,
    channel: Channel,
    author: User,
    content: str = "",
    guild: Guild | None = None,
    mentions: list[User] | None = None,
    mention_roles: list[int] | None = None,
    body: dict[str, Any] | None = None,
    message_id: int | None = None,
) -> dict[str, Any]:
    """A message object; ``body`` carries what a bot sent (embeds, components, flags…)."""
    body = body or {}
    data: dict[str, Any] = {
        "id": str(message_id or snowflake()),
        "channel_id": str(channel.id),
        "type": 19 if "message_reference" in body else 0,
        "author": user(author),
        "content": body.get("content", content) or "",
        "timestamp": timestamp(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [user(u) for u in mentions or []],
        "mention_roles": [str(r) for r in mention_roles or []],
        "attachments": [],
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "pinned": False,
        "flags": body.get("flags") or 0,
    }
    if "message_reference" in body:
        data["message_reference"] = body["message_reference"]
    if guild is not None:
        data["guild_id"] = str(guild.id)
        if author.id in guild.members:
            data["member"] = member(guild.members[author.id], with_user=False)
    return data


def interaction(
    *,
    kind: int,
    data: dict[str, Any],
    app_id: int,
    token: str,
    interaction_id: int,
    channel: Channel,
    invoker: User,
    guild: Guild | None,
    locale: str,
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """INTERACTION_CREATE with every field discord.py 2.7 reads (kind 2, 3 or 4)."""
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(app_id),
        "type": kind,
        "data": data,
        "token": token,
        "version": 1,
        "locale": locale,
        "channel_id": str(channel.id),
        "channel": channel_for_interaction(channel, guild),
        "app_permissions": str(BOT_PERMISSIONS),
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    if guild is not None:
        perms = guild.permissions_of(invoker.id)
        payload |= {
            "guild_id": str(guild.id),
            "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
            "guild_locale": guild.locale,
            "member": member(guild.members[invoker.id], permissions=perms),
            "authorizing_integration_owners": {"0": str(guild.id)},
            "context": 0,
        }
    else:
        payload |= {
            "user": user(invoker),
            "authorizing_integration_owners": {"0": str(invoker.id)},
            "context": 1,
        }
    if message is not None:
        payload["message"] = message
    return payload


def channel_for_interaction(c: Channel, guild: Guild | None) -> dict[str, Any]:
    data = channel(c)
    if guild is not None:
        data["permissions"] = str(BOT_PERMISSIONS)
    return data


def build_options(
    options: dict[str, Any] | None, focused: str | None = None
) -> list[dict[str, Any]]:
    """``{"question": "hi", "public": True}`` → the option list Discord sends."""
    built = []
    for name, value in (options or {}).items():
        kind = _OPTION_TYPES.get(type(value), 3)
        option: dict[str, Any] = {"name": name, "type": kind, "value": value}
        if name == focused:
            option |= {"focused": True, "type": 3, "value": str(value)}
        built.append(option)
    return built


def command_data(
    command: str, options: dict[str, Any] | None = None, *, focused: str | None = None
) -> dict[str, Any]:
    """Data of a slash command; ``"kb status"`` and ``"kb settings show"`` nest subcommands."""
    name, *path = command.split()
    nested: list[dict[str, Any]] = build_options(options, focused)
    for depth, part in enumerate(reversed(path)):
        nested = [{"name": part, "type": 1 if depth == 0 else 2, "options": nested}]
    return {"id": "0", "name": name, "type": 1, "options": nested}
