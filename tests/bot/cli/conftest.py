"""The CLI tests' settings: a copy of the fixture wiki, the fake embedder, its own `var/`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sandbox import fixture_config


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return fixture_config(tmp_path, base_url="https://wiki.example.org")
