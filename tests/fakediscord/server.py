"""The fake Discord as one aiohttp application on 127.0.0.1, and what users do in it.

``FakeDiscord`` serves REST under ``/api/v10`` and the gateway at ``/gateway-ws``; its
``send_*`` methods play the users: they put an interaction or a message into the world and
dispatch it to the bot over the gateway, without waiting for the bot's answer.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from . import payloads
from .gateway import Gateway
from .models import Channel, InteractionRecord, MessageRecord, User, Violation, snowflake
from .rest import API, GATEWAY_KEY, STATE_KEY, record_and_authorise, routes
from .state import FakeState, Rules, World

DEFAULT_TOKEN = "fake-bot-token.not-a-secret"


class FakeDiscord:
    def __init__(
        self, world: World | None = None, rules: Rules | None = None, token: str = DEFAULT_TOKEN
    ) -> None:
        self.state = FakeState(world or World.default(), rules or Rules(), token)
        self.gateway = Gateway(self.state)
        self.app = web.Application(middlewares=[record_and_authorise], client_max_size=64 << 20)
        self.app[STATE_KEY] = self.state
        self.app[GATEWAY_KEY] = self.gateway
        self.app.router.add_get("/gateway-ws", self.gateway.handler)
        self.app.add_routes(routes())
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    @property
    def world(self) -> World:
        return self.state.world

    @property
    def token(self) -> str:
        return self.state.token

    @property
    def api_base(self) -> str:
        return self.base_url + API

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/gateway-ws"

    @property
    def violations(self) -> list[Violation]:
        return self.state.violations

    async def start(self) -> None:
        self._runner = web.AppRunner(
            self.app, handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.gateway.ws_url = self.ws_url

    async def stop(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- what users do -------------------------------------------------------------------

    async def send_interaction(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        user: User,
        channel: Channel,
        locale: str | None = None,
        message: MessageRecord | None = None,
        shard_id: int | None = None,
    ) -> InteractionRecord:
        """Dispatch an INTERACTION_CREATE; the record fills in as the bot answers.

        `shard_id` sends it to that shard whatever guild it is from, as during a reshard."""
        world = self.world
        guild = world.guild_of(channel)
        interaction_id, token = snowflake(), FakeState.new_token()
        payload = payloads.interaction(
            kind=kind,
            data=data,
            app_id=world.app_id,
            token=token,
            interaction_id=interaction_id,
            channel=channel,
            invoker=user,
            guild=guild,
            locale=locale or user.locale,
            message=message.data if message is not None else None,
        )
        record = InteractionRecord(interaction_id, token, kind, payload, self.state.now())
        self.state.interactions[interaction_id] = record
        self.state.by_token[token] = record
        record.dispatched_at = self.state.now()
        await self.gateway.dispatch(
            "INTERACTION_CREATE", payload, guild.id if guild else None, shard_id
        )
        return record

    async def replay_interaction(self, record: InteractionRecord) -> None:
        """Deliver an interaction's INTERACTION_CREATE again, as a resumed session can."""
        guild_id = record.payload.get("guild_id")
        await self.gateway.dispatch(
            "INTERACTION_CREATE", record.payload, int(guild_id) if guild_id else None
        )

    async def send_message(
        self,
        channel: Channel,
        content: str,
        *,
        user: User,
        mentions_bot: bool = False,
        mention_users: list[User] | None = None,
        mention_roles: list[int] | None = None,
        shard_id: int | None = None,
    ) -> tuple[MessageRecord, bool]:
        """A user posts in a channel, thread or DM; False when the bot's intents hide it."""
        world = self.world
        mentions = ([world.bot] if mentions_bot else []) + (mention_users or [])
        if mentions_bot and f"<@{world.bot.id}>" not in content:
            content = f"<@{world.bot.id}> {content}"
        guild = world.guild_of(channel)
        data = payloads.message(
            channel=channel,
            author=user,
            content=content,
            guild=guild,
            mentions=mentions,
            mention_roles=mention_roles,
        )
        record = self.state.store_message(data)
        delivered = await self.gateway.dispatch(
            "MESSAGE_CREATE", data, guild.id if guild else None, shard_id
        )
        return record, delivered
