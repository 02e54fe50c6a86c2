"""Discord's size limits, and the helpers that keep every message inside them.

Every renderer ends with `fit_embed`, so no code path can send an embed Discord rejects,
however long a wiki section or a question is.
"""

from __future__ import annotations

from typing import Any

from discord.utils import escape_markdown, escape_mentions

CONTENT = 2000
EMBED_TOTAL = 6000
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
CUSTOM_ID = 100
BUTTON_LABEL = 80
BUTTONS_PER_ROW = 5
ROWS = 5
URL = 512
THREAD_NAME = 100
ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at a word boundary when one is near."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return text[:limit]
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    # A cut right after a backslash would escape our ellipsis instead of the original char.
    return cut.rstrip().rstrip("\\") + ELLIPSIS


def echo(text: str) -> str:
    """User text made safe to show back: no pings, no formatting it did not mean."""
    return escape_markdown(escape_mentions(text))


def embed_length(embed: dict[str, Any]) -> int:
    """What Discord counts towards the 6000-character total."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len(embed.get("footer", {}).get("text", ""))
    total += len(embed.get("author", {}).get("name", ""))
    for item in embed.get("fields", []):
        total += len(item["name"]) + len(item["value"])
    return total


def fit_embed(embed: dict[str, Any]) -> dict[str, Any]:
    """A copy of `embed` cut down to every per-part limit and to the total."""
    fitted = dict(embed)
    if "title" in fitted:
        fitted["title"] = clip(fitted["title"], TITLE)
    if "description" in fitted:
        fitted["description"] = clip(fitted["description"], DESCRIPTION)
    if "footer" in fitted:
        fitted["footer"] = {**fitted["footer"], "text": clip(fitted["footer"]["text"], FOOTER)}
    if "author" in fitted:
        fitted["author"] = {**fitted["author"], "name": clip(fitted["author"]["name"], AUTHOR)}
    if "url" in fitted and len(fitted["url"]) > URL:
        del fitted["url"]
    fitted["fields"] = [
        {**item, "name": clip(item["name"], FIELD_NAME) or "\u200b",
         "value": clip(item["value"], FIELD_VALUE) or "\u200b"}
        for item in embed.get("fields", [])[:FIELDS]
    ]  # fmt: skip
    # Over the total: shorten the longest part first, so every field keeps some text.
    while embed_length(fitted) > EMBED_TOTAL:
        excess = embed_length(fitted) - EMBED_TOTAL
        longest = max(fitted["fields"], key=lambda f: len(f["value"]), default=None)
        description = fitted.get("description", "")
        if longest is None or len(description) >= len(longest["value"]):
            fitted["description"] = clip(description, max(len(description) - excess, 1))
        else:
            longest["value"] = clip(longest["value"], max(len(longest["value"]) - excess, 1))
    if not fitted["fields"]:
        del fitted["fields"]
    return fitted
