"""Channel messages and threads the bot creates, edits and deletes (bot-token routes)."""

from __future__ import annotations

import contextlib
import copy
from typing import Any

from aiohttp import web

from . import limits, payloads
from .models import Channel, MessageRecord
from .rest import GATEWAY_KEY, channel_or_404, error, read_body, reply, state_of, where
from .state import FakeState

EDITABLE = ("content", "embeds", "components", "flags", "attachments")


def vet(
    request: web.Request,
    body: dict[str, Any],
    *,
    has_files: bool = False,
    editing: MessageRecord | None = None,
) -> web.Response | None:
    """Record every rule the body breaks; a 400 response when Discord would refuse it.

    ``editing`` is the message being edited: the edit must not leave it empty.
    """
    state = state_of(request)
    allowed = state.rules.allow_role_mentions
    for problem in limits.check_mentions(body, allowed, editing=editing is not None):
        state.violate("mentions", problem, where(request))
    refused = limits.check_message(body, has_files=has_files, editing=editing is not None)
    if editing is not None and not has_files:
        after = editing.data | {k: v for k, v in body.items() if k in EDITABLE and v is not None}
        refused += [p for p in limits.check_message(after) if p.startswith("empty")]
    for problem in refused:
        state.violate("limits", problem, where(request))
    if refused:
        return error(400, 50035, "Invalid Form Body: " + "; ".join(refused))
    return None


def apply_edit(state: FakeState, record: MessageRecord, body: dict[str, Any]) -> None:
    record.versions.append(copy.deepcopy(record.data))
    for key in EDITABLE:
        if key in body and body[key] is not None:
            record.data[key] = body[key]
    record.data["edited_timestamp"] = payloads.timestamp()
    state.changed()


def bot_message(state: FakeState, channel: Channel, body: dict[str, Any]) -> dict[str, Any]:
    guild = state.world.guild_of(channel)
    return payloads.message(channel=channel, author=state.world.bot, guild=guild, body=body)


async def echo(request: web.Request, record: MessageRecord, channel: Channel) -> None:
    """Discord sends a bot its own messages too; a bot must not answer itself."""
    if record.ephemeral:
        return
    with contextlib.suppress(RuntimeError):  # the bot is shutting down
        await request.app[GATEWAY_KEY].dispatch("MESSAGE_CREATE", record.data, channel.guild_id)


async def create(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_or_404(request)
    if isinstance(channel, web.Response):
        return channel
    body, has_files = await read_body(request)
    refused = vet(request, body, has_files=has_files)
    if refused is not None:
        return refused
    reference = body.get("message_reference")
    if reference and int(reference.get("message_id", 0)) not in state.messages:
        state.violate("unknown message", f"reply to unknown message {reference}", where(request))
        return error(400, 50035, "Invalid Form Body: unknown message_reference")
    record = state.store_message(bot_message(state, channel, body))
    await echo(request, record, channel)
    return reply(record.data)


def _message_or_404(request: web.Request) -> MessageRecord | web.Response:
    state = state_of(request)
    record = state.messages.get(int(request.match_info["message_id"]))
    if record is None or record.deleted:
        state.violate("unknown message", "the message does not exist", where(request))
        return error(404, 10008, "Unknown Message")
    return record


async def get(request: web.Request) -> web.Response:
    record = _message_or_404(request)
    return record if isinstance(record, web.Response) else reply(record.data)


async def edit(request: web.Request) -> web.Response:
    state = state_of(request)
    record = _message_or_404(request)
    if isinstance(record, web.Response):
        return record
    if record.author_id != state.world.bot.id:
        state.violate("forbidden", "the bot edited someone else's message", where(request))
        return error(403, 50005, "Cannot edit a message authored by another user")
    body, _ = await read_body(request)
    refused = vet(request, body, editing=record)
    if refused is not None:
        return refused
    apply_edit(state, record, body)
    return reply(record.data)


async def delete(request: web.Request) -> web.Response:
    record = _message_or_404(request)
    if isinstance(record, web.Response):
        return record
    record.deleted = True
    state_of(request).changed()
    return reply(status=204)


async def _start_thread(
    request: web.Request, parent: Channel, thread_id: int | None
) -> web.Response:
    state = state_of(request)
    body, _ = await read_body(request)
    name = str(body.get("name", ""))
    if not 1 <= len(name) <= limits.THREAD_NAME_MAX:
        state.violate("limits", f"thread name is {len(name)} characters (1..100)", where(request))
        return error(400, 50035, "Invalid Form Body: name")
    if parent.is_thread or parent.guild_id is None:
        state.violate("threads", "threads can only start in guild text channels", where(request))
        return error(400, 50024, "Cannot execute action on this channel type")
    thread = state.world.add_thread(parent, name, thread_id)
    state.threads_started.append(thread)
    data = payloads.channel(thread)
    bot_id = str(state.world.bot.id)
    member = {
        "id": data["id"],
        "user_id": bot_id,
        "flags": 0,
        "join_timestamp": payloads.timestamp(),
    }
    created = data | {"newly_created": True, "member": member}
    await request.app[GATEWAY_KEY].dispatch("THREAD_CREATE", created, parent.guild_id)
    state.changed()
    return reply(data, 201)


async def thread_from_message(request: web.Request) -> web.Response:
    parent = channel_or_404(request)
    if isinstance(parent, web.Response):
        return parent
    record = _message_or_404(request)
    if isinstance(record, web.Response):
        return record
    if any(t.id == record.id for t in state_of(request).threads_started):
        state_of(request).violate("threads", "a thread already exists for this message")
        return error(400, 160004, "A thread has already been created for this message")
    return await _start_thread(request, parent, record.id)


async def thread_without_message(request: web.Request) -> web.Response:
    parent = channel_or_404(request)
    if isinstance(parent, web.Response):
        return parent
    return await _start_thread(request, parent, None)
