"""Discord's rules for what a bot may send, as pure functions.

Each check takes the JSON a bot sent and returns a list of human-readable problems; an empty
list means Discord would accept it. The fake turns every problem into a violation that fails
the test, so a bot that passes here will not be refused (or silently truncated) by Discord.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000
ACTION_ROWS_MAX = 5
BUTTONS_PER_ROW_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
SELECT_OPTIONS_MAX = 25
SELECT_TEXT_MAX = 100
SELECT_PLACEHOLDER_MAX = 150
CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_VALUE_MAX = 100
THREAD_NAME_MAX = 100
COMMAND_NAME_MAX = 32
COMMAND_DESCRIPTION_MAX = 100
COMMAND_OPTIONS_MAX = 25

ACK_DEADLINE = 3.0
TOKEN_LIFETIME = 15 * 60.0

_BUTTON, _ACTION_ROW, _LINK_STYLE = 2, 1, 5
_SELECTS = {3, 5, 6, 7, 8}
_COMPONENTS_V2_FLAG = 1 << 15


def _too_long(what: str, value: Any, limit: int) -> list[str]:
    if isinstance(value, str) and len(value) > limit:
        return [f"{what} is {len(value)} characters (limit {limit})"]
    return []


def check_embeds(embeds: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    if len(embeds) > EMBEDS_MAX:
        problems.append(f"{len(embeds)} embeds in one message (limit {EMBEDS_MAX})")
    total = 0
    for n, embed in enumerate(embeds):
        where = f"embed {n}"
        texts = {
            "title": (embed.get("title"), EMBED_TITLE_MAX),
            "description": (embed.get("description"), EMBED_DESCRIPTION_MAX),
            "footer.text": ((embed.get("footer") or {}).get("text"), EMBED_FOOTER_MAX),
            "author.name": ((embed.get("author") or {}).get("name"), EMBED_AUTHOR_MAX),
        }
        for key, (value, limit) in texts.items():
            problems += _too_long(f"{where} {key}", value, limit)
            total += len(value) if isinstance(value, str) else 0
        fields = embed.get("fields") or []
        if len(fields) > EMBED_FIELDS_MAX:
            problems.append(f"{where} has {len(fields)} fields (limit {EMBED_FIELDS_MAX})")
        for i, field in enumerate(fields):
            name, value = field.get("name", ""), field.get("value", "")
            if not name or not value:
                problems.append(f"{where} field {i} has an empty name or value")
            problems += _too_long(f"{where} field {i} name", name, EMBED_FIELD_NAME_MAX)
            problems += _too_long(f"{where} field {i} value", value, EMBED_FIELD_VALUE_MAX)
            total += len(name) + len(value)
    if total > EMBED_TOTAL_MAX:
        problems.append(f"embeds total {total} characters (limit {EMBED_TOTAL_MAX})")
    return problems


def _check_button(where: str, button: dict[str, Any]) -> list[str]:
    problems = _too_long(f"{where} label", button.get("label"), BUTTON_LABEL_MAX)
    if not button.get("label") and not button.get("emoji"):
        problems.append(f"{where} has neither label nor emoji")
    if button.get("style") == _LINK_STYLE:
        if not button.get("url"):
            problems.append(f"{where} is a link button without url")
        if "custom_id" in button:
            problems.append(f"{where} is a link button with a custom_id")
    elif not button.get("sku_id"):
        if not button.get("custom_id"):
            problems.append(f"{where} needs a custom_id")
        if "url" in button:
            problems.append(f"{where} has a url but is not a link button")
    return problems


def _check_select(where: str, select: dict[str, Any]) -> list[str]:
    problems = _too_long(f"{where} placeholder", select.get("placeholder"), SELECT_PLACEHOLDER_MAX)
    options = select.get("options") or []
    if select.get("type") == 3 and not 1 <= len(options) <= SELECT_OPTIONS_MAX:
        problems.append(f"{where} has {len(options)} options (1..{SELECT_OPTIONS_MAX})")
    for i, option in enumerate(options):
        for key in ("label", "value", "description"):
            problems += _too_long(f"{where} option {i} {key}", option.get(key), SELECT_TEXT_MAX)
    return problems


def _walk(components: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for component in components:
        yield component
        yield from _walk(component.get("components") or [])
        if isinstance(component.get("accessory"), dict):
            yield component["accessory"]


def check_components(components: list[dict[str, Any]], flags: int = 0) -> list[str]:
    problems: list[str] = []
    custom_ids = [c["custom_id"] for c in _walk(components) if "custom_id" in c]
    for custom_id in custom_ids:
        problems += _too_long(f"custom_id {custom_id[:20]!r}…", custom_id, CUSTOM_ID_MAX)
    if len(custom_ids) != len(set(custom_ids)):
        problems.append("custom_ids are not unique within the message")
    if flags & _COMPONENTS_V2_FLAG:
        return problems  # layout components: only the id rules above are checked
    if len(components) > ACTION_ROWS_MAX:
        problems.append(f"{len(components)} action rows (limit {ACTION_ROWS_MAX})")
    for r, row in enumerate(components):
        if row.get("type") != _ACTION_ROW:
            problems.append(f"top-level component {r} is not an action row")
            continue
        children = row.get("components") or []
        buttons = [c for c in children if c.get("type") == _BUTTON]
        selects = [c for c in children if c.get("type") in _SELECTS]
        if not children:
            problems.append(f"action row {r} is empty")
        if len(buttons) > BUTTONS_PER_ROW_MAX:
            problems.append(f"action row {r} has {len(buttons)} buttons (limit 5)")
        if selects and len(children) > 1:
            problems.append(f"action row {r} mixes a select menu with other components")
        for c, child in enumerate(children):
            where = f"row {r} component {c}"
            if child.get("type") == _BUTTON:
                problems += _check_button(where, child)
            elif child.get("type") in _SELECTS:
                problems += _check_select(where, child)
    return problems


def check_allowed_mentions(
    payload: dict[str, Any], allowed_roles: Collection[int] = (), *, replying: bool = False
) -> list[str]:
    """Every message must say explicitly that it pings nobody (or only an allowed role)."""
    mentions = payload.get("allowed_mentions")
    if not isinstance(mentions, dict):
        return ["allowed_mentions missing: the message could ping @everyone, users or roles"]
    problems: list[str] = []
    parse = mentions.get("parse", [])
    if parse:
        problems.append(f"allowed_mentions.parse={parse!r} would ping; it must be []")
    if mentions.get("users"):
        problems.append(f"allowed_mentions.users={mentions['users']!r} would ping users")
    roles = {int(r) for r in mentions.get("roles") or []}
    if roles - set(allowed_roles):
        problems.append(f"allowed_mentions.roles={sorted(roles)} pings a role the test forbade")
    if replying and mentions.get("replied_user"):
        problems.append("allowed_mentions.replied_user=true pings the author being replied to")
    return problems


def check_message(
    payload: dict[str, Any], *, has_files: bool = False, editing: bool = False
) -> list[str]:
    """Problems Discord refuses with 400: lengths, counts, component shapes, emptiness."""
    problems = _too_long("content", payload.get("content"), CONTENT_MAX)
    problems += check_embeds(payload.get("embeds") or [])
    flags = payload.get("flags") or 0
    problems += check_components(payload.get("components") or [], flags)
    has_body = payload.get("content") or payload.get("embeds") or payload.get("poll")
    empty = not (has_body or has_files or payload.get("sticker_ids"))
    if not editing and empty and not flags & _COMPONENTS_V2_FLAG:
        problems.append("empty message: no content and no embeds")
    return problems


def check_mentions(
    payload: dict[str, Any], allowed_roles: Collection[int] = (), *, editing: bool = False
) -> list[str]:
    """Problems Discord would accept but a careful bot must not cause: pings."""
    if editing and "content" not in payload and "embeds" not in payload:
        return []
    replying = "message_reference" in payload
    return check_allowed_mentions(payload, allowed_roles, replying=replying)


def check_choices(choices: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    if len(choices) > CHOICES_MAX:
        problems.append(f"{len(choices)} autocomplete choices (limit {CHOICES_MAX})")
    for i, choice in enumerate(choices):
        name = choice.get("name", "")
        if not 1 <= len(name) <= CHOICE_NAME_MAX:
            problems.append(f"choice {i} name is {len(name)} characters (1..{CHOICE_NAME_MAX})")
        problems += _too_long(f"choice {i} value", choice.get("value"), CHOICE_VALUE_MAX)
    return problems


def check_commands(commands: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    names = [(c.get("name"), c.get("type", 1)) for c in commands]
    if len(names) != len(set(names)):
        problems.append("two application commands share a name and type")
    for command in commands:
        name = command.get("name", "")
        if not 1 <= len(name) <= COMMAND_NAME_MAX:
            problems.append(f"command name {name!r} must be 1..{COMMAND_NAME_MAX} characters")
        if command.get("type", 1) == 1:
            description = command.get("description", "")
            if not 1 <= len(description) <= COMMAND_DESCRIPTION_MAX:
                problems.append(f"/{name} description must be 1..{COMMAND_DESCRIPTION_MAX} chars")
        if len(command.get("options") or []) > COMMAND_OPTIONS_MAX:
            problems.append(f"/{name} has more than {COMMAND_OPTIONS_MAX} options")
    return problems
