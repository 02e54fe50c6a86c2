"""Build folders on disk: the manifest that describes one, and the `CURRENT` pointer."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
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
class EncoderFacts:
    """What a build records of one encoder, so a reader can refuse vectors of another."""

    model: str
    weights_sha256: str
    dimension: int

    @classmethod
    def of(cls, model: _ModelFacts) -> EncoderFacts:
        return cls(model.name, model.weights_sha256, model.dimension)


@dataclass(frozen=True)
class Manifest:
    build_id: str
    created_at: str
    # By role ("english", "multilingual"): each has its own vectors and faiss index.
    encoders: dict[str, EncoderFacts]
    content_digest: str
    pages: int
    passages: int
    schema: int
    version: str

    @property
    def models(self) -> str:
        """The encoders' names, for status displays."""
        return " + ".join(facts.model for facts in self.encoders.values())

    def write(self, folder: Path) -> None:
        text = json.dumps(dataclasses.asdict(self), indent=2)
        (folder / "manifest.json").write_text(text + "\n", encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / "manifest.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and "encoders" not in data and "schema" in data:
                raise IndexNotReady(
                    f"build {folder.name} was made by an older orgbot (store schema "
                    f"{data['schema']}); {REBUILD}"
                )
            data["encoders"] = {
                role: EncoderFacts(**facts) for role, facts in data["encoders"].items()
            }
            return cls(**data)
        except FileNotFoundError:
            raise IndexNotReady(f"build {folder.name} has no manifest.json; {REBUILD}") from None
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise IndexNotReady(f"{path} is damaged ({exc!r}); {REBUILD}") from None


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
    if pointer.is_dir():
        raise IndexNotReady(pointer_is_a_folder(pointer))
    try:
        build_id = pointer.read_text(encoding="utf-8").strip()
    except (UnicodeDecodeError, OSError) as exc:
        raise IndexNotReady(f"{pointer} is unreadable ({exc}); {REBUILD}") from None
    folder = root / build_id
    if not build_id or "/" in build_id or not folder.is_dir():
        raise IndexNotReady(f"{pointer} names build {build_id!r}, which is missing; {REBUILD}")
    return folder, Manifest.read(folder)


def pointer_is_a_folder(pointer: Path) -> str:
    return (
        f"{pointer} is a folder, but it must be the file that names the current build; "
        f"remove it (`rm -r {pointer}`), then run `orgbot index build`"
    )


def check_compatible(manifest: Manifest, encoders: Mapping[str, _ModelFacts]) -> None:
    """Refuse a build made with another schema, or without the vectors of one of the
    encoders in use, saying how to rebuild. Vectors of an encoder no longer in use are
    simply not read."""
    from retrieval.index.store import SCHEMA_VERSION

    if manifest.schema != SCHEMA_VERSION:
        raise IndexNotReady(
            f"build {manifest.build_id} uses store schema {manifest.schema}, this orgbot reads "
            f"schema {SCHEMA_VERSION}; {REBUILD}"
        )
    for role, model in encoders.items():
        built = manifest.encoders.get(role)
        if built is None:
            raise IndexNotReady(
                f"build {manifest.build_id} was made without the {role} encoder ({model.name}) "
                f"the settings now use; {REBUILD}"
            )
        if (built.model, built.weights_sha256) != (model.name, model.weights_sha256):
            raise IndexNotReady(
                f"build {manifest.build_id} was made with {role} model {built.model} "
                f"({built.weights_sha256[:12]}), but the configured one is {model.name} "
                f"({model.weights_sha256[:12]}); {REBUILD}"
            )
        if built.dimension != model.dimension:
            raise IndexNotReady(
                f"build {manifest.build_id} has {built.dimension}-dimensional {role} vectors, "
                f"the model makes {model.dimension}; {REBUILD}"
            )
