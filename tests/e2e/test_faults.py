"""Faults injected where they happen: a full disk, a read-only `var/`, damaged build parts.

Each fault is made at the filesystem seam (the call that would fail fails, as the OS would
make it fail) or for real in a child process, never by permissions: the tests run as root,
whom chmod does not stop. Whatever breaks, the maintainer gets one clear line that says
what is wrong and what to do, and the previous build keeps answering.
"""

from __future__ import annotations

import errno
import json
import os
import pathlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import faiss
import pytest
from typer.testing import CliRunner, Result

from bot.cli import app
from retrieval import KnowledgeBase
from tests.paths import CONTENT, REPO, WIKI
from tests.sandbox import damage_search_table, fixture_config

runner = CliRunner()
QUESTION = "rent pledge withhold rent"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return fixture_config(tmp_path)


def orgbot(config: Path, *args: str) -> Result:
    return runner.invoke(app, ["--config", str(config), *args], env={"COLUMNS": "200"})


def one_clear_line(result: Result, *phrases: str) -> str:
    """The error a command ended with: one line, no traceback, containing every phrase."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    for phrase in phrases:
        assert phrase in errors[0], errors[0]
    return errors[0]


def current(config: Path) -> str:
    return (config.parent / "var" / "index" / "CURRENT").read_text().strip()


def still_answers(config: Path, build_id: str) -> None:
    assert current(config) == build_id
    answer = orgbot(config, "ask", "--json", QUESTION)
    assert answer.exit_code == 0, answer.output
    assert json.loads(answer.stdout.splitlines()[-1])["hits"][0]["slug"] == "rent-pledges"
    index = config.parent / "var" / "index"
    assert not list(index.glob(".tmp-*")), "a failed build left its half-written folder"


def built(config: Path) -> str:
    result = orgbot(config, "index", "build")
    assert result.exit_code == 0, result.output
    return current(config)


def edit_a_page(config: Path) -> None:
    page = config.parent / "content" / "rent-pledges.md"
    page.write_text(page.read_text() + "\nA pledge card names the date rent is withheld.\n")


# -- a full disk ---------------------------------------------------------------------------


def test_disk_full_while_writing_vectors_is_one_line_and_the_old_build_answers(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = built(config)
    edit_a_page(config)

    def no_space(index: Any, path: str) -> None:
        # What faiss raises when fwrite comes up short on a full disk.
        raise RuntimeError(f"Error in write: write error in {path}: 0 != 4096 (No space left)")

    monkeypatch.setattr(faiss, "write_index", no_space)
    one_clear_line(orgbot(config, "index", "build"), "cannot write the new build", "free")
    monkeypatch.undo()
    still_answers(config, good)


def test_disk_full_while_writing_the_pointer_keeps_the_old_build(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = built(config)
    edit_a_page(config)
    write_text = pathlib.Path.write_text

    def full_for_the_pointer(self: Path, *args: Any, **kwargs: Any) -> int:
        if self.name.startswith(".CURRENT"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return write_text(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "write_text", full_for_the_pointer)
    one_clear_line(orgbot(config, "index", "build"), "No space left on device", "free")
    monkeypatch.undo()
    still_answers(config, good)


# The real command line in a child whose files may not grow past 64 KiB: every write past
# that fails in the kernel (EFBIG), as a full disk fails it (ENOSPC), for SQLite and faiss
# alike.
SMALL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 10, 64 << 10))
from tests import fakeembedder
fakeembedder.register()
from bot.cli import main
main()
"""


def test_a_disk_that_fills_for_real_is_one_line_and_the_old_build_answers(config: Path) -> None:
    good = built(config)
    edit_a_page(config)
    done = subprocess.run(
        [sys.executable, "-c", SMALL_DISK, "--config", str(config), "index", "build", "--full"],
        capture_output=True, text=True, timeout=120, cwd=config.parent,
        env={"PYTHONPATH": str(REPO), "COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: cannot write the new build") and "free" in line, line
    still_answers(config, good)


# -- a read-only var/ ----------------------------------------------------------------------


def read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make creating or writing anything under `folder` fail with EROFS, as a read-only
    mount does; reading still works."""

    def refuse(path: object) -> None:
        if Path(str(path)).resolve().is_relative_to(folder.resolve()):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    def guarded(real: Callable[..., Any], writes: Callable[..., bool]) -> Callable[..., Any]:
        def call(path: Any, *args: Any, **kwargs: Any) -> Any:
            if writes(*args, **kwargs):
                refuse(path)
            return real(path, *args, **kwargs)

        return call

    def writing(mode: str = "r", *args: Any, **kwargs: Any) -> bool:
        return any(flag in mode for flag in "wax+")

    monkeypatch.setattr(pathlib.Path, "open", guarded(pathlib.Path.open, writing))
    monkeypatch.setattr(os, "mkdir", guarded(os.mkdir, lambda *a, **k: True))


def test_read_only_var_is_one_line_and_the_old_build_answers(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = built(config)
    edit_a_page(config)
    read_only(monkeypatch, config.parent / "var")
    one_clear_line(orgbot(config, "index", "build"), "read-only", "var_dir")
    still_answers(config, good)  # reading a build needs no write


# -- damaged build parts -------------------------------------------------------------------


def test_a_damaged_page_in_the_store_is_found_by_status_and_ask_says_how_to_rebuild(
    config: Path,
) -> None:
    good = built(config)
    store = config.parent / "var" / "index" / good / "store.sqlite3"
    damage_search_table(store)
    status = orgbot(config, "index", "status")
    assert status.exit_code == 1, status.output
    assert "damaged" in status.output and "orgbot index build --full" in status.output
    one_clear_line(orgbot(config, "ask", QUESTION), "damaged", "orgbot index build --full")
    repaired = built(config)  # a plain build sees the damage and makes a whole new build
    assert repaired != good
    assert orgbot(config, "index", "status").exit_code == 0
    still_answers(config, repaired)


@pytest.mark.parametrize(
    "damage",
    ["truncated-vectors", "missing-manifest", "garbage-manifest", "pointer-is-a-folder"],
)
def test_a_damaged_build_part_is_one_line_and_the_next_build_repairs_it(
    config: Path, damage: str
) -> None:
    good = built(config)
    index = config.parent / "var" / "index"
    folder = index / good
    if damage == "truncated-vectors":
        data = (folder / "index.faiss").read_bytes()
        (folder / "index.faiss").write_bytes(data[: len(data) // 2])
    elif damage == "missing-manifest":
        (folder / "manifest.json").unlink()
    elif damage == "garbage-manifest":
        (folder / "manifest.json").write_bytes(b"\x00\xff{not json")
    else:
        (index / "CURRENT").unlink()
        (index / "CURRENT").mkdir()
    hint = "rm -r" if damage == "pointer-is-a-folder" else "orgbot index build"
    one_clear_line(orgbot(config, "ask", QUESTION), hint)
    one_clear_line(orgbot(config, "index", "status"), hint)
    if damage == "pointer-is-a-folder":
        one_clear_line(orgbot(config, "index", "build"), "rm -r")
        (index / "CURRENT").rmdir()
    still_answers(config, built(config))


# -- the content folder removed during a build ---------------------------------------------


@pytest.mark.parametrize("after_reads", [1, 13])
def test_content_removed_during_a_build_is_one_line_and_the_old_build_answers(
    config: Path, monkeypatch: pytest.MonkeyPatch, after_reads: int
) -> None:
    good = built(config)
    content = config.parent / "content"
    read_bytes = pathlib.Path.read_bytes
    reads: list[Path] = []

    def vanishing(self: Path) -> bytes:
        if self.is_relative_to(content) and content.exists():
            reads.append(self)
            if len(reads) == after_reads:  # 13: just after the last of the 13 pages is read
                data = read_bytes(self)
                shutil.rmtree(content)
                return data
        return read_bytes(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", vanishing)
    one_clear_line(orgbot(config, "index", "build"), "content", "disappeared")
    monkeypatch.undo()
    shutil.copytree(WIKI, content)
    still_answers(config, good)


# -- a damaged fast-start copy of the model ------------------------------------------------


@pytest.mark.model
def test_a_truncated_onnx_export_is_said_once_and_questions_are_still_answered(
    bundled_kb: KnowledgeBase, bundled_var: Path, tmp_path: Path
) -> None:
    var = tmp_path / "var"
    shutil.copytree(bundled_var / "index", var / "index")
    shutil.copytree(bundled_var / "models", var / "models")
    (onnx,) = (var / "models").glob("all-MiniLM-L6-v2-*/model.onnx")
    onnx.write_bytes(onnx.read_bytes()[:4096])
    config = tmp_path / "orgbot.toml"
    config.write_text(f'content_dir = "{CONTENT}"\nvar_dir = "var"\n')
    result = orgbot(config, "ask", "--json", "how do I run a one-to-one?")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, result.output
    assert str(onnx.parent) in warnings[0] and "sentence-transformers" in warnings[0]
    assert "orgbot model export" in warnings[0]
    answer = json.loads(result.stdout.splitlines()[-1])
    assert answer["answered"] and answer["hits"][0]["slug"] == "one-to-ones"


def test_a_build_with_nothing_changed_on_a_read_only_var_keeps_the_build(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = built(config)
    read_only(monkeypatch, config.parent / "var")
    result = orgbot(config, "index", "build")
    assert result.exit_code == 0, result.output
    assert f"Nothing changed since build {good}" in result.output
    still_answers(config, good)
