"""A fast start for the same model: its encoder exported once to ONNX, run with onnxruntime.

Importing torch, transformers and sentence-transformers costs ~4.5 s before the first
question can be encoded; onnxruntime and tokenizers load in ~0.3 s. The export is made from
the very weights the manifest names (their sha256 is recorded beside it and checked), and
the test suite checks that both runtimes give the same vectors, so builds made with either
are interchangeable.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.errors import OrgbotError, first_line

EXPORT_INFO = "export.json"
OPSET = 17


class ExportError(OrgbotError):
    """The model cannot be exported or the export cannot be used; the message says why."""


class ExportMissing(ExportError):
    """There is no export yet: the slower runtime is the expected one, nothing is wrong."""


def export_folder(var_dir: Path, name: str, sha256: str) -> Path:
    return var_dir / "models" / f"{name}-{sha256[:12]}"


def _model_facts(folder: Path) -> dict[str, Any]:
    """Sequence length and pooling from the sentence-transformers config files."""
    pooling_file = folder / "1_Pooling" / "config.json"
    pooling = json.loads(pooling_file.read_text()) if pooling_file.exists() else {}
    if not pooling.get("pooling_mode_mean_tokens", False):
        raise ExportError(f"{folder}: only mean-pooling models can run on onnxruntime")
    config_file = folder / "sentence_bert_config.json"
    config = json.loads(config_file.read_text()) if config_file.exists() else {}
    return {"max_seq_length": int(config.get("max_seq_length", 256))}


def export(model_folder: Path, out: Path, sha256: str) -> Path:
    """Write `out/model.onnx` and `out/export.json` from a sentence-transformers folder."""
    facts = _model_facts(model_folder)
    import torch
    from transformers import AutoModel

    started = time.perf_counter()
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    encoder = AutoModel.from_pretrained(str(model_folder), local_files_only=True).eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]}
    sample = torch.ones((1, 4), dtype=torch.long)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "model.onnx.tmp"
    # The tracer warns about shape checks it freezes; the export is verified against
    # sentence-transformers on texts of several lengths instead.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            LastHiddenState(), (sample, sample, torch.zeros_like(sample)), str(tmp),
            input_names=names, output_names=["last_hidden_state"], dynamic_axes=axes,
            opset_version=OPSET, dynamo=False,
        )  # fmt: skip
    tmp.replace(out / "model.onnx")
    info = {
        "source_sha256": sha256, "seconds": round(time.perf_counter() - started, 1),
        "onnx_bytes": (out / "model.onnx").stat().st_size, **facts,
    }  # fmt: skip
    (out / EXPORT_INFO).write_text(json.dumps(info, indent=2) + "\n")
    return out / "model.onnx"


class OnnxEmbedder:
    """Mean-pooled, normalised sentence vectors from an exported encoder."""

    def __init__(self, model_folder: Path, export_dir: Path, name: str, sha256: str) -> None:
        info = _export_info(export_dir, sha256)
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        # onnxruntime's idle threads spin for a moment after each call (the default): a
        # question's call takes 4.5 ms p50 instead of 6.0 with them asleep. Numpy work
        # started right after runs slower meanwhile, which is why `Encoders.embed_each`
        # runs the multilingual encoder first.
        try:
            self._tokenizer = Tokenizer.from_file(str(model_folder / "tokenizer.json"))
            self._tokenizer.enable_truncation(max_length=int(info["max_seq_length"]))
            self._tokenizer.no_padding()  # padded per batch below, after sorting by length
            self._session = onnxruntime.InferenceSession(
                str(export_dir / "model.onnx"), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime's and tokenizers' own error types
            reason = first_line(exc)
            raise ExportError(
                f"the ONNX export in {export_dir} cannot be loaded ({reason})"
            ) from None
        self.name = name
        self.weights_sha256 = sha256
        self.dimension = int(self.embed(["dimension probe"]).shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), getattr(self, "dimension", 0) or 1), dtype=np.float32)
        if not texts:
            return vectors
        # Batches of similar length waste little time on padding.
        encoded = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
        for rows in _batches(order, [len(encoded[i].ids) for i in order]):
            width = max(len(encoded[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            types = np.zeros_like(ids)
            for row, i in enumerate(rows):
                n = len(encoded[i].ids)
                ids[row, :n] = encoded[i].ids
                mask[row, :n] = 1
                types[row, :n] = encoded[i].type_ids
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            hidden = self._session.run(None, feed)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            if vectors.shape[1] != pooled.shape[1]:
                vectors = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            vectors[rows] = pooled
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: np.ndarray = vectors / np.where(norms == 0, 1.0, norms)
        return unit


def _export_info(export_dir: Path, sha256: str) -> dict[str, Any]:
    """The export's facts, checked: made from these weights, and its model.onnx whole."""
    info_file, model_file = export_dir / EXPORT_INFO, export_dir / "model.onnx"
    if not export_dir.exists():
        raise ExportMissing(f"no ONNX export in {export_dir}; run `orgbot model export`")
    try:
        info = json.loads(info_file.read_text(encoding="utf-8"))
        size = model_file.stat().st_size
        int(info["max_seq_length"])
    except (OSError, ValueError, TypeError, KeyError) as exc:
        reason = getattr(exc, "strerror", None) or f"{type(exc).__name__}: {exc}"
        raise ExportError(
            f"the ONNX export in {export_dir} is incomplete or damaged ({reason})"
        ) from None
    if info.get("source_sha256") != sha256:
        raise ExportError(f"the ONNX export in {export_dir} was made from other weights")
    # Exports made before the size was recorded are checked by onnxruntime alone.
    written = info.get("onnx_bytes")
    if isinstance(written, int) and written != size:
        raise ExportError(
            f"the ONNX export in {export_dir} is damaged (model.onnx has {size:,} bytes, "
            f"{written:,} were written)"
        )
    return info  # type: ignore[no-any-return]


def _batches(order: list[int], lengths: list[int], tokens: int = 1024) -> list[list[int]]:
    """Rows in length order, cut so a batch holds at most 32 texts or about `tokens` tokens.

    Attention memory grows with the square of the width, so long texts go in small batches:
    a full build of the starter wiki peaks at 363 MB with 1,024 tokens a batch, 856 MB with
    32 texts a batch, at the same speed.
    """
    batches: list[list[int]] = [[]]
    for i, length in zip(order, lengths, strict=True):
        batch = batches[-1]
        if batch and (len(batch) >= 32 or (len(batch) + 1) * length > tokens):
            batch = []
            batches.append(batch)
        batch.append(i)
    return [b for b in batches if b]
