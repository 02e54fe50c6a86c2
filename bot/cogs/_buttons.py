"""The shared base of the bot's buttons: routed by custom id, errors answered in one place.

Buttons are `DynamicItem`s, so a click on a message sent before a restart still works: the
state a click needs is in its custom id (see `bot.render.components`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Self, cast

import discord

from bot.errors import report_error

if TYPE_CHECKING:
    from bot.client import OrgBot

Button = discord.ui.Button[discord.ui.View]


class ClickButton(discord.ui.DynamicItem[Button], template=r"(?!)"):
    """A button whose `clicked` runs with any error reported to the user, never swallowed.

    Subclasses pass their own `template`; `values` holds the groups it captured.
    """

    def __init__(self, item: Button, values: dict[str, str]) -> None:
        super().__init__(item)
        self.values = values

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(cast(Button, item), match.groupdict())

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.clicked(interaction, interaction.client)
        except Exception as error:
            await report_error(interaction, error)

    async def clicked(self, interaction: discord.Interaction[Any], bot: OrgBot) -> None:
        raise NotImplementedError
