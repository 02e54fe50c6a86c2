"""Records what the bot sends to Discord and answers like Discord would, for handler tests.

Interaction responses go through discord.py's webhook adapter and everything else through
`HTTPClient.request`; both are replaced at that transport seam only, so the real
`Interaction`, command tree, views and checks all run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.fakediscord.models import snowflake

from .payloads import BOT_ID, GUILD_ID, bot_message, slash


@dataclass
class Sent:
    method: str
    path: str
    body: dict[str, Any]

    @property
    def embeds(self) -> list[dict[str, Any]]:
        data = self.body.get("data", self.body)
        return list(data.get("embeds") or [])

    @property
    def content(self) -> str:
        data = self.body.get("data", self.body)
        return str(data.get("content") or "")

    @property
    def components(self) -> list[dict[str, Any]]:
        data = self.body.get("data", self.body)
        return list(data.get("components") or [])

    @property
    def custom_ids(self) -> list[str]:
        return [
            c["custom_id"] for row in self.components for c in row["components"] if "custom_id" in c
        ]

    @property
    def flags(self) -> int:
        data = self.body.get("data", self.body)
        return int(data.get("flags") or 0)

    def as_message(self) -> dict[str, Any]:
        """What Discord would store for this reply, for clicking its buttons later."""
        return bot_message(self.reply_body())

    def reply_body(self) -> dict[str, Any]:
        return {"content": self.content, "embeds": self.embeds, "components": self.components}


@dataclass
class Recorder:
    sent: list[Sent] = field(default_factory=list)

    def _record(self, method: str, path: str, payload: Any, multipart: Any) -> Sent:
        if payload is None and multipart:
            payload = json.loads(multipart[0]["value"])
        entry = Sent(method, path, payload or {})
        self.sent.append(entry)
        return entry

    async def webhook_request(self, route: Any, session: Any = None, **kwargs: Any) -> Any:
        entry = self._record(
            route.method, route.path, kwargs.get("payload"), kwargs.get("multipart")
        )
        if route.path.endswith("/callback"):
            kind = entry.body["type"]
            reply = bot_message(entry.reply_body())
            return {
                "interaction": {
                    "id": str(route.webhook_id),
                    "type": 2,
                    "response_message_id": reply["id"],
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(entry.flags & 64),
                },
                "resource": {"type": kind, "message": reply},
            }
        if route.method == "DELETE":
            return None
        return bot_message(entry.reply_body())

    async def http_request(self, route: Any, **kwargs: Any) -> Any:
        payload = kwargs.get("json")
        if payload is None and kwargs.get("params") is not None:
            payload = kwargs["params"].payload
        entry = self._record(route.method, route.path, payload, None)
        if route.path.endswith("/threads"):
            return {
                "id": str(snowflake()),
                "type": 11,
                "guild_id": str(GUILD_ID),
                "name": entry.body.get("name"),
                "parent_id": str(route.channel_id),
                "owner_id": str(BOT_ID),
                "thread_metadata": {
                    "archived": False,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": "2026-01-01T00:00:00+00:00",
                    "locked": False,
                },
            }
        return bot_message(entry.reply_body(), channel_id=int(route.channel_id or 0))

    def of(self, path_part: str) -> list[Sent]:
        return [entry for entry in self.sent if path_part in entry.path]


async def ask(deliver: Any, recorder: Recorder, question: str, **options: Any) -> Sent:
    """Deliver `/ask question` and return the answer the bot sent, clearing the record."""
    await deliver(slash("ask", {"question": question}, **options))
    answer = recorder.sent[-1]
    recorder.sent.clear()
    return answer


def button_id(answer: Sent, prefix: str) -> str:
    return next(i for i in answer.custom_ids if i.startswith(prefix))
