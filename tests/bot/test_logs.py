"""`orgbot run`'s log at its most talkative (DEBUG) never holds what people wrote, their ids
or a token, while still saying what happened."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.client import OrgBot
from bot.logs import redact, setup_logging
from bot.settings import Settings
from bot.state import StateDB
from retrieval import AsyncKnowledgeBase
from tests.fakediscord.fixtures import StartBot
from tests.fakediscord.harness import World

DM_TEXT = "my landlord Jorge Ramírez threatens me, how do I run a one-to-one"
GUILD_TEXT = "how do we map power in the Rosenstraße tenants group"


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """The bot's own logging set-up at DEBUG, written into a string."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    quiet = logging.getLogger("aiosqlite")
    quiet_level = quiet.level
    setup_logging(logging.DEBUG)
    written = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(written)
    try:
        yield written
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        quiet.setLevel(quiet_level)


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("WebSocket Event: {'t': 'MESSAGE_CREATE', 'd': {'content': 'my DM text'}}", "my DM text"),
        ('{"content": "it\\"s private", "id": "1"}', "private"),
        (
            "POST https://x/api/v10/interactions/123456789012345678/aW50ZXJhY3Rpb24/callback",
            "aW50ZXJhY3Rpb24",
        ),
        ("PATCH /webhooks/123456789012345678/tok.en-1/messages/@original", "tok.en-1"),
        ("headers {'Authorization': 'Bot MTIz.abc.def'}", "MTIz.abc.def"),
        ("'author': {'id': '412345678901234567', 'username': 'maria'}", "412345678901234567"),
        ("'author': {'id': '4', 'username': 'maria', 'global_name': 'María'}", "María"),
        ("{'name': 'question', 'type': 3, 'value': 'who owns the building'}", "owns the building"),
    ],
)
def test_redaction_hides_text_ids_and_tokens(line: str, secret: str) -> None:
    assert secret not in redact(line)


async def test_a_debug_log_of_a_dm_and_a_slash_command_holds_nothing_private(
    debug_log: io.StringIO,
    fake_bot: StartBot,
    worker: AsyncKnowledgeBase,
    state: StateDB,
    settings: Settings,
) -> None:
    world = World.default()
    async with fake_bot(OrgBot(worker, state, settings), world=world) as harness:
        dm = await harness.dm(DM_TEXT)
        asked = await harness.interact("ask", {"question": GUILD_TEXT})
        assert dm.replies and asked.original is not None
        token, interaction_token = harness.fake.token, asked.token

    log = debug_log.getvalue()
    assert "WebSocket Event" in log and "INTERACTION_CREATE" in log  # DEBUG really was on
    for private in (DM_TEXT, "Jorge", GUILD_TEXT, "Rosenstraße", token, interaction_token,
                    str(world.users["alice"].id), "alice"):  # fmt: skip
        assert private not in log, private
