"""/method, /case, /source, /thinker and /page: a page's card, found by name or autocomplete."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import lookup_allowed
from bot.i18n import lang_for_locale
from bot.render import card_buttons, choices, page_buttons, page_card, unknown_page_text
from bot.render.components import PAGE_TEMPLATE
from bot.respond import NO_MENTIONS, to_embed, to_view
from retrieval import MAX_NAME_CHARS

from ._buttons import ClickButton
from .ask import public_by_default

if TYPE_CHECKING:
    from bot.client import OrgBot

METHOD_KINDS = ("method", "concept", "framework")
# Discord refuses a longer name before it reaches us; the knowledge base matches only this
# many characters anyway, so nothing longer could change the answer.
PageName = app_commands.Range[str, 1, MAX_NAME_CHARS]


async def show_card(
    interaction: discord.Interaction[Any], slug_or_name: str, kinds: Sequence[str], public: bool
) -> None:
    """Answer with the page's card, or with "did you mean" buttons when there is no such page."""
    bot: OrgBot = interaction.client
    lang = lang_for_locale(interaction.locale)
    found = await bot.kb.page(slug_or_name, kinds, lang)
    if found.page is None:
        await interaction.response.send_message(
            unknown_page_text(slug_or_name, found.suggestions, lang),
            view=to_view(page_buttons(found.suggestions)),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        return
    base_url = bot.settings.retrieval.base_url
    card = page_card(
        found.page, lang=lang, fell_back=found.fell_back and lang != "en", base_url=base_url,
        titles=dict(found.link_titles),
    )  # fmt: skip
    buttons = card_buttons(found.page, found.related, base_url=base_url)
    await interaction.response.send_message(
        embed=to_embed(card), view=to_view(buttons), ephemeral=not public,
        allowed_mentions=NO_MENTIONS,
    )  # fmt: skip


async def completions(
    bot: OrgBot, current: str, kinds: Sequence[str]
) -> list[app_commands.Choice[str]]:
    refs = await bot.kb.complete(current, kinds, limit=25)
    return [app_commands.Choice(name=name, value=value) for name, value in choices(refs)]


class Lookup(commands.Cog):
    def __init__(self, bot: OrgBot) -> None:
        self.bot = bot

    async def _show(
        self, interaction: discord.Interaction[OrgBot], name: str, kinds: Sequence[str]
    ) -> None:
        await show_card(
            interaction, name, kinds, await public_by_default(self.bot, interaction.guild_id)
        )

    @app_commands.command(name="method")
    @app_commands.describe(name="A method's name, alias or slug")
    @app_commands.check(lookup_allowed)
    async def method(self, interaction: discord.Interaction[OrgBot], name: PageName) -> None:
        """Show an organising method's card: what it is, when to use it, examples, sources."""
        await self._show(interaction, name, METHOD_KINDS)

    @method.autocomplete("name")
    async def method_names(
        self, interaction: discord.Interaction[OrgBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return await completions(self.bot, current, METHOD_KINDS)

    @app_commands.command(name="case")
    @app_commands.describe(name="A case study's name or slug")
    @app_commands.check(lookup_allowed)
    async def case(self, interaction: discord.Interaction[OrgBot], name: PageName) -> None:
        """Show a case study's card: where, when, what happened and what came of it."""
        await self._show(interaction, name, ("case-study",))

    @case.autocomplete("name")
    async def case_names(
        self, interaction: discord.Interaction[OrgBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return await completions(self.bot, current, ("case-study",))

    @app_commands.command(name="source")
    @app_commands.describe(name="A source's name or slug")
    @app_commands.check(lookup_allowed)
    async def source(self, interaction: discord.Interaction[OrgBot], name: PageName) -> None:
        """Show a source's card: what it is and how far the wiki relies on it."""
        await self._show(interaction, name, ("source",))

    @source.autocomplete("name")
    async def source_names(
        self, interaction: discord.Interaction[OrgBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return await completions(self.bot, current, ("source",))

    @app_commands.command(name="thinker")
    @app_commands.describe(name="A thinker's name or slug")
    @app_commands.check(lookup_allowed)
    async def thinker(self, interaction: discord.Interaction[OrgBot], name: PageName) -> None:
        """Show a thinker's card: their ideas and where the wiki draws on them."""
        await self._show(interaction, name, ("thinker",))

    @thinker.autocomplete("name")
    async def thinker_names(
        self, interaction: discord.Interaction[OrgBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return await completions(self.bot, current, ("thinker",))

    @app_commands.command(name="page")
    @app_commands.describe(name="Any page's title, alias or slug")
    @app_commands.check(lookup_allowed)
    async def page(self, interaction: discord.Interaction[OrgBot], name: PageName) -> None:
        """Show any wiki page's card by its name."""
        await self._show(interaction, name, ())

    @page.autocomplete("name")
    async def page_names(
        self, interaction: discord.Interaction[OrgBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return await completions(self.bot, current, ())


class OpenCard(ClickButton, template=PAGE_TEMPLATE):
    """A related or suggested page's button: its card, shown privately to whoever clicked."""

    async def clicked(self, interaction: discord.Interaction[Any], bot: OrgBot) -> None:
        await show_card(interaction, self.values["slug"], (), public=False)


async def setup(bot: OrgBot) -> None:
    await bot.add_cog(Lookup(bot))
    bot.add_dynamic_items(OpenCard)
