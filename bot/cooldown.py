"""A per-user allowance of questions: `burst` questions per `seconds`, refilling steadily.

On one machine it is kept in memory: a restart forgiving everyone is fine. With shard
processes on several hosts (PostgreSQL) it is kept in the database, so a user cannot get
`burst` questions per shard.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .state import StateDB

log = logging.getLogger(__name__)
SHARED_TIMEOUT = 0.5  # seconds


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


class Allowance(Protocol):
    """How many questions a user may ask: 0.0 when this one is allowed, else seconds to wait."""

    async def spend(self, user_id: int) -> float: ...


class SharedCooldown:
    """The same allowance kept in the state database, so it holds for a user whichever shard
    process their interactions land on. If the database cannot be reached, this process's
    own bucket decides, rather than refusing or waving everyone through."""

    def __init__(self, state: StateDB, seconds: float, burst: int) -> None:
        self._state = state
        self.seconds = seconds
        self.burst = burst
        self._local = Cooldown(seconds, burst)

    async def spend(self, user_id: int) -> float:
        try:
            # Checked before the interaction is acknowledged: a slow server must not eat
            # Discord's three seconds.
            return await asyncio.wait_for(
                self._state.spend_question(user_id, self.seconds, self.burst), SHARED_TIMEOUT
            )
        except Exception as exc:
            log.warning("shared cooldown unavailable (%s); counting in this process", exc)
            return self._local.hit(user_id)


class LocalCooldown:
    """`Cooldown` behind the same awaitable interface as `SharedCooldown`."""

    def __init__(self, seconds: float, burst: int) -> None:
        self.seconds = seconds
        self.burst = burst
        self._local = Cooldown(seconds, burst)

    async def spend(self, user_id: int) -> float:
        return self._local.hit(user_id)
