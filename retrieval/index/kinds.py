"""What kind of section each passage comes from: the steps, the risks, the examples…

A section's kind is decided once, at build time, by the encoder's similarity between its
heading and short English names of each kind, so a heading in any language is understood.
A translation's heading may be worded freely ("So setzt ihr es ein"), so its kind also
weighs the section of the original its text is closest to. Search uses the kinds to put the
section a question asks for first (`retrieval.search.sections`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from retrieval.embedding import Embedder

# What a section of each kind is called (English; the encoder matches other languages).
HEADINGS: dict[str, tuple[str, ...]] = {
    "definition": ("Summary", "Overview", "What it is", "Ideas"),
    # Its own kind, which no question asks for by name: "what is X?" should get the summary
    # or lead, not the workings (section P@1 on the 86 labelled questions of
    # tests/eval/calibration.jsonl: French 0.76 -> 0.82 with this kind alone; with
    # INTENT_WEIGHT 2.5 as well, German 0.69 -> 0.81; English 0.87 either way).
    "mechanism": ("How it works", "Why it works"),
    "how-to": ("How to use it", "How to do it", "Steps", "Tactics used"),
    "risks": ("Potential risks", "Risks", "Caveats", "Pitfalls"),
    "when": ("Use it for", "When to use it", "What it is good for"),
    "examples": ("Examples", "Worked examples", "Case studies"),
    "sources": ("Sources & verification", "Key works", "Where to read more"),
    "history": ("Background", "What happened", "Outcome", "Lessons"),
    "open": ("Open questions",),
}
LEAD_HEADINGS = ("Summary", "Overview")  # the sections the splitter makes itself


def heading_scores(encoder: Embedder, headings: Sequence[str]) -> list[dict[str, float]]:
    """For each heading, its similarity to the closest description of each kind."""
    if not headings:
        return []
    names = [(kind, name) for kind, group in HEADINGS.items() for name in group]
    known = encoder.embed([name for _, name in names])
    distinct = sorted(set(headings))  # a wiki repeats a handful of headings many times
    by_heading = {}
    for heading, row in zip(distinct, encoder.embed(distinct) @ known.T, strict=True):
        best: dict[str, float] = {}
        for (kind, _), sim in zip(names, row, strict=True):
            best[kind] = max(best.get(kind, -1.0), float(sim))
        by_heading[heading] = best
    return [by_heading[heading] for heading in headings]


def section_kinds(
    passages: Sequence[tuple[str, str, str | None]], vectors: np.ndarray, encoder: Embedder
) -> list[str]:
    """The kind of each passage, given (slug, heading, slug of the original or None) and its
    vector from `encoder`.

    An original's section is known by its heading. A translation's heading may be worded
    freely, so its kind also weighs the original section its text is closest to.
    """
    scores = heading_scores(encoder, [heading for _, heading, _ in passages])
    kinds = [
        "definition" if heading in LEAD_HEADINGS else max(s, key=s.__getitem__)
        for (_, heading, _), s in zip(passages, scores, strict=True)
    ]
    by_slug: dict[str, list[int]] = {}
    for index, (slug, _, _) in enumerate(passages):
        by_slug.setdefault(slug, []).append(index)
    for index, (_, heading, original) in enumerate(passages):
        if original is None or heading in LEAD_HEADINGS:
            continue
        own = by_slug.get(original, [])
        closest: dict[str, float] = {}
        for other, sim in zip(own, vectors[own] @ vectors[index], strict=True):
            kind = kinds[other]
            closest[kind] = max(closest.get(kind, 0.0), float(sim))
        total = {kind: scores[index][kind] + closest.get(kind, 0.0) for kind in HEADINGS}
        kinds[index] = max(total, key=total.__getitem__)
    return kinds
