"""Buttons carry their state in custom ids that fit Discord's 100 characters."""

from __future__ import annotations

from bot.render.components import CUSTOM_ID, page_id


def test_a_slug_too_long_for_a_custom_id_gets_no_button() -> None:
    assert page_id("x" * (CUSTOM_ID - len("ob:page:"))) is not None
    assert page_id("x" * 100) is None
