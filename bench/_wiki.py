"""A synthetic wiki of valid pages, for benchmarks that need far more pages than `content/`.

Titles and aliases are long and share many words, as a big real wiki's do ("Rent strike
committees in …"), so fuzzy name matching has to score every page and cannot stop early.
"""

from __future__ import annotations

import random
from pathlib import Path

# kind → (folder, share of the pages)
KINDS = {
    "method": ("", 0.55),
    "case-study": ("case-studies/", 0.25),
    "source": ("sources/", 0.12),
    "thinker": ("thinkers/", 0.08),
}
SUBJECTS = (
    "tenant", "workplace", "neighbourhood", "student", "renter", "care worker", "delivery rider",
    "warehouse", "school parent", "migrant", "climate", "transit rider", "library", "nurse",
    "cleaner", "dock worker", "farmworker", "teacher", "housing co-op", "pensioner",
)  # fmt: skip
ACTIONS = (
    "one-to-one conversations", "power mapping sessions", "house meetings", "rent pledges",
    "strike committees", "petition drives", "phone banking", "door knocking rounds",
    "leadership development", "escalation ladders", "public hearings", "solidarity funds",
    "boycott campaigns", "workplace surveys", "mutual aid networks", "coalition building",
)  # fmt: skip
QUALIFIERS = (
    "for first-time organisers", "under hostile management", "across several languages",
    "in a small town", "with volunteers only", "during an eviction wave", "over one winter",
    "without a formal union", "in a multi-building estate", "after a failed campaign",
    "with a shrinking budget", "in partnership with faith groups", "at regional scale",
)  # fmt: skip
PLACES = ("Example City", "Harbourtown", "Millbrook", "Eastfield", "Riverside", "Northgate")
FIRST_NAMES = ("Ada", "Bola", "Chen", "Dario", "Esi", "Farah", "Goran", "Hana", "Ines", "Jonas")
LAST_NAMES = ("Okafor", "Lindqvist", "Moreau", "Tanaka", "Abara", "Kowalski", "Reyes", "Haddad")


def write_wiki(folder: Path, pages: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """Write `pages` pages under `folder`; returns each page's (slug, title, kind)."""
    rng = random.Random(seed)
    written: list[tuple[str, str, str]] = []
    source_slugs: list[str] = []
    for number in range(pages):
        kind = _pick_kind(number, pages)
        prefix = KINDS[kind][0]
        title = _title(rng, kind, number)
        slug = f"{prefix}{_slug(title)}"
        if kind == "source":
            source_slugs.append(slug.removeprefix("sources/"))
        front = _front_matter(rng, kind, title, written, source_slugs)
        path = folder / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front + _body(rng, title), encoding="utf-8")
        written.append((slug, title, kind))
    return written


def _pick_kind(number: int, pages: int) -> str:
    """Kinds in their shares, spread evenly through the numbering."""
    share = (number * 0.6180339887) % 1.0  # golden-ratio steps cover [0, 1) evenly
    for kind, (_, part) in KINDS.items():
        if share < part:
            return kind
        share -= part
    return "method"


def _title(rng: random.Random, kind: str, number: int) -> str:
    # The number keeps titles (and so slugs) unique without making them easy to tell apart.
    if kind == "thinker":
        return (
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} on {rng.choice(ACTIONS)} {number}"
        )
    subject, action, qualifier = rng.choice(SUBJECTS), rng.choice(ACTIONS), rng.choice(QUALIFIERS)
    if kind == "case-study":
        return f"The {rng.choice(PLACES)} {subject} campaign of {1950 + number % 70} ({number})"
    if kind == "source":
        return f"A handbook of {subject} {action} {qualifier} volume {number}"
    return f"{subject.capitalize()} {action} {qualifier} {number}"


def _slug(title: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in title.casefold()).split()
    return "-".join(words)[:90]


def _front_matter(
    rng: random.Random,
    kind: str,
    title: str,
    earlier: list[tuple[str, str, str]],
    sources: list[str],
) -> str:
    # Mostly distinct, as a real wiki's aliases are: 20 × 16 × 13 × 6 combinations.
    aliases = [
        f"{rng.choice(ACTIONS)} {rng.choice(QUALIFIERS)} for {rng.choice(SUBJECTS)}s in "
        f"{rng.choice(PLACES)}"
        for _ in range(3)
    ]
    related = [slug for slug, _, _ in rng.sample(earlier, min(3, len(earlier)))]
    lines = [
        "---",
        f"title: {title}",
        f"kind: {kind}",
        f"aliases: [{', '.join(aliases)}]",
        f"summary: How {title.casefold()} worked, and what organisers can take from it.",
        f"status: {rng.choice(('emerging', 'established'))}",
        f"tier: {rng.choice(('core', 'reference'))}",
        f"related: [{', '.join(related)}]",
    ]
    if kind != "source" and sources:
        cited = rng.choice(sources)
        lines += ["sources:", f"  - {{id: {cited}, grounding: secondary, note: a chapter}}"]
    if kind == "case-study":
        lines += [
            "country: Nowhere",
            f"region: {rng.choice(PLACES)}",
            "years: {start: 2001, end: 2003}",
            "outcome: The campaign won some of its demands.",
        ]
    return "\n".join([*lines, "---", ""])


def _body(rng: random.Random, title: str) -> str:
    action = rng.choice(ACTIONS)
    return (
        f"\n{title} in brief.\n\n## How it works\n\nOrganisers plan {action} with "
        f"{rng.choice(SUBJECTS)}s and follow up within a week.\n\n## Use it for\n\n"
        f"Building a committee that can act {rng.choice(QUALIFIERS)}.\n"
    )
