"""Interaction callbacks and the interaction webhook (original response and followups).

Rules enforced: one acknowledgement per interaction, within the ack deadline (3 s) of the
dispatch; the callback type must suit the interaction; followups and edits only after the
acknowledgement and within the token's lifetime (15 min); every message body is vetted.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from . import limits, payloads
from .messages import apply_edit, echo, vet
from .models import Ack, InteractionRecord, MessageRecord
from .rest import API, error, read_body, reply, state_of, where
from .state import FakeState

LOADING, EPHEMERAL = 128, 64
ALLOWED_CALLBACKS = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}


def _response_message(
    state: FakeState, record: InteractionRecord, body: dict[str, Any]
) -> dict[str, Any]:
    world = state.world
    channel = world.channel(int(record.payload["channel_id"]))
    assert channel is not None
    guild = world.guild_of(channel)
    data = payloads.message(channel=channel, author=world.bot, guild=guild, body=body)
    invoker = record.payload.get("member", {}).get("user") or record.payload.get("user")
    data |= {
        "type": 20 if record.type == 2 else 0,
        "webhook_id": str(world.app_id),
        "application_id": str(world.app_id),
        "interaction_metadata": {
            "id": str(record.id),
            "type": record.type,
            "user": invoker,
            "authorizing_integration_owners": record.payload["authorizing_integration_owners"],
        },
    }
    return data


def _clicked(state: FakeState, record: InteractionRecord) -> MessageRecord | None:
    message = record.payload.get("message")
    return state.messages.get(int(message["id"])) if message else None


async def callback(request: web.Request) -> web.Response:
    state = state_of(request)
    record = state.interactions.get(int(request.match_info["interaction_id"]))
    if record is None or record.token != request.match_info["token"]:
        state.violate(
            "unknown interaction", "callback for an interaction never sent", where(request)
        )
        return error(404, 10062, "Unknown interaction")
    body, has_files = await read_body(request)
    kind, data, now = int(body.get("type", 0)), body.get("data") or {}, state.now()
    record.callbacks += 1
    state.changed()
    if record.ack is not None:
        record.extra_acks.append(Ack(kind, data, now))
        state.violate("acknowledge once", f"second callback (type {kind})", where(request))
        return error(400, 40060, "Interaction has already been acknowledged.")
    late = now - record.dispatched_at
    if late > state.rules.ack_deadline:
        detail = f"acknowledged after {late:.2f} s (limit {state.rules.ack_deadline:g} s)"
        state.violate("ack deadline", detail, where(request))
        return error(404, 10062, "Unknown interaction")
    if kind not in ALLOWED_CALLBACKS.get(record.type, set()):
        detail = f"callback type {kind} for interaction type {record.type}"
        state.violate("callback type", detail, where(request))
        return error(400, 50035, "Invalid Form Body: type")
    if kind in (4, 7):
        clicked = _clicked(state, record) if kind == 7 else None
        refused = vet(request, data, has_files=has_files, editing=clicked)
        if refused is not None:
            return refused
    if kind == 8:
        problems = limits.check_choices(data.get("choices") or [])
        for problem in problems:
            state.violate("limits", problem, where(request))
        if problems:
            return error(400, 50035, "Invalid Form Body: choices")
    record.ack = Ack(kind, data, now)
    await _apply_callback(request, record, kind, data)
    original = record.original
    summary: dict[str, Any] = {
        "id": str(record.id),
        "type": record.type,
        "response_message_loading": kind == 5,
        "response_message_ephemeral": bool(original and original.ephemeral),
    }
    answer: dict[str, Any] = {"interaction": summary}
    if original is not None:
        summary["response_message_id"] = str(original.id)
        answer["resource"] = {"type": kind, "message": original.data}
    return reply(answer)


async def _apply_callback(
    request: web.Request, record: InteractionRecord, kind: int, data: dict[str, Any]
) -> None:
    state = state_of(request)
    now = state.now()
    if kind in (4, 5):
        body = data if kind == 4 else {"flags": LOADING | (data.get("flags", 0) & EPHEMERAL)}
        record.original = state.store_message(_response_message(state, record, body))
        channel = state.world.channel(record.original.channel_id)
        assert channel is not None
        await echo(request, record.original, channel)
    elif kind in (6, 7):
        record.original = _clicked(state, record)
        if kind == 7 and record.original is not None:
            apply_edit(state, record.original, data)
    elif kind == 8:
        record.choices = list(data.get("choices") or [])
    if kind in (4, 7, 8, 9):
        record.answered_at = now
    record.last_change = now
    state.changed()


def _webhook_interaction(request: web.Request) -> InteractionRecord | web.Response:
    state = state_of(request)
    record = state.by_token.get(request.match_info["token"])
    if record is None or request.match_info["app_id"] != str(state.world.app_id):
        state.violate("unknown webhook", "no interaction has this token", where(request))
        return error(404, 10015, "Unknown Webhook")
    if state.now() - record.dispatched_at > state.rules.token_lifetime:
        state.violate("token expired", "interaction token used after 15 minutes", where(request))
        return error(401, 50027, "Invalid Webhook Token")
    if record.ack is None:
        state.violate("not acknowledged", "webhook used before the interaction was acknowledged")
        return error(404, 10015, "Unknown Webhook")
    return record


def _target(request: web.Request, record: InteractionRecord) -> MessageRecord | web.Response:
    state = state_of(request)
    wanted = request.match_info["message_id"]
    found = record.original if wanted == "@original" else None
    if wanted != "@original":
        found = next((m for m in record.messages if str(m.id) == wanted), None)
    if found is None or found.deleted:
        state.violate("unknown message", "no such interaction message", where(request))
        return error(404, 10008, "Unknown Message")
    return found


async def message_get(request: web.Request) -> web.Response:
    record = _webhook_interaction(request)
    if isinstance(record, web.Response):
        return record
    target = _target(request, record)
    return target if isinstance(target, web.Response) else reply(target.data)


async def message_edit(request: web.Request) -> web.Response:
    state = state_of(request)
    record = _webhook_interaction(request)
    if isinstance(record, web.Response):
        return record
    target = _target(request, record)
    if isinstance(target, web.Response):
        return target
    body, has_files = await read_body(request)
    refused = vet(request, body, has_files=has_files, editing=target)
    if refused is not None:
        return refused
    apply_edit(state, target, body)
    target.data["flags"] = target.flags & ~LOADING
    if target is record.original and record.answered_at is None:
        record.answered_at = state.now()
    record.last_change = state.now()
    return reply(target.data)


async def message_delete(request: web.Request) -> web.Response:
    record = _webhook_interaction(request)
    if isinstance(record, web.Response):
        return record
    target = _target(request, record)
    if isinstance(target, web.Response):
        return target
    target.deleted = True
    record.last_change = state_of(request).now()
    state_of(request).changed()
    return reply(status=204)


async def followup(request: web.Request) -> web.Response:
    state = state_of(request)
    record = _webhook_interaction(request)
    if isinstance(record, web.Response):
        return record
    body, has_files = await read_body(request)
    refused = vet(request, body, has_files=has_files)
    if refused is not None:
        return refused
    original = record.original
    if original is not None and original.loading and record.ack and record.ack.type == 5:
        # The first followup after a "thinking" defer replaces the thinking message.
        apply_edit(state, original, {k: v for k, v in body.items() if k != "flags"})
        original.data["flags"] = original.flags & ~LOADING
        message = original
    else:
        message = state.store_message(_response_message(state, record, body))
        channel = state.world.channel(message.channel_id)
        assert channel is not None
        await echo(request, message, channel)
    record.followups.append(message)
    now = state.now()
    record.answered_at = record.answered_at or now
    record.last_change = now
    state.changed()
    return reply(message.data) if request.query.get("wait") in ("1", "true") else reply(status=204)


def routes() -> list[web.AbstractRouteDef]:
    hook = API + "/webhooks/{app_id}/{token}"
    message = hook + "/messages/{message_id}"
    return [
        web.post(API + "/interactions/{interaction_id}/{token}/callback", callback),
        web.post(hook, followup),
        web.get(message, message_get),
        web.patch(message, message_edit),
        web.delete(message, message_delete),
    ]
