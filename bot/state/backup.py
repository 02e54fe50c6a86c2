"""Backing up and restoring the state: SQLite's online backup API, or pg_dump / pg_restore.

A SQLite backup is a consistent copy taken while the bot keeps writing; restoring copies it
back the same way. On PostgreSQL, `pg_dump --format=custom` and `pg_restore --clean` do the
work (they must be installed on the host running the command). Either way the restored
database is migrated to this orgbot's schema the next time a bot opens it.
"""

from __future__ import annotations

import glob
import shutil
import sqlite3
import subprocess
from pathlib import Path

from .base import StateError
from .postgres import redacted


def backup_sqlite(database: Path, target: Path) -> None:
    if not database.is_file():
        raise StateError(f"no state database at {database}; nothing to back up")
    _copy(database, target)


def restore_sqlite(backup: Path, database: Path) -> None:
    if not backup.is_file():
        raise StateError(f"no backup at {backup}")
    database.parent.mkdir(parents=True, exist_ok=True)
    _copy(backup, database)


def _copy(source: Path, target: Path) -> None:
    try:
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
    except sqlite3.Error as exc:
        raise StateError(f"cannot copy {source} to {target}: {exc}") from None


def backup_postgres(url: str, target: Path) -> None:
    _run(_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", url, url=url)


def restore_postgres(backup: Path, url: str) -> None:
    if not backup.is_file():
        raise StateError(f"no backup at {backup}")
    _run(_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", f"--dbname={url}",
         str(backup), url=url)  # fmt: skip


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise StateError(f"{name} is not installed; install the PostgreSQL client tools")
    return found


def _run(*command: str, url: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1:] or ["no output"]
        shown = " ".join(redacted(part) if part == url else part for part in command[:1])
        raise StateError(f"{shown} failed for {redacted(url)}: {redacted(detail[0])}")
