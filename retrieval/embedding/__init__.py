"""Encoders that turn text into vectors, behind one small interface (`base.Embedder`).

One module per backend: `sentence_transformer` (torch) and `onnx_runtime` (the same weights,
exported for a fast start). `load_embedder` picks the one the settings name; other backends
(the test suite's fake, say) are added with `register`, the same way the real ones are.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from retrieval.embedding.base import Embedder, ModelError
from retrieval.embedding.model_files import model_source
from retrieval.embedding.onnx_runtime import ExportError, OnnxEmbedder, export, export_folder
from retrieval.embedding.sentence_transformer import SentenceTransformerEmbedder
from retrieval.settings import RetrievalSettings

__all__ = ["Embedder", "ModelError", "export_onnx", "load_embedder", "register"]

Loader = Callable[[RetrievalSettings], Embedder]
_REGISTERED: dict[str, Loader] = {}


def register(name: str, loader: Loader) -> None:
    """Make `[model] name = "<name>"` (or `"<name>-<anything>"`) load with `loader`."""
    _REGISTERED[name] = loader


def load_embedder(settings: RetrievalSettings) -> Embedder:
    """The embedder the settings name, on the fastest runtime available for it.

    With `runtime = "auto"` an ONNX export of the same weights is used when one exists
    (`orgbot model export`), sentence-transformers otherwise.
    """
    name = settings.model.name
    for prefix, loader in _REGISTERED.items():
        if name == prefix or name.startswith(prefix + "-"):
            return loader(settings)
    folder, label, sha = model_source(settings.model)
    runtime = settings.model.runtime
    if runtime != "torch":
        try:
            return OnnxEmbedder(folder, export_folder(settings.var_dir, label, sha), label, sha)
        except ExportError as exc:
            if runtime == "onnx":
                raise ModelError(str(exc)) from None
    return SentenceTransformerEmbedder(folder, label, sha)


# Texts the ONNX export is checked on: English, German, a single word, and one longer than
# the model reads (256 tokens), so truncation is compared too.
CHECK_SENTENCES = [
    "How do I run a one-to-one with a new volunteer?",
    "Tenants in one building pledge to withhold rent together.",
    "Wie erstelle ich eine Machtanalyse?",
    "ok",
    "A long question about rent strikes and tenant unions. " * 40,
]
MAX_EXPORT_DIFFERENCE = 1e-4


def export_onnx(settings: RetrievalSettings) -> tuple[float, float]:
    """Export the configured model to ONNX, then compare it with sentence-transformers.

    Returns (seconds the export took, largest difference between the two runtimes' vectors);
    an export that differs by more than MAX_EXPORT_DIFFERENCE is refused with ModelError.
    """
    try:
        folder, name, sha = model_source(settings.model)
        out = export_folder(settings.var_dir, name, sha)
        started = time.perf_counter()
        export(folder, out, sha)
        seconds = time.perf_counter() - started
        fast = OnnxEmbedder(folder, out, name, sha).embed(CHECK_SENTENCES)
    except ExportError as exc:
        raise ModelError(str(exc)) from None
    slow = SentenceTransformerEmbedder(folder, name, sha).embed(CHECK_SENTENCES)
    difference = float(np.abs(fast - slow).max())
    if difference > MAX_EXPORT_DIFFERENCE:
        raise ModelError(
            f"the ONNX export differs from sentence-transformers by {difference:.2g}; not used"
        )
    return seconds, difference
