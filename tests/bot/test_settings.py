"""Settings from the TOML file and ORGBOT_*: bad values are named, paths resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings


def test_config_from_environment_must_exist(monkeypatch) -> None:
    monkeypatch.setenv("ORGBOT_CONFIG", "/no/such/orgbot.toml")
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("ORGBOT_ANSWER__TRESHOLD", "0.4", "answer.treshold"),
        ("ORGBOT_ANSWER__THRESHOLD", "nan", "finite"),
        ("ORGBOT_ANSWER__THRESHOLD", "1.5", "less than or equal to 1"),
        ("ORGBOT_ANSWER", "{bad", "ORGBOT_"),
    ],
)
def test_bad_settings_are_named(monkeypatch, variable, value, message) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_toml_paths_of_the_wrong_type_are_settings_errors(tmp_path: Path) -> None:
    config = tmp_path / "orgbot.toml"
    config.write_text("content_dir = 5\n")
    with pytest.raises(ConfigError, match="content_dir"):
        load_settings(config)


def test_paths_resolve_against_the_config_file_or_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "deploy" / "config"
    folder.mkdir(parents=True)
    config = folder / "orgbot.toml"
    config.write_text('content_dir = "../wiki"\n[discord]\ntoken_file = "token"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("ORGBOT_VAR_DIR", "state")

    settings = load_settings(config)

    assert settings.retrieval.content_dir == tmp_path / "deploy" / "wiki"
    assert settings.bot.discord.token_file == folder / "token"
    # From the environment, and with no file at all: the working directory, never the package.
    assert settings.retrieval.var_dir == settings.bot.var_dir == elsewhere / "state"
    monkeypatch.delenv("ORGBOT_VAR_DIR")
    bare = load_settings()
    assert bare.retrieval.content_dir == elsewhere / "content"
    assert bare.bot.state_db == elsewhere / "var" / "orgbot.sqlite3"


def test_one_file_layout_is_split_by_who_reads_it(tmp_path: Path) -> None:
    config = tmp_path / "orgbot.toml"
    config.write_text(
        "retention_days = 30\n[answer]\nthreshold = 0.4\n[discord]\ncooldown_burst = 7\n"
        "[index]\nexact_search_limit = 1000\n"
    )

    settings = load_settings(config)

    assert settings.retrieval.answer.threshold == 0.4
    assert settings.retrieval.index.exact_search_limit == 1000
    assert settings.bot.retention_days == 30
    assert settings.bot.discord.cooldown_burst == 7
    assert not hasattr(settings.retrieval, "discord") and not hasattr(settings.bot, "answer")
