"""Embeds for the admin commands: index status, content gaps and a guild's settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from retrieval import IndexStatus

from .limits import clip, echo, fit_embed

ADMIN_COLOUR = 0x6A1B9A


def age(built_at: str, now: dt.datetime) -> str:
    """'3 h ago' style age of an ISO timestamp; the raw text when it cannot be parsed."""
    try:
        then = dt.datetime.fromisoformat(built_at)
    except ValueError:
        return built_at
    if then.tzinfo is None:
        then = then.replace(tzinfo=dt.UTC)
    seconds = max(0, int((now - then).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return f"{seconds} s ago"


def status_embed(
    status: IndexStatus, now: dt.datetime, batches: Sequence[int] = ()
) -> dict[str, Any]:
    fields = [
        {"name": "Build", "value": f"`{status.build_id}`", "inline": True},
        {
            "name": "Built",
            "value": f"{status.built_at}\n({age(status.built_at, now)})",
            "inline": True,
        },
        {
            "name": "Model",
            "value": " + ".join(f"{name} ({dims} dims)" for name, dims in status.models),
            "inline": True,
        },
        {"name": "Pages", "value": str(status.pages), "inline": True},
        {"name": "Passages", "value": str(status.passages), "inline": True},
        {"name": "Size", "value": f"{status.size_bytes / 1e6:.1f} MB", "inline": True},
    ]
    if status.changed_pages:
        shown = ", ".join(f"`{slug}`" for slug in status.changed_pages[:20])
        more = len(status.changed_pages) - 20
        shown += f" and {more} more" if more > 0 else ""
        fields.append(
            {"name": "Changed since this build", "value": shown + "\nRebuild, then `/kb reload`."}
        )
    if status.problems:
        fields.insert(0, {"name": "⚠️ Problems", "value": "\n".join(status.problems)})
    if batches:
        fields.append({"name": "Recent batch sizes", "value": ", ".join(map(str, batches[-10:]))})
    return fit_embed(
        {"type": "rich", "title": "Knowledge base", "color": ADMIN_COLOUR, "fields": fields}
    )


def gaps_embed(gaps: Sequence[Any], days: int) -> dict[str, Any]:
    """The most frequent unanswered or 👎 questions, one line per group."""
    if not gaps:
        description = f"No unanswered or 👎 questions in the last {days} days."
    else:
        lines = [
            f"**{gap.unanswered + gap.downvotes}×** {clip(echo(gap.question), 200)}"
            f" — asked {gap.asked}, unanswered {gap.unanswered}, 👎 {gap.downvotes}"
            for gap in gaps
        ]
        description = "\n".join(lines)
    return fit_embed({
        "type": "rich", "title": f"Content gaps, last {days} days", "color": ADMIN_COLOUR,
        "description": description,
    })  # fmt: skip


def settings_embed(rows: Sequence[tuple[str, str]], changed: Sequence[str] = ()) -> dict[str, Any]:
    fields = [
        {"name": name + (" (changed)" if name in changed else ""), "value": value, "inline": True}
        for name, value in rows
    ]
    return fit_embed(
        {
            "type": "rich",
            "title": "Settings for this server",
            "color": ADMIN_COLOUR,
            "fields": fields,
        }
    )
