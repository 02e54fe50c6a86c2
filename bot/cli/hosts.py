"""`orgbot index publish` and `orgbot status`: builds for every host, and whether this one
can answer.

The bot's runtime (and with it discord.py) is imported inside the commands, so that loading
the CLI for `orgbot ask` does not pay for it."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Annotated, Any

import typer

from retrieval import KnowledgeBase, Question, build_artifact

from ..settings import Settings
from ..state import PostgresState, PublishedBuild
from .app import app, console, fail, index_app, state
from .output import say


@index_app.command("publish")
def publish_command(ctx: typer.Context) -> None:
    """Publish the current build to every host sharing the state server, then tell them.

    Each running bot fetches it, verifies it and switches to it without a restart; a host
    that is down catches up when it starts. Needs [state] url = postgresql://…; on one
    machine every process already shares var/index.

    Example: orgbot index build && orgbot index publish
    """
    settings = state(ctx).settings
    build, fresh = asyncio.run(_publish(settings))
    verb = "published" if fresh else "already published; announced again"
    say(console, f"{build.build_id}: {verb} ({build.size_bytes / 1e6:.1f} MB, sha256 "
                 f"{build.sha256[:12]}…)")  # fmt: skip


async def _publish(settings: Settings) -> tuple[PublishedBuild, bool]:
    from ..builds import CHANNEL
    from ..runtime import state_of

    data, sha256, manifest = await asyncio.to_thread(build_artifact, settings.retrieval)
    async with state_of(settings) as db:
        if not isinstance(db, PostgresState):
            fail("publishing needs a state server: set [state] url = postgresql://…; on one "
                 "machine every bot process already reads var/index")  # fmt: skip
        build = PublishedBuild(
            manifest.build_id, json.dumps(dataclasses.asdict(manifest)), sha256, len(data)
        )
        fresh = await db.publish_build(build, data)
        await db.notify(CHANNEL, build.build_id)
    return build, fresh


@app.command("status")
def status_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Check that this host can answer: its build opens and answers, its state is reachable.

    Exits 1 when it cannot answer (for health checks: systemd, a container's HEALTHCHECK, a
    load balancer), 0 otherwise. With a state server it also says whether this host is on
    the newest published build.

    Example: orgbot status --json
    """
    report = asyncio.run(_status(state(ctx).settings))
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            say(console, f"{key}: {value}")
    if not report["answering"]:
        raise typer.Exit(1)


async def _status(settings: Settings) -> dict[str, Any]:
    from ..runtime import state_of

    report: dict[str, Any] = {"answering": False, "build": None, "index": "ok", "state": "ok"}
    try:
        kb = await asyncio.to_thread(KnowledgeBase.open, settings.retrieval)
        await asyncio.to_thread(kb.ask, Question("how do we start organising?"))
        report["build"] = kb.build.manifest.build_id
        kb.close()
    except Exception as exc:  # every reason not to answer belongs in the report
        report["index"] = str(exc)
    try:
        async with state_of(settings) as db:
            report["state_kind"] = db.dialect
            await db.schema_version()
            latest = await db.latest_build() if isinstance(db, PostgresState) else None
            if latest is not None:
                report["published"] = latest.build_id
                report["behind"] = latest.build_id != report["build"]
    except Exception as exc:
        report["state"] = str(exc)
    report["answering"] = report["index"] == "ok" and report["state"] == "ok"
    return report
