"""Index builds published once and answered from on every host.

`orgbot index publish` stores the current build as one artifact in the state database (its
manifest, and a sha256 over its bytes) and announces it on `orgbot_builds`. Every bot hears
of it, fetches it into its own `var/index/`, verifies and opens it, and switches without a
restart; one that was down catches up when it starts (and after a lost connection). A
corrupt or partial artifact is refused, and the build in use keeps answering.

The artifact lives in the database (a bytea row) rather than in a folder or object store:
every host already reaches the database, the row and its announcement commit together, and
a `pg_dump` backs it up with the rest. Builds of this wiki are a few MB; a bytea row holds
up to 1 GB.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from retrieval import AsyncKnowledgeBase, IndexNotReady

from .state import PublishedBuild, StateDB

log = logging.getLogger(__name__)
CHANNEL = "orgbot_builds"


@dataclass(frozen=True)
class SyncResult:
    """What a sync did: the build now answering, whether it switched, and why not."""

    build_id: str
    switched: bool
    problem: str | None = None


async def publish(kb: AsyncKnowledgeBase, state: StateDB) -> tuple[PublishedBuild, bool]:
    """Store the build `kb` answers from and tell every host; False if it was published."""
    data, sha256, manifest = await kb.artifact()
    build = PublishedBuild(kb.build_id, manifest, sha256, len(data))
    fresh = await state.publish_build(build, data)
    await state.notify(CHANNEL, build.build_id)
    return build, fresh


class BuildSync:
    """Keeps one host on the newest published build."""

    def __init__(self, kb: AsyncKnowledgeBase, state: StateDB) -> None:
        self.kb = kb
        self.state = state
        self._lock = asyncio.Lock()

    async def start(self) -> SyncResult:
        """Catch up with what was published while this host was down, then listen."""
        result = await self.catch_up()
        await self.state.listen(CHANNEL, self._heard)
        return result

    async def catch_up(self) -> SyncResult:
        """Switch to the newest published build unless already on it."""
        async with self._lock:  # one fetch at a time, however many announcements arrive
            latest = await self.state.latest_build()
            if latest is None or latest.build_id == self.kb.build_id:
                return SyncResult(self.kb.build_id, False)
            data = await self.state.build_artifact(latest.build_id)
            if data is None:
                return SyncResult(self.kb.build_id, False, f"build {latest.build_id} vanished")
            try:
                reload = await self.kb.install(data, latest.sha256)
            except IndexNotReady as exc:
                log.error("published build %s refused: %s", latest.build_id, exc)
                return SyncResult(self.kb.build_id, False, f"build {latest.build_id}: {exc}")
            log.info("switched to published build %s", reload.build_id)
            return SyncResult(reload.build_id, reload.switched)

    async def reload_everywhere(self) -> SyncResult:
        """`/kb reload`: this host catches up now, and every other host is told to."""
        result = await self.catch_up()
        await self.state.notify(CHANNEL, result.build_id)
        return result

    async def _heard(self, payload: str) -> None:
        await self.catch_up()
