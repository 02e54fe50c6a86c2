"""Which section of a page leads for a question."""

from __future__ import annotations

from retrieval.search.sections import SECTION_NUDGE, section_prior


def test_section_prior_nudges_steps_up_and_source_lists_down() -> None:
    how_to = section_prior("how do I run a house meeting?")
    assert how_to("how-to-use-it") == SECTION_NUDGE
    assert how_to("sources-verification") == -SECTION_NUDGE
    assert how_to("examples") == 0.0
    about_sources = section_prior("what sources back the 3.5% rule")
    assert about_sources("sources-verification") == 0.0
    assert about_sources("how-to-use-it") == 0.0
    assert (
        section_prior("wie erstelle ich eine Machtanalyse")("so-funktioniert-es") == SECTION_NUDGE
    )
