"""Grouping logged questions into content gaps."""

from __future__ import annotations

from bot.state.gaps import group_gaps


def test_gaps_group_spellings_and_rank_by_trouble() -> None:
    rows = [
        ("How to strike?", False, 0),
        ("how to strike", False, 1),
        ("what is x", True, 0),
        ("what is y", True, 2),
        ("hi", True, 0),
    ]
    gaps = group_gaps(rows)
    assert [(g.question, g.asked, g.unanswered, g.downvotes) for g in gaps] == [
        ("How to strike?", 2, 2, 1),
        ("what is y", 1, 0, 2),
    ]
