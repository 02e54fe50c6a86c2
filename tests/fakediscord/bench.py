"""Measurements for benchmarks that drive the bot through the fake (e.g. bench/discord_burst.py).

    async with running_bot(bot) as h, LoopLag() as lag:
        records = await h.burst(200, "ask", {"question": "How do I start a union?"})
    print(summarize(records), lag.worst)

The fake and the bot share one event loop, so the lag seen includes the fake's own work:
an upper bound for the bot's.
"""

from __future__ import annotations

import asyncio
import statistics
from types import TracebackType
from typing import Any

from .models import InteractionRecord


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarize(records: list[InteractionRecord]) -> dict[str, Any]:
    """Counts and p50/p95/max (seconds) of time to first response and to the final answer."""
    acks = [r.ack_latency for r in records if r.ack_latency is not None]
    answers = [r.answer_latency for r in records if r.answer_latency is not None]
    summary: dict[str, Any] = {
        "interactions": len(records),
        "acknowledged": len(acks),
        "answered": len(answers),
        "acknowledged_within_3s": sum(1 for a in acks if a <= 3.0),
    }
    for name, values in (("ack", acks), ("answer", answers)):
        summary[f"{name}_p50"] = statistics.median(values) if values else None
        summary[f"{name}_p95"] = _percentile(values, 0.95)
        summary[f"{name}_max"] = max(values, default=None)
    return summary


class LoopLag:
    """Samples how late a short sleep wakes up; ``worst`` is the largest delay seen (s)."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.worst = 0.0
        self.samples: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _probe(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(self.interval)
            lag = loop.time() - start - self.interval
            self.samples.append(lag)
            self.worst = max(self.worst, lag)

    async def __aenter__(self) -> LoopLag:
        self._task = asyncio.create_task(self._probe())
        await asyncio.sleep(0)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
