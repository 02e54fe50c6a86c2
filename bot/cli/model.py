"""`orgbot model export`: an ONNX copy of the configured model for a fast start."""

from __future__ import annotations

import time

import numpy as np
import typer

from retrieval.config import Settings
from retrieval.embedder import ModelError, SentenceTransformerEmbedder, model_source
from retrieval.onnx_model import ExportError, OnnxEmbedder, export, export_folder

from .app import console, fail, model_app, state

CHECK_SENTENCES = [
    "How do I run a one-to-one with a new volunteer?",
    "Tenants in one building pledge to withhold rent together.",
    "Wie erstelle ich eine Machtanalyse?",
    "ok",
    # Longer than the model reads (256 tokens), so truncation is compared too.
    "A long question about rent strikes and tenant unions. " * 40,
]


def export_and_check(settings: Settings) -> tuple[float, float]:
    """Export, then compare with sentence-transformers; (seconds, largest difference)."""
    folder, name, sha = model_source(settings)
    out = export_folder(settings.var_dir, name, sha)
    started = time.perf_counter()
    export(folder, out, sha)
    seconds = time.perf_counter() - started
    fast = OnnxEmbedder(folder, out, name, sha).embed(CHECK_SENTENCES)
    slow = SentenceTransformerEmbedder(folder, name, sha).embed(CHECK_SENTENCES)
    return seconds, float(np.abs(fast - slow).max())


@model_app.command("export")
def export_command(ctx: typer.Context) -> None:
    """Export the configured model to ONNX under var/models/ so orgbot starts in under a second.

    Needs torch (installed with orgbot) once; afterwards questions are encoded with
    onnxruntime. The export is checked against sentence-transformers and refused if the
    vectors differ. scripts/setup.sh runs this for you.

    Example: orgbot model export
    """
    settings = state(ctx).settings
    try:
        seconds, difference = export_and_check(settings)
    except (ModelError, ExportError) as exc:
        fail(str(exc))
    if difference > 1e-4:
        fail(f"the ONNX export differs from sentence-transformers by {difference:.2g}; not used")
    console.print(
        f"[green]exported[/green] in {seconds:.1f} s; vectors match sentence-transformers "
        f"(largest difference {difference:.1e})"
    )
