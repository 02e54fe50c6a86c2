"""Discord's limits hold for any text: embeds fitted, text clipped at a word."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import clip, embed_length, fit_embed

text = st.text(min_size=0, max_size=9000)


@settings(max_examples=60, deadline=None)
@given(title=text, description=text, values=st.lists(text, max_size=40))
def test_fit_embed_keeps_every_limit(title: str, description: str, values: list[str]) -> None:
    embed = {
        "title": title,
        "description": description,
        "fields": [{"name": v[:300], "value": v} for v in values],
        "footer": {"text": description},
    }
    fitted = fit_embed(embed)
    assert len(fitted.get("title", "")) <= 256
    assert len(fitted.get("description", "")) <= 4096
    assert len(fitted.get("fields", [])) <= 25
    assert all(
        len(f["name"]) <= 256 and 0 < len(f["value"]) <= 1024 for f in fitted.get("fields", [])
    )
    assert embed_length(fitted) <= 6000


def test_clip_cuts_at_a_word_and_never_leaves_a_dangling_escape() -> None:
    assert clip("one two three four five", 16) == "one two three…"
    assert clip("a" * 9 + "\\" + "b" * 10, 11) == "a" * 9 + "…"
