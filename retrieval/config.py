"""One typed settings object, built once in `main()` and passed down.

Defaults live in `config/orgbot.toml`; `ORGBOT_*` environment variables override them
(nested keys with `__`, e.g. `ORGBOT_ANSWER__THRESHOLD=0.4`). Relative paths in the TOML
file are resolved against the file's folder, so the bot runs the same from any directory.
Nothing here runs at import time.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "orgbot.toml"
BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"
BUNDLED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class ConfigError(Exception):
    """Settings that cannot be used; the message says which and how to fix them."""


class _Section(BaseModel):
    # A misspelt key (`tresh = 0.4`) must fail loudly, not be ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelSettings(_Section):
    name: str = BUNDLED_MODEL
    # sha256 of model.safetensors, checked on load. Empty means: the published hash for the
    # bundled model, no check for a model folder of your own.
    sha256: str = ""
    # "auto": the ONNX export of the model when there is one (fast start), else torch.
    runtime: Literal["auto", "onnx", "torch"] = "auto"


class AnswerSettings(_Section):
    max_citations: int = Field(default=3, ge=1, le=10)
    # Cosine similarity the closest passage of the best page must reach to count as an answer.
    threshold: float = Field(default=0.35, ge=0, le=1, allow_inf_nan=False)
    see_also_threshold: float = Field(default=0.25, ge=0, le=1, allow_inf_nan=False)
    include_stubs: bool = False
    snippet_sentences: int = Field(default=3, ge=1, le=5)
    # Above this many passages the dense index becomes approximate (inverted file).
    exact_search_limit: int = Field(default=50_000, ge=1)


class DiscordSettings(_Section):
    token_file: Path | None = None
    cooldown_seconds: float = Field(default=5.0, ge=0)
    cooldown_burst: int = Field(default=3, ge=1)
    public_by_default: bool = False
    thread_mode: bool = True
    hash_key_file: Path | None = None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ORGBOT_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    content_dir: Path = PROJECT_ROOT / "content"
    var_dir: Path = PROJECT_ROOT / "var"
    base_url: str | None = None
    retention_days: int = Field(default=90, ge=1)
    model: ModelSettings = ModelSettings()
    answer: AnswerSettings = AnswerSettings()
    discord: DiscordSettings = DiscordSettings()
    hash_key: SecretStr | None = None

    @property
    def index_dir(self) -> Path:
        return self.var_dir / "index"

    @property
    def state_db(self) -> Path:
        return self.var_dir / "orgbot.sqlite3"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment beats the TOML file, which arrives as init values.
        return env_settings, init_settings


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Settings from a TOML file (default `config/orgbot.toml`) and the environment."""
    chosen = config_file or (
        Path(os.environ["ORGBOT_CONFIG"]) if "ORGBOT_CONFIG" in os.environ else None
    )
    path = chosen or DEFAULT_CONFIG
    values: dict[str, Any] = {}
    if path.exists():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        _resolve_paths(values, path.parent)
    elif chosen is not None:
        raise ConfigError(f"{path}: config file not found")
    values.update(overrides)
    try:
        return Settings(**values)
    except ValidationError as exc:
        lines = [f"  {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        where = f"{path} and ORGBOT_* variables"
        raise ConfigError(f"invalid settings ({where}):\n" + "\n".join(lines)) from None
    except SettingsError as exc:  # an ORGBOT_* variable that does not parse
        raise ConfigError(f"environment: {exc}; check the ORGBOT_* variables") from None


def _resolve_paths(values: dict[str, Any], base: Path) -> None:
    for key in ("content_dir", "var_dir"):
        if isinstance(values.get(key), str):
            values[key] = (base / values[key]).resolve()
    discord = values.get("discord")
    if isinstance(discord, dict):
        for key in ("token_file", "hash_key_file"):
            if isinstance(discord.get(key), str) and discord[key]:
                discord[key] = (base / discord[key]).resolve()
