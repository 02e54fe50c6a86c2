"""Answers and pages as Discord embed dicts and button specs: pure functions, limits kept.

Nothing here sends anything; the cogs turn these values into `discord.Embed` and views.
"""

from .answer import answer_buttons, answer_embed
from .card import card_buttons, choices, page_buttons, page_card, page_url, unknown_page_text
from .components import ButtonSpec
from .limits import CONTENT, clip, echo, embed_length, fit_embed

__all__ = [
    "CONTENT",
    "ButtonSpec",
    "answer_buttons",
    "answer_embed",
    "card_buttons",
    "choices",
    "clip",
    "echo",
    "embed_length",
    "fit_embed",
    "page_buttons",
    "page_card",
    "page_url",
    "unknown_page_text",
]
