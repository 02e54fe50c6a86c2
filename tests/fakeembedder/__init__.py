"""Deterministic stand-ins for models: unit tests and scale runs embed without loading one.

`register()` makes a model setting `name = "fake"` (or `"fake-<dimension>"`) load
`FakeEmbedder`, and `"fake-multilingual"` load `FakeMultilingual`, through the same
`retrieval.embedding.register` a real backend would use; product code does not know they
exist. The test suite registers them in `tests/conftest.py`; benchmarks call `register()`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from retrieval.embedding import register as register_backend
from retrieval.embedding.base import Embedder, normalise
from retrieval.settings import ModelSettings

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
            for word in self.words(text):
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dimension
                vectors[row, bucket] += 1.0 if digest[4] & 1 else -1.0
        return normalise(vectors)

    def words(self, text: str) -> list[str]:
        return re.findall(r"\w+", text.casefold())


# German, French and Spanish words of the fixture wiki's topics, as the English word they mean.
GLOSSARY = {
    "miete": "rent", "mieter": "tenants", "mietstreik": "rent", "loyer": "rent",
    "loyers": "rent", "alquiler": "rent", "alquileres": "rent", "inquilinos": "tenants",
    "locataires": "tenants", "versprechen": "pledge", "promesse": "pledge",
    "promesa": "pledge", "verweigern": "withhold", "retenir": "withhold",
    "retener": "withhold", "unterschriften": "signatures", "signatures": "signatures",
    "firmas": "signatures", "haus": "house", "besuche": "visits", "hausbesuche": "visits",
    "visites": "visits", "visitas": "visits", "tür": "door", "porte": "door",
    "puerta": "door", "vermieter": "landlords", "propriétaire": "landlords",
    "propietarios": "landlords",
}  # fmt: skip


class FakeMultilingual(FakeEmbedder):
    """`FakeEmbedder` that reads a few German, French and Spanish words as their English
    meaning, so a question in one language finds a page in another, as a multilingual model
    would."""

    def __init__(self) -> None:
        super().__init__(128)
        self.name = f"{FAKE_MODEL}-multilingual"

    def words(self, text: str) -> list[str]:
        return [GLOSSARY.get(word, word) for word in super().words(text)]


def _load(model: ModelSettings, var_dir: Path) -> Embedder:
    size = model.name.removeprefix(FAKE_MODEL).lstrip("-")
    if size == "multilingual":
        return FakeMultilingual()
    return FakeEmbedder(int(size) if size.isdigit() else 256)


def register() -> None:
    register_backend(FAKE_MODEL, _load)
