"""The layers the design draws, checked on every module's imports.

`retrieval/` knows nothing about Discord or the bot; `bot/` reaches retrieval only through
its facade (`import retrieval`) and touches no FAISS, ONNX or SQL outside its state package;
inside `retrieval/`, each part imports only the parts below it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.paths import REPO

# Each retrieval part, and the parts it may import (besides the shared top-level modules).
RETRIEVAL_PARTS = {
    "wiki": {"embedding"},  # summaries rank sentences with an encoder
    "embedding": set(),
    "index": {"wiki", "embedding"},
    "search": {"wiki", "embedding", "index"},
}
SHARED = {"errors", "models", "settings", "version"}


def modules(package: str) -> Iterator[tuple[str, Path]]:
    for path in sorted((REPO / package).rglob("*.py")):
        dotted = path.relative_to(REPO).with_suffix("").as_posix().replace("/", ".")
        yield dotted.removesuffix(".__init__"), path


def imports(path: Path, module: str) -> set[str]:
    """Every module `path` imports at run time (imports under TYPE_CHECKING do not count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for node in ast.walk(block)
    }
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
    return found


def top(name: str) -> str:
    return name.split(".", 1)[0]


@pytest.mark.parametrize(("module", "path"), list(modules("retrieval")))
def test_retrieval_knows_nothing_of_discord_or_the_bot(module: str, path: Path) -> None:
    forbidden = {name for name in imports(path, module) if top(name) in {"bot", "discord"}}
    assert not forbidden, f"{module} imports {sorted(forbidden)}"


@pytest.mark.parametrize(("module", "path"), list(modules("retrieval")))
def test_retrieval_parts_import_only_the_parts_below(module: str, path: Path) -> None:
    parts = module.split(".")
    if len(parts) < 3 or parts[1] not in RETRIEVAL_PARTS:
        return  # the facade and the shared modules may use any part
    own, allowed = parts[1], RETRIEVAL_PARTS[parts[1]]
    for name in imports(path, module):
        pieces = name.split(".")
        if pieces[0] != "retrieval" or len(pieces) < 2:
            continue
        assert pieces[1] in {own, *allowed, *SHARED}, f"{module} imports {name}"


@pytest.mark.parametrize(("module", "path"), list(modules("bot")))
def test_bot_uses_only_the_retrieval_facade(module: str, path: Path) -> None:
    deep = {name for name in imports(path, module) if name.startswith("retrieval.")}
    assert not deep, f"{module} reaches past the facade: {sorted(deep)}"


@pytest.mark.parametrize(("module", "path"), list(modules("bot")))
def test_bot_touches_no_faiss_onnx_or_sql_outside_its_state(module: str, path: Path) -> None:
    engines = {"faiss", "onnxruntime", "torch", "sentence_transformers", "sqlite3", "aiosqlite"}
    if module.startswith("bot.state"):
        engines -= {"sqlite3", "aiosqlite"}
    used = {name for name in imports(path, module) if top(name) in engines}
    assert not used, f"{module} imports {sorted(used)}"


def test_the_checks_see_every_package() -> None:
    names = {module for module, _ in modules("retrieval")} | {m for m, _ in modules("bot")}
    assert {"retrieval.search.ranking", "bot.state.sqlite", "bot.cli.ask"} <= names
    assert "retrieval.index.reader" in names and "bot.cogs.lookup" in names
