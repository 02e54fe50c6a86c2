"""The admin embeds: index status with its problems first."""

from __future__ import annotations

import datetime as dt

from bot.render.admin import status_embed
from retrieval import IndexStatus


def test_status_shows_what_is_wrong_with_the_build_first() -> None:
    problem = "build B1 is damaged (store.sqlite3 is damaged); run `orgbot index build --full`"
    status = IndexStatus("B1", "2026-01-01T00:00:00Z", (("fake", 8),), 1, 2, 3, "/x", (),
                         (problem,))  # fmt: skip
    embed = status_embed(status, dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    assert embed["fields"][0] == {"name": "⚠️ Problems", "value": problem}
