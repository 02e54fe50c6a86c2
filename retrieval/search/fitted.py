"""Arrays fitted on one encoder's vectors, stored beside the code and signed by that encoder.

`bench.calibrate` writes them (the precedents, the section-intent weights); the knowledge base
reads them at start-up. A file made with other weights, cut short, or not an archive at all is
never fatal: it reads as None, and the caller answers without it.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.embedding import Embedder
from retrieval.embedding.base import signature

# What numpy raises for a missing, truncated, corrupt or foreign file, or a missing array.
UNREADABLE = (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile, zlib.error)


def save_signed(path: Path, encoder: str, arrays: dict[str, np.ndarray]) -> None:
    """Write `arrays` and the `encoder` signature to `path`, replacing it in one step."""
    tmp = path.with_suffix(".tmp.npz")
    payload: dict[str, Any] = {"encoder": np.array(encoder), **arrays}
    np.savez_compressed(tmp, **payload)
    tmp.replace(path)


def load_signed(
    path: Path, encoder: Embedder, names: tuple[str, ...]
) -> dict[str, np.ndarray] | None:
    """The arrays `names` from `path` as float32 (bool and text arrays stay as they are), or
    None when the file cannot be read or was not made with `encoder`."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            if str(stored["encoder"]) != signature(encoder):
                return None
            found = {name: stored[name] for name in names}
            return {
                name: array if array.dtype.kind in "bU" else array.astype(np.float32)
                for name, array in found.items()
            }
    except UNREADABLE:
        return None
