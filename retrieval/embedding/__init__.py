"""Encoders that turn text into vectors, behind one small interface (`base.Embedder`).

One module per backend: `sentence_transformer` (torch), `onnx_runtime` (the same weights,
exported for a fast start) and `universal` (the multilingual USE v3, numpy only). An index is
built with one encoder per role: `english` (the `[model]` setting) and, unless turned off,
`multilingual`. `load_encoders` picks them from the settings; other backends (the test
suite's fake, say) are added with `register`, the same way the real ones are.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.embedding import universal
from retrieval.embedding.base import Embedder, ModelError
from retrieval.embedding.model_files import model_source
from retrieval.embedding.onnx_runtime import (
    ExportError,
    ExportMissing,
    OnnxEmbedder,
    export,
    export_folder,
)
from retrieval.embedding.sentence_transformer import SentenceTransformerEmbedder
from retrieval.settings import BUNDLED_MULTILINGUAL, ModelSettings, RetrievalSettings

__all__ = [
    "ENGLISH",
    "MULTILINGUAL",
    "Embedder",
    "Encoders",
    "ModelError",
    "export_models",
    "load_embedder",
    "load_encoders",
    "register",
]

ENGLISH = "english"
MULTILINGUAL = "multilingual"

Loader = Callable[[ModelSettings, Path], Embedder]
log = logging.getLogger(__name__)
_REGISTERED: dict[str, Loader] = {}


@dataclass(frozen=True)
class Encoders:
    """The encoders an index is built and searched with, by role."""

    english: Embedder
    multilingual: Embedder | None = None

    def roles(self) -> Iterator[tuple[str, Embedder]]:
        yield ENGLISH, self.english
        if self.multilingual is not None:
            yield MULTILINGUAL, self.multilingual

    def embed_each(self, texts: dict[str, list[str]]) -> dict[str, np.ndarray]:
        """The texts of each role (a key of `texts`) encoded by that role's encoder.

        One after the other, the multilingual one first: onnxruntime's threads keep spinning
        for a moment after MiniLM's call, which slows numpy work started then. On a busy
        two-core machine this gave a warm `ask` p50 / p95 of 13.1 / 15.7 ms against
        14.6 / 20.8 with USE on a thread beside a non-spinning MiniLM; on a quiet one it
        costs ~1 ms (docs/models.md has the figures).
        """
        vectors = {}
        if self.multilingual is not None and MULTILINGUAL in texts:
            vectors[MULTILINGUAL] = self.multilingual.embed(texts[MULTILINGUAL])
        if ENGLISH in texts:
            vectors[ENGLISH] = self.english.embed(texts[ENGLISH])
        return vectors

    @classmethod
    def of(cls, encoders: Encoders | Embedder) -> Encoders:
        """`encoders` as they are, or one encoder as the English role alone."""
        return encoders if isinstance(encoders, Encoders) else cls(encoders)


def register(name: str, loader: Loader) -> None:
    """Make `name = "<name>"` (or `"<name>-<anything>"`) in a model setting load with
    `loader`, which gets that setting and the `var/` folder."""
    _REGISTERED[name] = loader


def load_encoders(settings: RetrievalSettings) -> Encoders:
    """The English encoder and, unless `[multilingual] name` is empty, the multilingual one."""
    multilingual = settings.multilingual
    if not multilingual.name:
        return Encoders(load_embedder(settings.model, settings.var_dir))
    # Both loads mostly read files and build sessions outside the GIL: side by side they
    # take ~0.3 s less of a cold start on two cores than one after the other.
    with ThreadPoolExecutor(max_workers=2) as pool:
        second = pool.submit(load_embedder, multilingual, settings.var_dir)
        english = load_embedder(settings.model, settings.var_dir)
        return Encoders(english, second.result())


def load_embedder(model: ModelSettings, var_dir: Path) -> Embedder:
    """The encoder one model setting names, on the fastest runtime available for it.

    With `runtime = "auto"` a sentence-transformers model runs on its ONNX export when one
    exists (`orgbot model export`), on sentence-transformers otherwise.
    """
    name = model.name
    for prefix, loader in _REGISTERED.items():
        if name == prefix or name.startswith(prefix + "-"):
            return loader(model, var_dir)
    if name == BUNDLED_MULTILINGUAL:
        return universal.UniversalEncoder(var_dir, sha256=model.sha256, threads=model.threads)
    folder, label, sha = model_source(model)
    if model.runtime != "torch":
        try:
            return OnnxEmbedder(folder, export_folder(var_dir, label, sha), label, sha)
        except ExportError as exc:
            if model.runtime == "onnx":
                again = "" if isinstance(exc, ExportMissing) else "; run `orgbot model export`"
                raise ModelError(f"{exc}{again}") from None
            if not isinstance(exc, ExportMissing):
                # Still answering matters more than starting fast; but say why it is slow.
                log.warning(
                    "%s; encoding with sentence-transformers instead, which starts slower. "
                    "Run `orgbot model export` to make a new one",
                    exc,
                )
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


def export_models(settings: RetrievalSettings) -> list[tuple[str, float, float]]:
    """Fast-start copies of the configured encoders under `var/models/`.

    A sentence-transformers model is exported to ONNX and compared with sentence-transformers
    (refused with ModelError if they differ by more than MAX_EXPORT_DIFFERENCE); the
    multilingual encoder's weights are written uncompressed and compared with the packaged
    ones. Returns (encoder, seconds, largest difference) for each.
    """
    done = []
    for model in (settings.model, settings.multilingual):
        if not model.name or any(
            model.name == p or model.name.startswith(p + "-") for p in _REGISTERED
        ):
            continue
        started = time.perf_counter()
        if model.name == BUNDLED_MULTILINGUAL:
            written = universal.export(settings.var_dir, model.sha256)
            seconds = time.perf_counter() - started
            fast = load_embedder(model, settings.var_dir)
            slow: Embedder = universal.UniversalEncoder(None, sha256=model.sha256)
        else:
            try:
                folder, name, sha = model_source(model)
                out = export_folder(settings.var_dir, name, sha)
                written = export(folder, out, sha)
                seconds = time.perf_counter() - started
                fast = OnnxEmbedder(folder, out, name, sha)
            except ExportError as exc:
                raise ModelError(str(exc)) from None
            slow = SentenceTransformerEmbedder(folder, name, sha)
        difference = float(np.abs(fast.embed(CHECK_SENTENCES) - slow.embed(CHECK_SENTENCES)).max())
        if difference > MAX_EXPORT_DIFFERENCE:
            written.unlink()  # an export that does not match must never be picked up
            raise ModelError(
                f"the fast-start copy of {fast.name} differs from the original by "
                f"{difference:.2g}; it was removed and the original will be used"
            )
        done.append((fast.name, seconds, difference))
    return done
