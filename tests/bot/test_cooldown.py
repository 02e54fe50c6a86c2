"""The per-user allowance of questions."""

from __future__ import annotations

import pytest

from bot.cooldown import Cooldown


def test_cooldown_allows_a_burst_then_asks_to_wait_then_refills() -> None:
    now = [0.0]
    cooldown = Cooldown(seconds=10, burst=2, clock=lambda: now[0])
    assert cooldown.hit(1) == 0 and cooldown.hit(1) == 0
    assert cooldown.hit(1) == pytest.approx(5.0)
    assert cooldown.hit(2) == 0  # per user
    now[0] = 5.0
    assert cooldown.hit(1) == 0
