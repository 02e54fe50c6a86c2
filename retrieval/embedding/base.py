"""What every encoder is: one method (`embed`) plus the facts a build manifest records.

Encoders load only from installed packages or local paths: nothing here reaches a model hub.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval.errors import OrgbotError


class ModelError(OrgbotError):
    """The configured model cannot be used; the message says what to install or configure."""


class Embedder(Protocol):
    name: str
    dimension: int
    weights_sha256: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


def signature(encoder: Embedder) -> str:
    """Who made a set of vectors: the encoder's name and its weights' sha256."""
    return f"{encoder.name} {encoder.weights_sha256}"


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: np.ndarray = (vectors / norms).astype(np.float32)
    return unit


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
