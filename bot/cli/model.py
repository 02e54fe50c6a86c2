"""`orgbot model export`: fast-start copies of the configured encoders."""

from __future__ import annotations

import typer

from retrieval import export_models

from .app import console, model_app, state
from .output import say


@model_app.command("export")
def export_command(ctx: typer.Context) -> None:
    """Write fast-start copies of the encoders under var/models/ so orgbot starts in a second.

    The English sentence-transformers model is exported to ONNX (needs torch, installed with
    orgbot, once; afterwards questions are encoded with onnxruntime); the multilingual
    encoder's weights are written uncompressed. Each copy is compared with the original and
    refused if their vectors differ. scripts/setup.sh runs this for you.

    Example: orgbot model export
    """
    for name, seconds, difference in export_models(state(ctx).settings.retrieval):
        say(console, ("exported", "green"), f" {name} in {seconds:.1f} s; its vectors match the "
            f"original's (largest difference {difference:.1e})")  # fmt: skip
