"""Discord locales to wiki languages, and the interface strings in each."""

from __future__ import annotations

import pytest

from bot.i18n import STRINGS, lang_for_locale, t


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
