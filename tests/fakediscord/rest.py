"""REST routes a bot calls with its token: login, commands, channels, messages, threads, DMs.

Every request is recorded; a route the fake does not know answers 404 and fails the test,
because a real bot hitting it would be relying on behaviour nobody checked.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from . import limits, payloads
from .gateway import Gateway
from .models import Channel, RequestRecord, snowflake
from .state import FakeState

API = "/api/v10"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
STATE_KEY: web.AppKey[FakeState] = web.AppKey("state", FakeState)
GATEWAY_KEY: web.AppKey[Gateway] = web.AppKey("gateway", Gateway)


def reply(data: Any = None, status: int = 200) -> web.Response:
    """A JSON answer whose content-type is exactly what discord.py compares against."""
    if status == 204:
        return web.Response(status=204)
    body = json.dumps(data).encode()
    return web.Response(body=body, status=status, headers={"Content-Type": "application/json"})


def error(status: int, code: int, message: str) -> web.Response:
    return reply({"code": code, "message": message}, status)


async def read_body(request: web.Request) -> tuple[Any, bool]:
    """The JSON a bot sent, also from a multipart upload; and whether files came with it."""
    if request.content_type.startswith("multipart/"):
        form = await request.post()
        body = json.loads(str(form.get("payload_json", "{}")))
        return body, any(key.startswith("files[") for key in form)
    if not request.body_exists:
        return None, False
    return await request.json(), False


def state_of(request: web.Request) -> FakeState:
    return request.app[STATE_KEY]


def where(request: web.Request) -> str:
    return f"{request.method} {request.path}"


@web.middleware
async def record_and_authorise(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = state_of(request)
    if request.path == "/gateway-ws":
        return await handler(request)
    body, _ = (
        await read_body(request) if request.method in ("POST", "PUT", "PATCH") else (None, False)
    )
    record = RequestRecord(request.method, request.path, dict(request.query), body, state.now())
    state.requests.append(record)
    injected = _injected_fault(state, request)
    if injected is not None:
        record.status = injected.status
        return injected
    bare = request.path.removeprefix(API)
    needs_token = not bare.startswith(("/interactions/", "/webhooks/"))
    if needs_token and request.headers.get("Authorization") != f"Bot {state.token}":
        if bare != "/users/@me":
            state.violate("auth", "request without the bot token", where(request))
        response: web.StreamResponse = error(401, 0, "401: Unauthorized")
    else:
        response = await handler(request)
    record.status = response.status
    return response


def _injected_fault(state: FakeState, request: web.Request) -> web.Response | None:
    """The response a test asked for in place of the real one (`FakeState.faults`)."""
    fault = next((f for f in state.faults if f.matches(request.method, request.path)), None)
    if fault is None:
        return None
    fault.times -= 1
    fault.hits += 1
    if fault.status == 403:
        return error(403, 50013, "Missing Permissions")
    if fault.status != 429:
        return error(fault.status, 0, f"{fault.status}: Internal Server Error")
    # As Discord sends it: discord.py treats a 429 without `Via` as a Cloudflare ban.
    body = {"message": "You are being rate limited.", "retry_after": fault.retry_after,
            "global": False}  # fmt: skip
    response = reply(body, 429)
    response.headers.update({
        "Via": "1.1 google", "Retry-After": str(max(1, round(fault.retry_after))),
        "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset-After": str(fault.retry_after), "X-RateLimit-Bucket": "fake",
        "X-RateLimit-Scope": "user",
    })  # fmt: skip
    return response


async def unknown_route(request: web.Request) -> web.Response:
    state_of(request).violate("unknown route", "the fake does not know this route", where(request))
    return error(404, 0, "404: Not Found")


async def me(request: web.Request) -> web.Response:
    return reply(payloads.user(state_of(request).world.bot))


async def application(request: web.Request) -> web.Response:
    world = state_of(request).world
    owner = world.users["owner"]
    return reply(
        {
            "id": str(world.app_id),
            "name": world.bot.name,
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": payloads.user(owner),
            "verify_key": "0" * 64,
            "flags": 0,
            "team": None,
            "summary": "",
            "interactions_endpoint_url": None,
            "bot": payloads.user(world.bot),
        }
    )


async def gateway(request: web.Request) -> web.Response:
    host = request.host
    url = f"ws://{host}/gateway-ws"
    data: dict[str, Any] = {"url": url}
    if request.path.endswith("/bot"):
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        data |= {"shards": 1, "session_start_limit": limit}
    return reply(data)


def _scope(request: web.Request) -> int | None:
    guild_id = request.match_info.get("guild_id")
    return int(guild_id) if guild_id else None


async def get_commands(request: web.Request) -> web.Response:
    return reply(state_of(request).commands.get(_scope(request), []))


async def put_commands(request: web.Request) -> web.Response:
    state = state_of(request)
    body, _ = await read_body(request)
    for problem in limits.check_commands(body):
        state.violate("commands", problem, where(request))
    previous = {c["name"]: c["id"] for c in state.commands.get(_scope(request), [])}
    stored = []
    for command in body:
        ids = {
            "id": previous.get(command["name"], str(snowflake())),
            "application_id": str(state.world.app_id),
            "version": str(snowflake()),
        }
        if _scope(request) is not None:
            ids["guild_id"] = str(_scope(request))
        stored.append({"type": 1, "options": []} | command | ids)
    state.commands[_scope(request)] = stored
    state.changed()
    return reply(stored)


def channel_or_404(request: web.Request) -> Channel | web.Response:
    state = state_of(request)
    channel = state.world.channel(int(request.match_info["channel_id"]))
    if channel is None:
        state.violate(
            "unknown channel", "the bot used a channel that does not exist", where(request)
        )
        return error(404, 10003, "Unknown Channel")
    return channel


async def get_channel(request: web.Request) -> web.Response:
    channel = channel_or_404(request)
    return channel if isinstance(channel, web.Response) else reply(payloads.channel(channel))


async def typing(request: web.Request) -> web.Response:
    channel = channel_or_404(request)
    return channel if isinstance(channel, web.Response) else reply(status=204)


async def open_dm(request: web.Request) -> web.Response:
    state = state_of(request)
    body, _ = await read_body(request)
    user = state.world.user(int(body.get("recipient_id", 0)))
    if user is None:
        state.violate("unknown user", f"cannot open a DM with {body!r}", where(request))
        return error(400, 50033, "Invalid Recipients")
    return reply(payloads.channel(state.world.dm_with(user)))


async def reaction(request: web.Request) -> web.Response:
    state = state_of(request)
    if int(request.match_info["message_id"]) not in state.messages:
        state.violate("unknown message", "reaction on an unknown message", where(request))
        return error(404, 10008, "Unknown Message")
    return reply(status=204)


def routes() -> list[web.AbstractRouteDef]:
    from . import messages, webhooks

    app_cmds = API + "/applications/{app_id}/commands"
    guild_cmds = API + "/applications/{app_id}/guilds/{guild_id}/commands"
    channel = API + "/channels/{channel_id}"
    one_message = channel + "/messages/{message_id}"
    return [
        web.get(API + "/users/@me", me),
        web.get(API + "/oauth2/applications/@me", application),
        web.get(API + "/gateway", gateway),
        web.get(API + "/gateway/bot", gateway),
        web.get(app_cmds, get_commands),
        web.put(app_cmds, put_commands),
        web.get(guild_cmds, get_commands),
        web.put(guild_cmds, put_commands),
        web.get(channel, get_channel),
        web.post(channel + "/typing", typing),
        web.post(channel + "/messages", messages.create),
        web.get(one_message, messages.get),
        web.patch(one_message, messages.edit),
        web.delete(one_message, messages.delete),
        web.post(one_message + "/threads", messages.thread_from_message),
        web.post(channel + "/threads", messages.thread_without_message),
        web.put(one_message + "/reactions/{emoji}/@me", reaction),
        web.delete(one_message + "/reactions/{emoji}/@me", reaction),
        web.post(API + "/users/@me/channels", open_dm),
        *webhooks.routes(),
        web.route("*", "/{tail:.*}", unknown_route),
    ]
