"""Turning rendered values into discord.py objects, and answering an interaction once.

Every reply goes out with `AllowedMentions.none()`: the bot-wide default already says so,
and passing it again here keeps that true even if the default is ever changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from .render import ButtonSpec, clip
from .render.limits import CONTENT

NO_MENTIONS = discord.AllowedMentions.none()
_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
    "link": discord.ButtonStyle.link,
}


def to_embed(data: dict[str, Any]) -> discord.Embed:
    return discord.Embed.from_dict(data)


def to_view(specs: Sequence[ButtonSpec]) -> discord.ui.View:
    """A view holding `specs`, already stopped.

    Clicks are routed by custom id to the dynamic items the cogs register, so the view itself
    must not be kept in discord.py's view store (one per message would grow without bound).
    """
    view = discord.ui.View(timeout=None)
    for spec in specs:
        view.add_item(
            discord.ui.Button(
                style=_STYLES[spec.style],
                label=spec.label or None,
                custom_id=spec.custom_id,
                url=spec.url,
                emoji=spec.emoji,
                row=spec.row,
            )
        )
    view.stop()
    return view


async def tell(interaction: discord.Interaction[Any], text: str) -> None:
    """A short private message to whoever triggered `interaction`, whatever state it is in.

    Not yet answered: answer with it. Deferred with "thinking…": replace the placeholder.
    Already answered: add an ephemeral follow-up.
    """
    content = clip(text, CONTENT)
    response = interaction.response
    if not response.is_done():
        await response.send_message(content, ephemeral=True, allowed_mentions=NO_MENTIONS)
    elif response.type is discord.InteractionResponseType.deferred_channel_message:
        await interaction.edit_original_response(
            content=content, embed=None, view=None, allowed_mentions=NO_MENTIONS
        )
    else:
        await interaction.followup.send(content, ephemeral=True, allowed_mentions=NO_MENTIONS)
