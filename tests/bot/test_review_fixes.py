"""Edge cases found in review, on the bot's side."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering import without_mentions
from bot.cogs.admin import _disallow_refusal
from bot.state import HashKeyError, load_hash_key
from retrieval.config import DiscordSettings, Settings


def test_mentions_never_reach_the_log_as_raw_ids() -> None:
    text = without_mentions("what do I tell <@123456789012345678> and <@!42> in <#7> about <@&9>?")
    assert text == "what do I tell @user and @user in #channel about @role?"
    assert not any(char.isdigit() for char in text)


def test_removing_channels_never_opens_the_bot_to_all() -> None:
    assert "only allowed channel" in (_disallow_refusal([5], 5) or "")
    assert "every channel" in (_disallow_refusal([], 5) or "")
    assert "not on the allowed list" in (_disallow_refusal([5, 6], 7) or "")
    assert _disallow_refusal([5, 6], 5) is None


def test_empty_hash_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(HashKeyError, match="empty"):
        load_hash_key(Settings(var_dir=tmp_path, hash_key=" "))  # type: ignore[arg-type]
    empty = tmp_path / "key"
    empty.write_text("\n")
    with pytest.raises(HashKeyError, match="empty"):
        load_hash_key(Settings(var_dir=tmp_path, discord=DiscordSettings(hash_key_file=empty)))
    (tmp_path / "hash.key").write_text("")
    with pytest.raises(HashKeyError, match="delete it"):
        load_hash_key(Settings(var_dir=tmp_path))


def test_generated_key_is_whole_private_and_stable(tmp_path: Path) -> None:
    first = load_hash_key(Settings(var_dir=tmp_path))
    assert len(first) == 64
    assert (tmp_path / "hash.key").stat().st_mode & 0o777 == 0o600
    assert load_hash_key(Settings(var_dir=tmp_path)) == first
    assert [p.name for p in tmp_path.iterdir()] == ["hash.key"]  # no drafts left behind
