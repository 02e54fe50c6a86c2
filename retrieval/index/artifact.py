"""A build as one verified artifact, for hosts that do not share a disk.

`pack` turns a build folder into a tar archive with the sha256 of its bytes; `unpack` checks
the hash, refuses anything but the build's own flat files, and writes them under a temporary
name in the index folder, to be switched in by the caller once the build has been opened.
A corrupt or partial artifact is refused before anything on disk changes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import tarfile
from pathlib import Path

from retrieval.index.manifest import IndexNotReady, Manifest

# The files a build consists of; nothing else is packed or accepted.
BUILD_FILES = ("manifest.json", "store.sqlite3", "index.faiss", "index-multilingual.faiss")


def pack(folder: Path) -> tuple[bytes, str, Manifest]:
    """(artifact, its sha256, the build's manifest) for the build in `folder`."""
    manifest = Manifest.read(folder)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name in BUILD_FILES:
            path = folder / name
            if path.is_file():
                archive.add(path, arcname=name, recursive=False)
    data = buffer.getvalue()
    return data, hashlib.sha256(data).hexdigest(), manifest


def unpack(artifact: bytes, sha256: str, root: Path) -> tuple[Path, Manifest]:
    """Verify `artifact` and write its files to a new temporary folder under `root`.

    Returns that folder and the build's manifest; the caller opens the build, then moves the
    folder into place with `install`, or deletes it.
    """
    actual = hashlib.sha256(artifact).hexdigest()
    if actual != sha256:
        raise IndexNotReady(
            f"the published build is corrupt (sha256 {actual[:12]}…, expected {sha256[:12]}…);"
            " the current build keeps answering; publish it again with `orgbot index publish`"
        )
    try:
        with tarfile.open(fileobj=io.BytesIO(artifact), mode="r:") as archive:
            members = archive.getmembers()
            names = [member.name for member in members]
            unknown = [n for n in names if n not in BUILD_FILES]
            if unknown or not all(member.isfile() for member in members):
                raise IndexNotReady(f"the published build holds unexpected entries {unknown}")
            if "manifest.json" not in names or "store.sqlite3" not in names:
                raise IndexNotReady("the published build lacks its manifest or store")
            build_id = _build_id(archive)
            root.mkdir(parents=True, exist_ok=True)
            folder = root / f".fetch-{build_id}-{os.getpid()}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            for member in members:
                source = archive.extractfile(member)
                assert source is not None  # a regular file, checked above
                (folder / member.name).write_bytes(source.read())
    except (tarfile.TarError, OSError, ValueError, TypeError, KeyError) as exc:
        raise IndexNotReady(f"the published build cannot be read ({exc})") from None
    return folder, Manifest.read(folder)


def _build_id(archive: tarfile.TarFile) -> str:
    """The build id the artifact's manifest names, checked to be a plain folder name."""
    source = archive.extractfile("manifest.json")
    assert source is not None
    data = json.loads(source.read().decode("utf-8"))
    build_id = data.get("build_id") if isinstance(data, dict) else None
    if not isinstance(build_id, str) or not re.fullmatch(r"[\w.-]{1,100}", build_id):
        raise ValueError("manifest.json names no usable build id")
    return build_id


def install(folder: Path, root: Path, build_id: str) -> Path:
    """Move an unpacked, opened build into place as `root/build_id`."""
    final = root / build_id
    if final.exists():
        shutil.rmtree(folder, ignore_errors=True)
        return final
    os.replace(folder, final)
    return final
