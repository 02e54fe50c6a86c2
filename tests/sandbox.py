"""Throwaway set-ups several test folders share: an orgbot.toml over a copy of the fixture
wiki with the fake encoders, and a build whose search table is damaged on disk."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.paths import WIKI


def fixture_config(folder: Path, *, base_url: str | None = None) -> Path:
    """`folder`/orgbot.toml answering from a copy of the fixture wiki in `folder`/content."""
    shutil.copytree(WIKI, folder / "content")
    path = folder / "orgbot.toml"
    url = f'base_url = "{base_url}"\n' if base_url else ""
    path.write_text(
        f'content_dir = "content"\nvar_dir = "var"\n{url}'
        '[model]\nname = "fake"\n[multilingual]\nname = "fake-multilingual"\n'
        "[answer]\nthreshold = 0.3\nsee_also_threshold = 0.2\n"
    )
    return path


def damage_search_table(store: Path) -> None:
    """Overwrite the first page of the full-text table in a build's `store.sqlite3`: the
    file still opens, but searching it fails."""
    with sqlite3.connect(store) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'passages_fts_data'"
        ).fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with store.open("r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\xff" * size)
