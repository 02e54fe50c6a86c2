"""A per-user allowance of questions: `burst` questions per `seconds`, refilling steadily.

Kept in memory on purpose: a restart forgiving everyone is fine, and a database write per
question would cost more than the abuse it stops.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Cooldown:
    """Token bucket per user id. `hit()` spends one token or says how long to wait."""

    def __init__(
        self, seconds: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.burst = burst
        self._clock = clock
        # user id -> (tokens left, time they were counted)
        self._buckets: dict[int, tuple[float, float]] = {}

    @property
    def _refill_per_second(self) -> float:
        return self.burst / self.seconds if self.seconds > 0 else float("inf")

    def hit(self, user_id: int) -> float:
        """Spend one question for `user_id`; 0.0 when allowed, else seconds until allowed."""
        if self.seconds <= 0:
            return 0.0
        now = self._clock()
        tokens, counted_at = self._buckets.get(user_id, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - counted_at) * self._refill_per_second)
        if tokens < 1.0:
            self._buckets[user_id] = (tokens, now)
            return (1.0 - tokens) / self._refill_per_second
        self._buckets[user_id] = (tokens - 1.0, now)
        if len(self._buckets) > 10_000:
            self._forget_full(now)
        return 0.0

    def _forget_full(self, now: float) -> None:
        """Drop users whose bucket has refilled, so the map does not grow without bound."""
        full_after = self.seconds
        self._buckets = {
            user: (tokens, at)
            for user, (tokens, at) in self._buckets.items()
            if now - at < full_after
        }
