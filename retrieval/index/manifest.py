"""Build folders on disk: the manifest that describes one, and the `CURRENT` pointer."""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from retrieval.errors import OrgbotError

CURRENT = "CURRENT"
REBUILD = "run `orgbot index build --full` to make a new one"


class IndexNotReady(OrgbotError):
    """No usable build; the message says why and how to make one."""


class _ModelFacts(Protocol):
    name: str
    dimension: int
    weights_sha256: str


@dataclass(frozen=True)
class Manifest:
    build_id: str
    created_at: str
    model: str
    weights_sha256: str
    dimension: int
    content_digest: str
    pages: int
    passages: int
    schema: int
    version: str

    def write(self, folder: Path) -> None:
        text = json.dumps(dataclasses.asdict(self), indent=2)
        (folder / "manifest.json").write_text(text + "\n", encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / "manifest.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**data)
        except FileNotFoundError:
            raise IndexNotReady(f"build {folder.name} has no manifest.json; {REBUILD}") from None
        except (ValueError, TypeError) as exc:
            raise IndexNotReady(f"{path} is damaged ({exc}); {REBUILD}") from None


def write_pointer(root: Path, build_id: str) -> None:
    """Name the current build; os.replace makes the switch atomic for readers."""
    tmp = root / f".{CURRENT}.{os.getpid()}"
    tmp.write_text(build_id + "\n", encoding="utf-8")
    os.replace(tmp, root / CURRENT)


def current_build(root: Path) -> tuple[Path, Manifest] | None:
    """The build the pointer names, or None when there is none yet."""
    pointer = root / CURRENT
    if not pointer.exists():
        return None
    try:
        build_id = pointer.read_text(encoding="utf-8").strip()
    except (UnicodeDecodeError, OSError) as exc:
        raise IndexNotReady(f"{pointer} is unreadable ({exc}); {REBUILD}") from None
    folder = root / build_id
    if not build_id or "/" in build_id or not folder.is_dir():
        raise IndexNotReady(f"{pointer} names build {build_id!r}, which is missing; {REBUILD}")
    return folder, Manifest.read(folder)


def compatible(manifest: Manifest, model: _ModelFacts) -> bool:
    try:
        check_compatible(manifest, model)
    except IndexNotReady:
        return False
    return True


def check_compatible(manifest: Manifest, model: _ModelFacts) -> None:
    """Refuse a build made with another model or schema, saying how to rebuild."""
    from retrieval.index.store import SCHEMA_VERSION

    if manifest.schema != SCHEMA_VERSION:
        raise IndexNotReady(
            f"build {manifest.build_id} uses store schema {manifest.schema}, this orgbot reads "
            f"schema {SCHEMA_VERSION}; {REBUILD}"
        )
    if (manifest.model, manifest.weights_sha256) != (model.name, model.weights_sha256):
        raise IndexNotReady(
            f"build {manifest.build_id} was made with model {manifest.model} "
            f"({manifest.weights_sha256[:12]}), but the configured model is {model.name} "
            f"({model.weights_sha256[:12]}); {REBUILD}"
        )
    if manifest.dimension != model.dimension:
        raise IndexNotReady(
            f"build {manifest.build_id} has {manifest.dimension}-dimensional vectors, the model "
            f"makes {model.dimension}; {REBUILD}"
        )
