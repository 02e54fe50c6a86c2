"""orgbot's settings, read once in `main()` and passed down: retrieval's and the bot's own.

Defaults live in `config/orgbot.toml`; `ORGBOT_*` environment variables override them
(nested keys with `__`, e.g. `ORGBOT_ANSWER__THRESHOLD=0.4`). The file keeps one flat layout
for the operator; `load_settings` splits it by who reads it: `RetrievalSettings` (content,
index, model, answer) and `BotSettings` (Discord, state, hashing, retention). Relative paths
resolve against the config file's folder, or against the working directory when no file is
used, never against the installed package, so an installed orgbot works anywhere.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from retrieval import (
    AnswerSettings,
    IndexSettings,
    ModelSettings,
    OrgbotError,
    RetrievalSettings,
)

# Looked for in the working directory when neither --config nor ORGBOT_CONFIG names a file.
DEFAULT_CONFIG = Path("config") / "orgbot.toml"


class ConfigError(OrgbotError):
    """Settings that cannot be used; the message says which and how to fix them."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DiscordSettings(_Section):
    token_file: Path | None = None
    cooldown_seconds: float = Field(default=5.0, ge=0)
    cooldown_burst: int = Field(default=3, ge=1)
    public_by_default: bool = False
    thread_mode: bool = True
    hash_key_file: Path | None = None
    # Where discord.py sends requests: Discord itself unless a Discord API proxy (or a test
    # server) is named, e.g. "http://127.0.0.1:8080/api/v10".
    api_base: str = ""
    gateway_url: str = ""


class StateSettings(_Section):
    # "" = the SQLite file var/orgbot.sqlite3 (one machine); postgresql://user@host/db for
    # shard processes on several hosts. A password belongs in ORGBOT_STATE__URL or url_file.
    url: SecretStr = SecretStr("")
    url_file: Path | None = None
    pool_size: int = Field(default=10, ge=1, le=100)


class BotSettings(_Section):
    """What only the bot reads: Discord, its state database, user hashing and retention."""

    var_dir: Path = Path("var")
    retention_days: int = Field(default=90, ge=1)
    discord: DiscordSettings = DiscordSettings()
    state: StateSettings = StateSettings()
    hash_key: SecretStr | None = None

    @property
    def state_db(self) -> Path:
        return self.var_dir / "orgbot.sqlite3"

    def state_url(self) -> str:
        """The state database's URL, from `[state] url` or the file `url_file` names."""
        if self.state.url_file is not None:
            try:
                return self.state.url_file.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(
                    f"cannot read the state URL file {self.state.url_file}: {exc}"
                ) from None
        return self.state.url.get_secret_value().strip()


class Settings(_Section):
    """Everything orgbot reads, composed of the two layers' own settings."""

    retrieval: RetrievalSettings = RetrievalSettings()
    bot: BotSettings = BotSettings()


class _FileLayout(BaseSettings):
    """The operator's view: `config/orgbot.toml` and `ORGBOT_*`, one flat set of keys."""

    model_config = SettingsConfigDict(
        env_prefix="ORGBOT_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    content_dir: Path = Path("content")
    var_dir: Path = Path("var")
    base_url: str | None = None
    model: ModelSettings = ModelSettings()
    multilingual: ModelSettings = RetrievalSettings().multilingual
    answer: AnswerSettings = AnswerSettings()
    index: IndexSettings = IndexSettings()
    retention_days: int = Field(default=90, ge=1)
    discord: DiscordSettings = DiscordSettings()
    state: StateSettings = StateSettings()
    hash_key: SecretStr | None = None

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

    def split(self) -> Settings:
        """The two layers' settings; paths still relative (from the environment or the
        defaults) resolve against the working directory."""
        cwd = Path.cwd()
        var_dir = _absolute(self.var_dir, cwd)
        discord = self.discord.model_copy(
            update={
                key: _absolute(path, cwd)
                for key in _DISCORD_PATHS
                if (path := getattr(self.discord, key)) is not None
            }
        )
        retrieval = RetrievalSettings(
            content_dir=_absolute(self.content_dir, cwd), var_dir=var_dir,
            base_url=self.base_url, model=self.model, multilingual=self.multilingual,
            answer=self.answer, index=self.index,
        )  # fmt: skip
        state = self.state
        if state.url_file is not None:
            state = state.model_copy(update={"url_file": _absolute(state.url_file, cwd)})
        bot = BotSettings(
            var_dir=var_dir, retention_days=self.retention_days, discord=discord, state=state,
            hash_key=self.hash_key,
        )  # fmt: skip
        return Settings(retrieval=retrieval, bot=bot)


_PATHS = ("content_dir", "var_dir")
_DISCORD_PATHS = ("token_file", "hash_key_file")


def _absolute(path: Path, base: Path) -> Path:
    return (base / path.expanduser()).resolve()


def _resolve_file_paths(values: dict[str, Any], base: Path) -> None:
    """Relative paths written in the TOML file mean: relative to the file's folder."""
    for key in _PATHS:
        if isinstance(values.get(key), str):
            values[key] = _absolute(Path(values[key]), base)
    for section, keys in (("discord", _DISCORD_PATHS), ("state", ("url_file",))):
        table = values.get(section)
        if isinstance(table, dict):
            for key in keys:
                if isinstance(table.get(key), str) and table[key]:
                    table[key] = _absolute(Path(table[key]), base)


def load_settings(config_file: Path | None = None) -> Settings:
    """Settings from a TOML file and the environment.

    The file is `config_file`, else `$ORGBOT_CONFIG`, else `config/orgbot.toml` in the
    working directory if there is one; without any, the defaults apply.
    """
    chosen = config_file or (
        Path(os.environ["ORGBOT_CONFIG"]) if "ORGBOT_CONFIG" in os.environ else None
    )
    path = chosen or DEFAULT_CONFIG
    values: dict[str, Any] = {}
    if path.is_file():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        _resolve_file_paths(values, path.resolve().parent)
    elif chosen is not None:
        raise ConfigError(f"{path}: config file not found")
    try:
        return _FileLayout(**values).split()
    except ValidationError as exc:
        lines = [f"  {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        where = f"{path} and ORGBOT_* variables"
        raise ConfigError(f"invalid settings ({where}):\n" + "\n".join(lines)) from None
    except SettingsError as exc:  # an ORGBOT_* variable that does not parse
        raise ConfigError(f"environment: {exc}; check the ORGBOT_* variables") from None
