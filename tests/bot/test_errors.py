"""Failures are answered once, privately, without a traceback; commands are well formed."""

from __future__ import annotations

import logging

import pytest

from bot.client import OrgBot
from tests.bot.payloads import slash
from tests.bot.recorder import Recorder


async def test_an_unexpected_error_after_deferring_replaces_the_placeholder(
    deliver, recorder: Recorder, worker, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    async def broken(*args, **kwargs):
        raise RuntimeError("index file vanished")

    monkeypatch.setattr(worker, "ask", broken)
    with caplog.at_level(logging.ERROR, logger="bot.client"):
        await deliver(slash("ask", {"question": "power mapping"}))

    callback, edit = recorder.sent
    assert callback.body["type"] == 5
    assert edit.path.endswith("/messages/@original")
    assert edit.content.startswith("Something went wrong on my side")
    assert "Traceback" not in edit.content and "vanished" not in edit.content
    assert "index file vanished" in caplog.text


async def test_every_command_has_a_description_and_a_unique_name(bot: OrgBot) -> None:
    commands = bot.tree.get_commands()
    names = [command.name for command in commands]
    assert sorted(names) == ["ask", "case", "kb", "method", "page", "source", "thinker"]
    for command in bot.tree.walk_commands():
        assert command.description and command.description != "…", command.qualified_name
        assert len(command.description) <= 100
