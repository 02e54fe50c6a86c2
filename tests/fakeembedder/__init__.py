"""A deterministic stand-in for a model: unit tests and scale runs embed without loading one.

`register()` makes `[model] name = "fake"` (or `"fake-<dimension>"`) load it, through the same
`retrieval.embedding.register` a real backend would use; product code does not know it exists.
The test suite registers it in `tests/conftest.py`; benchmarks call `register()` themselves.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from retrieval.embedding import register as register_backend
from retrieval.embedding.base import Embedder, normalise
from retrieval.settings import RetrievalSettings

FAKE_MODEL = "fake"


class FakeEmbedder:
    """Hashed bag of words: texts that share words get similar vectors, which is enough to
    test ranking logic without loading a 90 MB model."""

    weights_sha256 = "fake"

    def __init__(self, dimension: int = 256) -> None:
        self.dimension = dimension
        self.name = f"{FAKE_MODEL}-{dimension}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.casefold()):
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dimension
                vectors[row, bucket] += 1.0 if digest[4] & 1 else -1.0
        return normalise(vectors)


def _load(settings: RetrievalSettings) -> Embedder:
    size = settings.model.name.removeprefix(FAKE_MODEL).lstrip("-")
    return FakeEmbedder(int(size) if size.isdigit() else 256)


def register() -> None:
    register_backend(FAKE_MODEL, _load)
