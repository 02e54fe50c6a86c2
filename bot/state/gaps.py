"""Grouping logged questions into content gaps for `/kb gaps`: pure, so it is tested alone."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    """Questions that read the same once case and punctuation are ignored."""

    question: str
    asked: int
    unanswered: int
    downvotes: int
    variants: tuple[str, ...] = ()


def normalise_question(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def group_gaps(rows: Iterable[tuple[str, bool, int]], limit: int = 10) -> list[Gap]:
    """(question, answered, downvotes) rows → the groups that were unanswered or 👎 most."""
    asked: Counter[str] = Counter()
    unanswered: Counter[str] = Counter()
    down: Counter[str] = Counter()
    variants: dict[str, list[str]] = {}
    for question, answered, downvotes in rows:
        key = normalise_question(question)
        if not key:
            continue
        asked[key] += 1
        unanswered[key] += 0 if answered else 1
        down[key] += downvotes
        seen = variants.setdefault(key, [])
        if question not in seen and len(seen) < 3:
            seen.append(question)
    keys = [key for key in asked if unanswered[key] or down[key]]
    keys.sort(key=lambda k: (-(unanswered[k] + down[k]), -asked[k], k))
    return [
        Gap(variants[k][0], asked[k], unanswered[k], down[k], tuple(variants[k]))
        for k in keys[:limit]
    ]
