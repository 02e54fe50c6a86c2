"""Discord locales to wiki languages, and the few interface strings the bot says itself.

Discord reports locales such as `en-US`, `es-419` or `pt-BR`; the wiki uses ISO 639-1 codes.
Strings missing in a language fall back to English, so adding a string never breaks a reply.
"""

from __future__ import annotations

from retrieval import DEFAULT_LANG, LANGUAGES

# Language names in their own language, for "no German version" notices.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "it": "Italiano",
    "pt": "Português",
    "nl": "Nederlands",
    "pl": "Polski",
}

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "no_answer": "The wiki has no grounded answer to that.",
        "see_also": "Pages that come close",
        "fallback": "No {language} version of these pages yet: showing English.",
        "more": "More results",
        "related": "Related pages",
        "open_page": "Open page",
        "ask_organiser": "Ask an organiser",
        "results": "Results {first}–{last}",
        "no_more": "There are no more results for this question.",
        "cooldown": "Easy there! You can ask again in {seconds} s.",
        "error": "Something went wrong on my side. It has been logged; please try again.",
        "state_unavailable": "I can't save or look that up right now. Try again in a minute.",
        "thanks_up": "Thanks, glad it helped.",
        "thanks_down": "Thanks, this helps us find gaps in the wiki.",
        "did_you_mean": "I don't know a page called **{name}**. Did you mean one of these?",
        "unknown": "I don't know a page called **{name}**.",
        "expired": "This answer is too old to continue; please ask again.",
        "summary_extracted": "Summary extracted automatically from the page.",
        "channel_not_allowed": "I only answer questions in {channels} on this server.",
        "empty_question": "Ask me a question after the mention, e.g. *how do I run a one-to-one?*",
        "no_related": "This page lists no related pages.",
        "organiser_called": "{role}: {user} would like an organiser's help with this question.",
        "no_organiser": "No organiser role is configured on this server.",
        "unwritten": "The wiki has a page on **{title}**, but it is not written yet.",
        "confidence": "confidence {percent}%",
        "similarity": "similarity {score}",
        "searched": "searched in {ms} ms",
        "not_admin": "You need the Manage Server permission for /kb commands.",
        "not_here": "You cannot use this command here.",
        "not_built": ("The knowledge base is not built yet; an admin needs to build the index."),
    },
    "de": {
        "no_answer": "Dazu habe ich im Wiki keine belegte Antwort gefunden.",
        "see_also": "Seiten, die nahekommen",
        "fallback": "Diese Seiten gibt es noch nicht auf {language}: hier die englische Fassung.",
        "more": "Weitere Ergebnisse",
        "related": "Verwandte Seiten",
        "open_page": "Seite öffnen",
        "ask_organiser": "Organisator*in fragen",
        "results": "Ergebnisse {first}–{last}",
        "no_more": "Zu dieser Frage gibt es keine weiteren Ergebnisse.",
        "cooldown": "Langsam! In {seconds} s kannst du wieder fragen.",
        "error": "Bei mir ist etwas schiefgelaufen. Es ist notiert; bitte versuch es noch einmal.",
        "state_unavailable": (
            "Das kann ich gerade weder speichern noch nachsehen. Versuch es in einer Minute "
            "noch einmal."
        ),
        "thanks_up": "Danke, schön dass es geholfen hat.",
        "thanks_down": "Danke, das hilft uns, Lücken im Wiki zu finden.",
        "did_you_mean": "Eine Seite namens **{name}** kenne ich nicht. Meintest du eine davon?",
        "unknown": "Eine Seite namens **{name}** kenne ich nicht.",
        "unwritten": (
            "Im Wiki gibt es eine Seite zu **{title}**, sie ist aber noch nicht geschrieben."
        ),
        "confidence": "Treffsicherheit {percent} %",
        "similarity": "Ähnlichkeit {score}",
        "searched": "gesucht in {ms} ms",
        "not_admin": "Für /kb-Befehle brauchst du die Berechtigung „Server verwalten“.",
        "not_here": "Diesen Befehl kannst du hier nicht verwenden.",
        "not_built": (
            "Die Wissensbasis ist noch nicht aufgebaut; ein Admin muss den Index erstellen."
        ),
    },
    "fr": {
        "no_answer": "Je n'ai pas trouvé de réponse étayée dans le wiki.",
        "see_also": "Pages proches",
        "fallback": "Pas encore de version {language} de ces pages : voici l'anglais.",
        "more": "Plus de résultats",
        "related": "Pages liées",
        "open_page": "Ouvrir la page",
        "ask_organiser": "Demander à un·e organisateur·rice",
        "results": "Résultats {first}–{last}",
        "no_more": "Il n'y a pas d'autres résultats pour cette question.",
        "cooldown": "Doucement ! Tu pourras redemander dans {seconds} s.",
        "error": "Un problème est survenu de mon côté. Il a été noté ; réessaie s'il te plaît.",
        "state_unavailable": (
            "Je ne peux ni enregistrer ni retrouver cela pour l'instant. Réessaie dans une minute."
        ),
        "thanks_up": "Merci, content que ça aide.",
        "thanks_down": "Merci, cela nous aide à repérer les manques du wiki.",
        "did_you_mean": "Je ne connais pas la page **{name}**. Une de celles-ci ?",
        "unknown": "Je ne connais pas de page **{name}**.",
        "unwritten": "Le wiki a une page sur **{title}**, mais elle n'est pas encore écrite.",
        "confidence": "confiance {percent} %",
        "similarity": "similarité {score}",
        "searched": "recherche en {ms} ms",
        "not_admin": "Il faut la permission « Gérer le serveur » pour les commandes /kb.",
        "not_here": "Tu ne peux pas utiliser cette commande ici.",
        "not_built": (
            "La base de connaissances n'est pas encore construite ; un·e admin doit créer l'index."
        ),
    },
    "es": {
        "no_answer": "No encontré una respuesta fundamentada en la wiki.",
        "see_also": "Páginas cercanas",
        "fallback": "Aún no hay versión en {language} de estas páginas: se muestra en inglés.",
        "more": "Más resultados",
        "related": "Páginas relacionadas",
        "open_page": "Abrir página",
        "ask_organiser": "Preguntar a une organizadore",
        "results": "Resultados {first}–{last}",
        "no_more": "No hay más resultados para esta pregunta.",
        "cooldown": "¡Con calma! Puedes volver a preguntar en {seconds} s.",
        "error": "Algo salió mal de mi lado. Quedó registrado; inténtalo de nuevo.",
        "state_unavailable": "Ahora no puedo guardar ni consultar eso. Inténtalo en un minuto.",
        "thanks_up": "Gracias, me alegra que sirviera.",
        "thanks_down": "Gracias, esto nos ayuda a encontrar huecos en la wiki.",
        "did_you_mean": "No conozco la página **{name}**. ¿Quisiste decir alguna de estas?",
        "unknown": "No conozco ninguna página llamada **{name}**.",
        "unwritten": "La wiki tiene una página sobre **{title}**, pero aún no está escrita.",
        "confidence": "confianza {percent} %",
        "similarity": "similitud {score}",
        "searched": "búsqueda en {ms} ms",
        "not_admin": "Necesitas el permiso «Gestionar servidor» para los comandos /kb.",
        "not_here": "No puedes usar este comando aquí.",
        "not_built": (
            "La base de conocimiento aún no está construida; une admin tiene que crear el índice."
        ),
    },
}


def lang_for_locale(locale: object) -> str:
    """The wiki language for a Discord locale (`discord.Locale` or its string value)."""
    value = str(getattr(locale, "value", locale) or "").casefold()
    code = value.split("-", 1)[0]
    # Discord calls Norwegian "no" and Chinese "zh-CN"/"zh-TW"; both map by prefix.
    return code if code in LANGUAGES else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The interface string `key` in `lang`, or in English when there is no translation."""
    template = STRINGS.get(lang, {}).get(key) or STRINGS[DEFAULT_LANG][key]
    return template.format(**values) if values else template


def language_name(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang)
