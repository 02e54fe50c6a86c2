"""`orgbot state backup` and `orgbot state restore`: the bot's state, copied and put back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..state.backup import backup_postgres, backup_sqlite, restore_postgres, restore_sqlite
from .app import console, state, state_app
from .output import say


@state_app.command("backup")
def backup_command(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the backup.")],
) -> None:
    """Copy the state (guild settings, feedback, question log) to FILE, while the bot runs.

    SQLite: a consistent copy through SQLite's backup API. PostgreSQL: `pg_dump
    --format=custom` (the client tools must be installed).

    Example: orgbot state backup /var/backups/orgbot-$(date +%F).dump
    """
    bot = state(ctx).settings.bot
    url = bot.state_url()
    if url.startswith(("postgresql://", "postgres://")):
        backup_postgres(url, target)
    else:
        backup_sqlite(_sqlite_path(url, bot.state_db), target)
    say(console, f"state backed up to {target}")


@state_app.command("restore")
def restore_command(
    ctx: typer.Context,
    backup: Annotated[
        Path, typer.Argument(metavar="FILE", help="A backup made by `orgbot state backup`.")
    ],
) -> None:
    """Replace the state with a backup. Stop every bot process first; start them after.

    The restored state is migrated to this orgbot's schema when the bots start.

    Example: orgbot state restore /var/backups/orgbot-2026-12-01.dump
    """
    bot = state(ctx).settings.bot
    url = bot.state_url()
    if url.startswith(("postgresql://", "postgres://")):
        restore_postgres(backup, url)
    else:
        restore_sqlite(backup, _sqlite_path(url, bot.state_db))
    say(console, f"state restored from {backup}")


def _sqlite_path(url: str, default: Path) -> Path:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else default
