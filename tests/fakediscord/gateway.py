"""The gateway websocket: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, dispatches.

discord.py asks for ``compress=zlib-stream`` (or ``zstd-stream`` where zstandard is
installed). Binary frames would then have to be one continuous zlib stream ending each
message with a sync flush; we do exactly that for zlib and send plain text frames
otherwise, which discord.py always accepts.
"""

from __future__ import annotations

import asyncio
import json
import zlib
from typing import Any

from aiohttp import WSMsgType, web

from . import payloads
from .state import FakeState

HEARTBEAT_INTERVAL_MS = 41_250


class Intent:
    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_MESSAGES = 1 << 9
    DIRECT_MESSAGES = 1 << 12
    MESSAGE_CONTENT = 1 << 15


class Session:
    """One websocket connection, i.e. one shard of the bot."""

    def __init__(self, ws: web.WebSocketResponse, state: FakeState, zlib_stream: bool) -> None:
        self.ws = ws
        self.state = state
        self.compressor = zlib.compressobj() if zlib_stream else None
        self.shard_id = 0
        self.shard_count = 1
        self.intents = 0
        self.seq = 0
        self.session_id = FakeState.new_token()
        self.ready = asyncio.Event()
        self._lock = asyncio.Lock()

    def owns_guild(self, guild_id: int) -> bool:
        return (guild_id >> 22) % self.shard_count == self.shard_id

    async def send(self, op: int, d: Any = None, t: str | None = None) -> None:
        async with self._lock:
            frame: dict[str, Any] = {"op": op, "d": d, "s": None, "t": t}
            if op == 0:
                self.seq += 1
                frame["s"] = self.seq
            text = json.dumps(frame)
            if self.ws.closed:
                return
            if self.compressor is None:
                await self.ws.send_str(text)
            else:
                data = self.compressor.compress(text.encode()) + self.compressor.flush(
                    zlib.Z_SYNC_FLUSH
                )
                await self.ws.send_bytes(data)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        await self.send(0, data, event)

    async def run(self, ws_url: str) -> None:
        await self.send(10, {"heartbeat_interval": HEARTBEAT_INTERVAL_MS})
        async for msg in self.ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            await self.handle(frame.get("op"), frame.get("d"), ws_url)

    async def handle(self, op: int, d: Any, ws_url: str) -> None:
        if op == 1:
            await self.send(11)
        elif op == 2:
            await self.identify(d, ws_url)
        elif op == 6:
            await self.send(9, False)  # no resuming here: discord.py re-identifies
        elif op == 8:
            await self.send_members(d)
        elif op not in (3, 4):
            self.state.violate("gateway", f"unexpected gateway op {op}")

    async def identify(self, d: dict[str, Any], ws_url: str) -> None:
        if d.get("token") != self.state.token:
            await self.ws.close(code=4004, message=b"Authentication failed.")
            return
        self.shard_id, self.shard_count = d.get("shard") or [0, 1]
        if not 0 <= self.shard_id < self.shard_count:
            await self.ws.close(code=4010, message=b"Invalid shard.")
            return
        self.intents = int(d.get("intents", 0))
        world = self.state.world
        guilds = [guild for guild in world.guilds if self.owns_guild(guild.id)]
        ready = {
            "v": 10,
            "user": payloads.user(world.bot) | {"verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": self.session_id,
            "resume_gateway_url": ws_url,
            "shard": [self.shard_id, self.shard_count],
            "application": {"id": str(world.app_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "session_type": "normal",
        }
        await self.dispatch("READY", ready)
        for guild in guilds if self.intents & Intent.GUILDS else []:
            await self.dispatch("GUILD_CREATE", payloads.guild_create(guild))
        self.ready.set()

    async def send_members(self, d: dict[str, Any]) -> None:
        world = self.state.world
        guild = next((g for g in world.guilds if str(g.id) == str(d.get("guild_id"))), world.guild)
        chunk = {
            "guild_id": str(guild.id),
            "members": [payloads.member(m) for m in guild.members.values()],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if d.get("nonce"):
            chunk["nonce"] = d["nonce"]
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)


class Gateway:
    """All sessions of one fake; routes each event to the shard that owns it."""

    def __init__(self, state: FakeState) -> None:
        self.state = state
        self.sessions: list[Session] = []
        self.ws_url = ""

    async def handler(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        session = Session(ws, self.state, request.query.get("compress") == "zlib-stream")
        self.sessions.append(session)
        try:
            await session.run(self.ws_url)
        finally:
            self.sessions.remove(session)
        return ws

    def live(self) -> list[Session]:
        return [s for s in self.sessions if s.ready.is_set() and not s.ws.closed]

    def session_for(self, guild_id: int | None, shard_id: int | None = None) -> Session:
        sessions = self.live()
        if shard_id is not None:  # a test moving a guild's events to another shard
            sessions = [s for s in sessions if s.shard_id == shard_id]
        elif guild_id is not None:
            sessions = [s for s in sessions if s.owns_guild(guild_id)]
        else:
            sessions = [s for s in sessions if s.shard_id == 0]
        if not sessions:
            raise RuntimeError("no gateway session is connected for this event; is the bot up?")
        return sessions[-1]

    async def dispatch(
        self, event: str, data: dict[str, Any], guild_id: int | None, shard_id: int | None = None
    ) -> bool:
        """Send an event; False when the bot's intents say Discord would not send it."""
        session = self.session_for(guild_id, shard_id)
        if event == "MESSAGE_CREATE":
            needed = Intent.GUILD_MESSAGES if guild_id is not None else Intent.DIRECT_MESSAGES
            if not session.intents & needed:
                return False
            data = self._without_content(session, data, guild_id)
        await session.dispatch(event, data)
        return True

    def _without_content(
        self, session: Session, data: dict[str, Any], guild_id: int | None
    ) -> dict[str, Any]:
        """Without the message-content intent a bot sees guild text only when mentioned."""
        bot_id = str(self.state.world.bot.id)
        mentioned = any(u["id"] == bot_id for u in data.get("mentions", []))
        if session.intents & Intent.MESSAGE_CONTENT or guild_id is None or mentioned:
            return data
        return data | {"content": "", "embeds": [], "attachments": [], "components": []}

    async def drop(self, shard_id: int = 0, code: int = 4000) -> None:
        """Close a shard's connection as Discord does when something went wrong on its side
        (4000: reconnect and resume); the bot must connect again by itself."""
        for session in [s for s in self.live() if s.shard_id == shard_id]:
            await session.ws.close(code=code, message=b"Unknown error.")

    async def close(self) -> None:
        for session in list(self.sessions):
            await session.ws.close()
