"""docs/architecture.md names only folders and files that exist."""

from __future__ import annotations

import re

from tests.paths import REPO

DOC = REPO / "docs" / "architecture.md"
ROOTS = ("retrieval/", "bot/", "tests/", "bench/", "docs/", "config/")


def named_paths() -> set[str]:
    """Every path in backticks, plus every folder and file in the map's tree."""
    text = DOC.read_text(encoding="utf-8")
    found = {p for p in re.findall(r"`([\w./-]+)`", text) if p.startswith(ROOTS)}
    tree = text.split("```", 2)[1]
    folders: list[str] = []  # the folder open at each depth of indentation
    for line in tree.splitlines():
        if not line.strip():
            continue
        depth = (len(line) - len(line.lstrip())) // 2
        # Names come first on a line; two spaces or more start the description.
        names = re.split(r"\s{2,}", line.strip())[0].split()
        folders = folders[:depth]
        for name in names:
            found.add("".join(folders) + name)
        if len(names) == 1 and names[0].endswith("/"):
            folders.append(names[0])
    return found


def test_every_path_the_architecture_page_names_exists() -> None:
    paths = named_paths()
    assert len(paths) > 40
    missing = sorted(p for p in paths if not (REPO / p.rstrip("/")).exists())
    assert not missing, f"docs/architecture.md names what does not exist: {missing}"
