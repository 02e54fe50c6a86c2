"""Cooldown, locales and UI strings."""

from __future__ import annotations

import pytest

from bot.cooldown import Cooldown
from bot.i18n import STRINGS, lang_for_locale, t


def test_cooldown_allows_a_burst_then_asks_to_wait_then_refills() -> None:
    now = [0.0]
    cooldown = Cooldown(seconds=10, burst=2, clock=lambda: now[0])
    assert cooldown.hit(1) == 0 and cooldown.hit(1) == 0
    assert cooldown.hit(1) == pytest.approx(5.0)
    assert cooldown.hit(2) == 0  # per user
    now[0] = 5.0
    assert cooldown.hit(1) == 0


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("de", "de"),
        ("en-US", "en"),
        ("es-ES", "es"),
        ("es-419", "es"),
        ("pt-BR", "pt"),
        ("zh-TW", "zh"),
        ("fr", "fr"),
        ("tlh", "en"),
        (None, "en"),
    ],
)
def test_discord_locales_map_to_wiki_languages(locale: str | None, lang: str) -> None:
    assert lang_for_locale(locale) == lang


def test_translations_use_the_same_placeholders_as_english() -> None:
    for lang, strings in STRINGS.items():
        for key, text in strings.items():
            assert set(_fields(text)) == set(_fields(STRINGS["en"][key])), (lang, key)
    assert t("cooldown", "de", seconds=3) == "Langsam! In 3 s kannst du wieder fragen."
    assert t("organiser_called", "de", role="r", user="u").startswith("r:")  # English fallback


def _fields(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]
