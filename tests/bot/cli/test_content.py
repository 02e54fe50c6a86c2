"""`orgbot content lint` and `orgbot content import` as a maintainer runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.paths import FIXTURES, REPO

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_lint_clean_folder_exits_zero() -> None:
    code, out = run("content", "lint", str(FIXTURES / "loader-wiki"))
    assert code == 0
    assert "5 pages: 0 errors, 0 warnings" in out


def test_lint_default_folder_comes_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORGBOT_CONTENT_DIR", str(FIXTURES / "loader-wiki"))
    code, out = run("content", "lint")
    assert code == 0 and "5 pages" in out


def test_lint_errors_exit_one_and_show_file_line_rule_and_hint(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "bad-pages", tmp_path / "bad")
    code, out = run("content", "lint", str(tmp_path / "bad"))
    assert code == 1
    assert "latin1.md:2:1 error [encoding] not valid UTF-8 (byte 0xe9)" in out
    assert "bad-yaml.md:3:5 error [yaml]" in out  # ruff-style: path:line:column
    assert "fix: save the file as UTF-8" in out
    assert "11 pages: 8 errors" in out


def test_lint_paths_are_relative_to_where_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "wiki" / "de").mkdir(parents=True)
    (tmp_path / "wiki" / "de" / "p.md").write_text("---\ntitle: P\nkind: bogus\n---\n")
    monkeypatch.chdir(tmp_path)
    code, out = run("content", "lint", "wiki")
    assert code == 1 and "\nwiki/de/p.md\n  wiki/de/p.md:3:1 error [invalid-kind]" in out
    monkeypatch.chdir(tmp_path / "wiki" / "de")
    code, out = run("content", "lint", str(tmp_path / "wiki"))
    assert "\n  p.md:3:1 error [invalid-kind]" in out  # under the working directory: relative


def test_lint_counts_are_singular_for_one(tmp_path: Path) -> None:
    (tmp_path / "s.md").write_text("---\ntitle: S\nkind: source\nsummary: S.\n---\nTODO\n")
    code, out = run("content", "lint", str(tmp_path))
    assert code == 0 and "1 page: 0 errors, 1 warning\n" in out


def test_lint_json_is_one_object(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text("---\ntitle: P\nkind: method\n---\nTODO\n")
    code, out = run("content", "lint", str(tmp_path), "--json")
    data = json.loads(out)
    assert code == 0  # warnings only
    assert data["errors"] == 0 and data["warnings"] == 3 and data["pages"] == 1
    assert {f["rule"] for f in data["findings"]} == {"missing-summary", "no-sources", "placeholder"}


def test_lint_strict_fails_on_warnings(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text("---\ntitle: P\nkind: method\n---\n")
    assert run("content", "lint", str(tmp_path), "--strict")[0] == 1


def test_import_writes_pages_and_reports_decisions(tmp_path: Path) -> None:
    export = FIXTURES / "exports" / "summary-after-placeholder.txt"
    code, out = run("content", "import", str(export), "--out", str(tmp_path))
    assert code == 0
    assert (tmp_path / "summary-after-placeholder.md").is_file()
    assert "summary-after-placeholder.txt:3 info [placeholder]" in out
    assert "1 of 1 exports written" in out
    code, out = run("content", "import", str(export), "--out", str(tmp_path))
    assert code == 1 and "use --force" in out


def test_import_json_and_bad_files(tmp_path: Path) -> None:
    exports = [str(FIXTURES / "exports" / n) for n in ("house-visits.txt", "binary.txt")]
    code, out = run("content", "import", *exports, "--out", str(tmp_path), "--json")
    data = json.loads(out)
    assert code == 1
    assert data["written"] == 1 and data["failed"] == 1
    assert data["imports"][1]["decisions"][0]["action"] == "binary"


# The real command line in a child process whose memory is capped at 2 GB, so a page that
# would expand without bound fails the test instead of eating the machine.
CLI_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from tests import fakeembedder
fakeembedder.register()
from bot.cli import main
main()
"""


def run_child(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CLI_CHILD, *args], capture_output=True, text=True, timeout=90,
        cwd=cwd, env={"PYTHONPATH": str(REPO), "COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


@pytest.mark.parametrize("command", [["content", "lint"], ["index", "build"]])
def test_an_alias_bomb_page_never_blocks_a_maintainer_tool(
    tmp_path: Path, command: list[str]
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "wiki", content)
    shutil.copy(FIXTURES / "hostile" / "alias-bomb.md", content / "alias-bomb.md")
    (tmp_path / "orgbot.toml").write_text(
        'content_dir = "content"\nvar_dir = "var"\n[model]\nname = "fake"\n'
        '[multilingual]\nname = ""\n'
    )
    started = time.monotonic()
    done = run_child("--config", "orgbot.toml", *command, cwd=tmp_path)
    assert time.monotonic() - started < 60
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "alias-bomb.md:9" in output, output[-2000:]
    assert "front-matter-size" in output and done.returncode in (1, 2)


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["--help"], "Check, import and summarise the wiki pages"),
        (["content", "--help"], "Convert wiki page exports into Markdown pages"),
        (["content", "lint", "--help"], "front matter that does not parse, unknown or missing"),
        (["content", "import", "--help"], "Existing pages are never replaced without --force"),
    ],
)
def test_help_reads_well(args: list[str], phrase: str) -> None:
    code, out = run(*args)
    assert code == 0
    # The phrase crosses a line end in the docstring: paragraphs must be rejoined.
    assert phrase in out
    if args[-2:-1] in (["lint"], ["import"]):
        assert "Example: orgbot content" in out


def test_lint_prints_each_finding_whole_on_one_line_when_piped() -> None:
    folder = FIXTURES / "bad-pages"
    result = runner.invoke(app, ["content", "lint", str(folder)], env={"COLUMNS": None})
    lines = result.output.splitlines()
    for finding in json.loads(run("content", "lint", str(folder), "--json")[1])["findings"]:
        # Paths as the person who ran it can open them: relative to the working directory.
        path = (folder / finding["path"]).relative_to(Path.cwd()).as_posix()
        place = f"{path}:{finding['line']}:{finding['column']}"
        where = f"{place} {finding['severity']} [{finding['rule']}]"
        assert f"  {where} {finding['message']}" in lines, where
        if finding["hint"]:
            assert f"      fix: {finding['hint']}" in lines, where


def test_lint_prints_page_text_as_written(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text(
        "---\ntitle: P\nkind: method\n---\nSee [[:smile:]] and [[a-[b]-c]].\n"
    )
    code, out = run("content", "lint", str(tmp_path))
    assert code == 1
    assert "`:smile:` points to no page" in out
