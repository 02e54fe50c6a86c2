"""Whether a build on disk is whole, and what a failed write of a new one means.

A build can be opened and still be damaged: a bad page inside store.sqlite3 is found only
by the query that reads it. `build_problems` looks at every part without loading the
vectors, so `index status` can say a build is damaged before a question finds out, and
`index build` knows to replace it even when no page changed.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from pathlib import Path

from retrieval.errors import first_line
from retrieval.index import store, vectors
from retrieval.index.manifest import REBUILD, Manifest

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def build_problems(folder: Path, manifest: Manifest) -> list[str]:
    """What is wrong with the build in `folder`: parts missing or cut short, a damaged store."""
    problems = []
    for role, facts in manifest.encoders.items():
        path = folder / vectors.index_file(role)
        least = manifest.passages * facts.dimension * 4  # float32 vectors, stored whole
        size = path.stat().st_size if path.is_file() else None
        if size is None:
            problems.append(f"{path.name} is missing")
        elif size < least:
            problems.append(
                f"{path.name} is cut short ({size:,} bytes for {manifest.passages:,} vectors)"
            )
    path = folder / "store.sqlite3"
    if not path.is_file():
        return [*problems, "store.sqlite3 is missing"]
    try:
        with contextlib.closing(store.connect(path, readonly=True)) as conn:
            verdict = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.Error as exc:
        verdict = [str(exc)]
    if verdict != ["ok"]:
        problems.append(f"store.sqlite3 is damaged ({verdict[0]})")
    return problems


def damaged(build_id: str, problems: list[str]) -> str:
    """How a damaged build is described to the person who has to rebuild it."""
    return f"build {build_id} is damaged ({'; '.join(problems)}); {REBUILD}"


def write_failure(error: BaseException, root: Path, current: str | None) -> str:
    """What a write that failed while building means, and what to do about it."""
    code = getattr(error, "errno", None)
    reason = getattr(error, "strerror", None) or first_line(error)
    text = str(error).casefold()
    # SQLite says SQLITE_FULL for ENOSPC and a write I/O error for the rest (EFBIG, EDQUOT…).
    sqlite_name = str(getattr(error, "sqlite_errorname", ""))
    if (
        code in _FULL
        or sqlite_name in ("SQLITE_FULL", "SQLITE_IOERR_WRITE")
        or "disk is full" in text
        or "no space" in text
    ):
        advice = (
            "free some space on that disk (or check it: a disk that cannot be written to "
            "fails this way too), or set `var_dir` in config/orgbot.toml to a folder on "
            "another one, then run `orgbot index build` again"
        )
    elif code in _READ_ONLY or "readonly" in text or "read-only" in text:
        advice = (
            f"{root} is read-only for orgbot: make it writable, or set `var_dir` in "
            "config/orgbot.toml to a writable folder, then run `orgbot index build` again"
        )
    else:
        advice = f"check {root}, then run `orgbot index build` again"
    kept = f"The current build {current} keeps answering." if current else "No build was made."
    return f"cannot write the new build in {root} ({reason}); {advice}. {kept}"
