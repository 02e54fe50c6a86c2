"""The knowledge base for an event loop: every call runs on one worker thread.

One thread owns the model. It takes the first waiting request, then whatever else is already
queued (up to `max_batch`), and encodes the questions among them in one call: under a burst,
twenty questions cost little more than one. Lookups, autocomplete, status and reloads queue
on the same thread, so the event loop never searches, matches names or hashes files.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any, TypeVar

from retrieval.models import Answer, IndexStatus, PageLookup, PageRef, Question, Reload
from retrieval.service import KnowledgeBase

T = TypeVar("T")
_STOP = object()


class AsyncKnowledgeBase:
    def __init__(self, kb: KnowledgeBase, max_batch: int = 32) -> None:
        self._kb = kb
        self.max_batch = max_batch
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="orgbot-retrieval", daemon=True)
        self._thread.start()
        self.batches: list[int] = []  # sizes of recent batches, for benchmarks and /kb status

    async def ask(self, question: Question) -> Answer:
        future: Future[Answer] = Future()
        self._queue.put((question, future))
        return await asyncio.wrap_future(future)

    async def page(self, name: str, kinds: Sequence[str] = (), lang: str = "en") -> PageLookup:
        return await self._call(lambda: self._kb.lookup(name, kinds, lang))

    async def complete(
        self, text: str, kinds: Sequence[str] = (), limit: int = 25
    ) -> list[PageRef]:
        return await self._call(lambda: self._kb.complete(text, kinds, limit))

    async def related(self, slug: str) -> list[PageRef]:
        return await self._call(lambda: self._kb.related(slug))

    async def status(self) -> IndexStatus:
        # Hashes the content folder to spot changed pages.
        return await self._call(self._kb.status)

    async def reload(self) -> Reload:
        return await self._call(self._kb.reload)

    @property
    def build_id(self) -> str:
        """The build answering now (an attribute read: safe from the event loop)."""
        return self._kb.build.manifest.build_id

    async def artifact(self) -> tuple[bytes, str, str]:
        """The build in use as (artifact, sha256, manifest JSON), for publishing."""
        data, sha256, manifest = await self._call(self._kb.artifact)
        return data, sha256, json.dumps(dataclasses.asdict(manifest))

    async def install(self, data: bytes, sha256: str) -> Reload:
        """Verify, open and switch to a published build (see KnowledgeBase.install)."""
        return await self._call(lambda: self._kb.install(data, sha256))

    async def _call(self, function: Callable[[], T]) -> T:
        """Run a knowledge-base call on the worker thread, in turn with questions."""
        future: Future[T] = Future()
        self._queue.put((function, future))
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            batch = [item]
            while len(batch) < self.max_batch:
                try:
                    extra = self._queue.get_nowait()
                except queue.Empty:
                    break
                if extra is _STOP:
                    self._queue.put(_STOP)
                    break
                batch.append(extra)
            self._serve(batch)

    def _serve(self, batch: list[Any]) -> None:
        questions = [(q, f) for q, f in batch if isinstance(q, Question)]
        for function, future in batch:
            if not isinstance(function, Question) and future.set_running_or_notify_cancel():
                _settle(future, function)
        if not questions:
            return
        self.batches = [*self.batches[-99:], len(questions)]
        live = [(q, f) for q, f in questions if f.set_running_or_notify_cancel()]
        try:
            answers = self._kb.ask_batch([q for q, _ in live])
        except Exception:
            # Ask one by one, so a question that breaks the model fails alone.
            for question, future in live:
                _settle(future, functools.partial(self._kb.ask, question))
            return
        for (_, future), answer in zip(live, answers, strict=True):
            future.set_result(answer)


def _settle(future: Future[Any], function: Callable[[], Any]) -> None:
    try:
        future.set_result(function())
    except BaseException as exc:
        future.set_exception(exc)
