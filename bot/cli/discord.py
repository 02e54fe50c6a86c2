"""`orgbot run` and `orgbot sync`: the Discord bot on the command line.

The token comes from `--token-file`, `[discord] token_file` or `DISCORD_TOKEN`, in that
order, and is never printed or logged: errors name where it came from, not what it is.

discord.py, aiohttp and the bot are imported inside the commands: every `orgbot` command
loads this module, and those imports cost `orgbot ask` ~0.3 s of its cold start.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import os
import re
from pathlib import Path
from typing import Annotated, Any, cast

import typer

from ..settings import Settings
from .app import app, console, fail, show_warnings, state


class LogLevel(enum.StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


TokenFileOption = Annotated[
    Path | None,
    typer.Option(
        "--token-file", help="File holding the bot token (default: $DISCORD_TOKEN).", dir_okay=False
    ),
]


def read_token(settings: Settings, token_file: Path | None) -> str:
    path = token_file or settings.bot.discord.token_file
    if path is not None:
        try:
            token = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            fail(f"cannot read the token file {path}: {exc.strerror}")
        except UnicodeDecodeError:
            fail(f"the token file {path} is not text; it must hold the bot token on one line")
        if not token:
            fail(f"the token file {path} is empty")
        return _checked(token, f"the token file {path}")
    token = os.environ.get("DISCORD_TOKEN", "").strip()
    if not token:
        fail("no Discord token: set DISCORD_TOKEN or pass --token-file PATH (see docs/discord.md)")
    return _checked(token, "DISCORD_TOKEN")


def _checked(token: str, source: str) -> str:
    """A token is one word of printable ASCII; anything else would fail later as a garbled
    HTTP header, so say where it came from now (never what it holds)."""
    if not re.fullmatch(r"[\x21-\x7e]+", token):
        fail(f"{source} holds spaces, line breaks or characters a Discord token never has; "
             "copy the token again from the developer portal (Bot tab)")  # fmt: skip
    return token


def parse_shards(shard_ids: str | None, shard_count: int | None) -> dict[str, Any]:
    if shard_ids is None:
        return {} if shard_count is None else {"shard_count": shard_count}
    if shard_count is None:
        fail("--shard-ids needs --shard-count (the total number of shards across all processes)")
    try:
        ids = sorted({int(part) for part in shard_ids.split(",") if part.strip()})
    except ValueError:
        fail(f"--shard-ids must be comma-separated numbers, got {shard_ids!r}")
    if not ids or ids[0] < 0 or ids[-1] >= shard_count:
        fail(f"--shard-ids must lie in 0..{shard_count - 1}")
    return {"shard_ids": ids, "shard_count": shard_count}


@app.command()
def run(
    ctx: typer.Context,
    token_file: TokenFileOption = None,
    shard_ids: Annotated[
        str | None, typer.Option("--shard-ids", help="Shards this process runs, e.g. 0,1.")
    ] = None,
    shard_count: Annotated[
        int | None, typer.Option("--shard-count", min=1, help="Total shards over all processes.")
    ] = None,
    message_content: Annotated[
        bool,
        typer.Option(help="Use the Message Content intent (thread follow-ups without a mention)."),
    ] = True,
    log_level: Annotated[
        LogLevel, typer.Option(help="How much to log.", case_sensitive=False)
    ] = LogLevel.INFO,
) -> None:
    """Start the Discord bot (commands must be synced once with `orgbot sync`).

    Examples:
      DISCORD_TOKEN=… orgbot run
      orgbot run --token-file /run/secrets/discord --shard-ids 0,1 --shard-count 4
    """
    import aiohttp
    import discord

    from ..logs import setup_logging
    from ..runtime import serve

    settings = state(ctx).settings
    token = read_token(settings, token_file)
    shards = parse_shards(shard_ids, shard_count)
    show_warnings(on=False)  # the bot's log has them, with everything else
    setup_logging(logging.getLevelName(log_level.value))
    try:
        asyncio.run(serve(settings, token, message_content=message_content, **shards))
    except (aiohttp.ClientConnectionError, discord.GatewayNotFound, ConnectionError) as exc:
        fail(f"cannot reach Discord ({exc}); check the network, or [discord] api_base")
    except discord.LoginFailure:
        fail("Discord rejected the token: check DISCORD_TOKEN or the token file")
    except discord.PrivilegedIntentsRequired:
        fail(
            "the Message Content intent is not enabled for this application: enable it in the "
            "developer portal (Bot → Privileged Gateway Intents) or run with --no-message-content"
        )
    except KeyboardInterrupt:
        console.print("stopped")


class _NotLoaded:
    """Stands in for the knowledge base while syncing: commands are registered, never run."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("the knowledge base is not loaded by `orgbot sync`")


@app.command()
def sync(
    ctx: typer.Context,
    guild: Annotated[
        int | None, typer.Option("--guild", help="Sync to one server only (appears at once).")
    ] = None,
    token_file: TokenFileOption = None,
) -> None:
    """Register the slash commands with Discord, then exit.

    Run after installing or after changing commands. Global commands can take up to an hour
    to appear; with --guild ID they appear in that server at once (good for testing).
    """
    import discord

    settings = state(ctx).settings
    token = read_token(settings, token_file)
    try:
        names = asyncio.run(push_commands(settings, token, guild))
    except discord.LoginFailure:
        fail("Discord rejected the token: check DISCORD_TOKEN or the token file")
    except discord.HTTPException as exc:
        fail(f"Discord refused the commands: {exc.status} {exc.text[:200]}")
    where = f"server {guild}" if guild else "all servers (may take up to an hour to appear)"
    console.print(f"synced {len(names)} commands to {where}: {', '.join(sorted(names))}")


async def push_commands(settings: Settings, token: str, guild_id: int | None) -> list[str]:
    import discord

    from retrieval import AsyncKnowledgeBase

    from ..client import OrgBot
    from ..runtime import point_at, state_of

    point_at(settings.bot.discord.api_base, settings.bot.discord.gateway_url)
    async with state_of(settings) as db:
        bot = OrgBot(cast(AsyncKnowledgeBase, _NotLoaded()), db, settings)
        async with bot:
            await bot.login(token)  # runs setup_hook, which loads every cog's commands
            if guild_id is None:
                synced = await bot.tree.sync()
            else:
                target = discord.Object(guild_id)
                bot.tree.copy_global_to(guild=target)
                synced = await bot.tree.sync(guild=target)
        return [command.name for command in synced]
