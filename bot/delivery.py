"""Each interaction handled once, and every button click answered.

Discord may deliver the same INTERACTION_CREATE twice (a resumed gateway session replays
events, and a shard handing over a guild can see one twice). Answering it twice fails the
second time ("already acknowledged") and would charge the asker's cooldown twice, so an
interaction id seen recently is dropped before discord.py routes it.

A click on a button whose id no handler takes (a message from an older orgbot, or an id
someone forged) would otherwise never be acknowledged, and Discord shows "This interaction
failed"; `answer_unrouted_click` tells the clicker the answer is too old instead.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

import discord
from discord.state import AutoShardedConnectionState

from .i18n import lang_for_locale, t
from .render.components import BUTTON_TEMPLATES
from .respond import tell

# Interactions live 15 minutes; at thousands a minute this covers far more than a replay.
SEEN_CAPACITY = 50_000
_ROUTED = tuple(re.compile(template) for template in BUTTON_TEMPLATES)


class OnceConnectionState(AutoShardedConnectionState[Any]):
    """discord.py's connection state, dropping interactions it has already handled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._seen_interactions: OrderedDict[int, None] = OrderedDict()

    def parse_interaction_create(self, data: Any) -> None:
        interaction_id = int(data["id"])
        if interaction_id in self._seen_interactions:
            return
        self._seen_interactions[interaction_id] = None
        if len(self._seen_interactions) > SEEN_CAPACITY:
            self._seen_interactions.popitem(last=False)
        super().parse_interaction_create(data)


def routed(custom_id: str) -> bool:
    """Whether one of the bot's buttons handles `custom_id` (the same full match as
    discord.py's dynamic items)."""
    return any(pattern.fullmatch(custom_id) for pattern in _ROUTED)


async def answer_unrouted_click(interaction: discord.Interaction[Any]) -> None:
    if interaction.type is not discord.InteractionType.component:
        return
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    if not routed(custom_id):
        await tell(interaction, t("expired", lang_for_locale(interaction.locale)))
