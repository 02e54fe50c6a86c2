"""A build's health: every part checked without loading it, and failed writes explained."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest

from retrieval.index.builder import build_index
from retrieval.index.health import build_problems, write_failure
from retrieval.index.manifest import Manifest
from tests.sandbox import damage_search_table


@pytest.fixture
def build(settings, embedder) -> Path:
    return settings.index_dir / build_index(settings, embedder).build_id


def test_a_whole_build_has_no_problems(build: Path) -> None:
    assert build_problems(build, Manifest.read(build)) == []


def test_a_damaged_page_in_the_store_is_found(build: Path) -> None:
    damage_search_table(build / "store.sqlite3")
    (problem,) = build_problems(build, Manifest.read(build))
    assert problem.startswith("store.sqlite3 is damaged")


def test_missing_and_short_parts_are_found(build: Path) -> None:
    (build / "store.sqlite3").unlink()
    (build / "index.faiss").write_bytes(b"IxFl")
    problems = build_problems(build, Manifest.read(build))
    assert problems == [
        "index.faiss is cut short (4 bytes for 46 vectors)",
        "store.sqlite3 is missing",
    ]


@pytest.mark.parametrize(
    ("error", "advice"),
    [
        (OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), "free some space"),
        (OSError(errno.EDQUOT, os.strerror(errno.EDQUOT)), "free some space"),
        (sqlite3.OperationalError("database or disk is full"), "free some space"),
        (OSError(errno.EROFS, os.strerror(errno.EROFS)), "is read-only for orgbot"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (OSError(errno.EIO, os.strerror(errno.EIO)), "check /var/index"),
    ],
)
def test_a_failed_write_says_what_to_do(error: Exception, advice: str) -> None:
    message = write_failure(error, Path("/var/index"), "B1")
    assert message.startswith("cannot write the new build in /var/index (")
    assert advice in message and "`orgbot index build` again" in message
    assert message.endswith("The current build B1 keeps answering.")
    assert write_failure(error, Path("/var/index"), None).endswith("No build was made.")
