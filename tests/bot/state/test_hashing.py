"""Keyed hashes of user ids: where the key comes from, and that it is whole and private."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot.settings import BotSettings, DiscordSettings
from bot.state import HashKeyError, load_hash_key


def test_hash_key_is_generated_once_with_private_permissions(tmp_path: Path, caplog) -> None:
    settings = BotSettings(var_dir=tmp_path)
    first = load_hash_key(settings)
    key_file = tmp_path / "hash.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert load_hash_key(settings) == first
    assert "generated one" in caplog.text


def test_hash_key_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("secret\n")
    settings = BotSettings(var_dir=tmp_path, discord=DiscordSettings(hash_key_file=key_file))
    assert load_hash_key(settings) == b"secret"
    assert not (tmp_path / "hash.key").exists()


def test_empty_hash_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(HashKeyError, match="empty"):
        load_hash_key(BotSettings(var_dir=tmp_path, hash_key=" "))  # type: ignore[arg-type]
    empty = tmp_path / "key"
    empty.write_text("\n")
    with pytest.raises(HashKeyError, match="empty"):
        load_hash_key(BotSettings(var_dir=tmp_path, discord=DiscordSettings(hash_key_file=empty)))
    (tmp_path / "hash.key").write_text("")
    with pytest.raises(HashKeyError, match="delete it"):
        load_hash_key(BotSettings(var_dir=tmp_path))


def test_generated_key_is_whole_private_and_stable(tmp_path: Path) -> None:
    first = load_hash_key(BotSettings(var_dir=tmp_path))
    assert len(first) == 64
    assert (tmp_path / "hash.key").stat().st_mode & 0o777 == 0o600
    assert load_hash_key(BotSettings(var_dir=tmp_path)) == first
    assert [p.name for p in tmp_path.iterdir()] == ["hash.key"]  # no drafts left behind
