"""The CLI tests' settings: a copy of the fixture wiki, the fake embedder, its own `var/`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.paths import WIKI


@pytest.fixture
def config(tmp_path: Path) -> Path:
    shutil.copytree(WIKI, tmp_path / "content")
    path = tmp_path / "orgbot.toml"
    path.write_text(
        'content_dir = "content"\nvar_dir = "var"\nbase_url = "https://wiki.example.org"\n'
        '[model]\nname = "fake"\n[multilingual]\nname = "fake-multilingual"\n'
        "[answer]\nthreshold = 0.3\nsee_also_threshold = 0.2\n"
    )
    return path
