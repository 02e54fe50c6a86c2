"""The ranking CV changes the constant it is told to, and compares runs question by question."""

from __future__ import annotations

import pytest

from bench.ranking_cv import compare, set_constant
from retrieval.search import precedents, ranking


def test_a_constant_is_set_in_the_module_that_has_it_in_its_own_type(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ranking, "PAGE_SUPPORT", ranking.PAGE_SUPPORT)
    monkeypatch.setattr(precedents, "VOTERS", precedents.VOTERS)

    set_constant("PAGE_SUPPORT=0.75")
    set_constant("VOTERS=7")

    assert ranking.PAGE_SUPPORT == 0.75
    assert precedents.VOTERS == 7 and isinstance(precedents.VOTERS, int)


def test_an_unknown_or_structured_constant_is_refused_with_a_reason() -> None:
    with pytest.raises(SystemExit, match=r"no retrieval\.search module has a constant NOPE"):
        set_constant("NOPE=1")
    with pytest.raises(SystemExit, match="QUESTIONS is not a number or a string"):
        set_constant("QUESTIONS=1")


def test_runs_are_compared_question_by_question_even_where_ids_repeat(
    capsys: pytest.CaptureFixture[str],
) -> None:
    row = {"id": "q1", "lang": "de", "answerable": True}
    mine = [row | {"n": 0, "rank": 0, "section": True}, row | {"n": 1, "rank": 2}]
    theirs = [row | {"n": 0, "rank": 1, "section": False}, row | {"n": 1, "rank": 0}]

    compare(mine, theirs)

    out = capsys.readouterr().out
    assert "page first de: +1 -1" in out
    assert "section first de: +1 -0" in out
    assert "page first en: +0 -0" in out
