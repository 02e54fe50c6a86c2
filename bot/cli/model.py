"""`orgbot model export`: an ONNX copy of the configured model for a fast start."""

from __future__ import annotations

import typer

from retrieval import export_onnx

from .app import console, model_app, state


@model_app.command("export")
def export_command(ctx: typer.Context) -> None:
    """Export the configured model to ONNX under var/models/ so orgbot starts in under a second.

    Needs torch (installed with orgbot) once; afterwards questions are encoded with
    onnxruntime. The export is checked against sentence-transformers and refused if the
    vectors differ. scripts/setup.sh runs this for you.

    Example: orgbot model export
    """
    seconds, difference = export_onnx(state(ctx).settings.retrieval)
    console.print(
        f"[green]exported[/green] in {seconds:.1f} s; vectors match sentence-transformers "
        f"(largest difference {difference:.1e})"
    )
