"""What reaches the question log from a question."""

from __future__ import annotations

from bot.answering import without_mentions


def test_mentions_never_reach_the_log_as_raw_ids() -> None:
    text = without_mentions("what do I tell <@123456789012345678> and <@!42> in <#7> about <@&9>?")
    assert text == "what do I tell @user and @user in #channel about @role?"
    assert not any(char.isdigit() for char in text)
