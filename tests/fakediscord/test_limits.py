"""Discord's rules as the fake enforces them, checked without a bot."""

from __future__ import annotations

from typing import Any

import aiohttp

from tests.fakediscord import limits
from tests.fakediscord.harness import running_fake
from tests.fakediscord.payloads import command_data

NONE = {"parse": [], "replied_user": False}


def button(**fields: object) -> dict[str, object]:
    return {"type": 2, "style": 1, "label": "Go", "custom_id": "go"} | fields


def row(*components: dict[str, object]) -> dict[str, object]:
    return {"type": 1, "components": list(components)}


def test_a_plain_message_within_limits_passes() -> None:
    body = {"content": "x" * 2000, "allowed_mentions": NONE}
    assert limits.check_message(body) == []
    assert limits.check_mentions(body) == []


def test_content_and_emptiness() -> None:
    assert limits.check_message({"content": "x" * 2001}) == [
        "content is 2001 characters (limit 2000)"
    ]
    assert limits.check_message({"components": [row(button())]}) == [
        "empty message: no content and no embeds"
    ]
    assert limits.check_message({}, editing=True) == []


def test_embed_limits_and_total() -> None:
    fields = [{"name": "n", "value": "v" * 1025}] + [{"name": "n", "value": "v"}] * 25
    embed = {"title": "t" * 257, "description": "d" * 4096, "fields": fields}
    footer: dict[str, Any] = {"footer": {"text": "f" * 2049}}
    problems = limits.check_embeds([embed, footer, *[{}] * 9])
    assert any("11 embeds" in p for p in problems)
    assert any("title is 257" in p for p in problems)
    assert any("26 fields" in p for p in problems)
    assert any("field 0 value is 1025" in p for p in problems)
    assert any("footer.text is 2049" in p for p in problems)
    assert any(p.startswith("embeds total") for p in problems)


def test_component_rules() -> None:
    six = [row(*[button(custom_id=f"b{n}") for n in range(6)])]
    assert any("6 buttons" in p for p in limits.check_components(six))
    rows = [row(button(custom_id=f"r{n}")) for n in range(6)]
    assert any("6 action rows" in p for p in limits.check_components(rows))
    link = row(button(style=5, custom_id="x"))
    problems = limits.check_components([link])
    assert any("without url" in p for p in problems)
    assert any("with a custom_id" in p for p in problems)
    long = row(button(custom_id="c" * 101, label="l" * 81))
    assert len(limits.check_components([long])) == 2
    twice = row(button(), button())
    assert limits.check_components([twice]) == ["custom_ids are not unique within the message"]


def test_mentions_must_be_explicitly_off() -> None:
    assert "allowed_mentions missing" in limits.check_mentions({"content": "hi"})[0]
    everyone = {"allowed_mentions": {"parse": ["everyone"]}}
    assert limits.check_mentions(everyone)
    role = {"allowed_mentions": {"parse": [], "roles": ["42"]}}
    assert limits.check_mentions(role)
    assert limits.check_mentions(role, allowed_roles={42}) == []
    reply = {"allowed_mentions": {"parse": [], "replied_user": True}, "message_reference": {}}
    assert limits.check_mentions(reply)


def test_autocomplete_choices() -> None:
    assert limits.check_choices([{"name": "n", "value": "v"}] * 25) == []
    assert limits.check_choices([{"name": "n", "value": "v"}] * 26)
    assert limits.check_choices([{"name": "n" * 101, "value": "v"}])


def test_command_data_nests_subcommands() -> None:
    data = command_data("kb settings show", {"days": 7})
    group = data["options"][0]
    assert (data["name"], group["type"], group["name"]) == ("kb", 2, "settings")
    assert group["options"][0]["options"] == [{"name": "days", "type": 4, "value": 7}]


async def test_rest_answers_exact_json_and_records_unknown_routes() -> None:
    async with running_fake() as fake, aiohttp.ClientSession() as session:
        headers = {"Authorization": f"Bot {fake.token}"}
        async with session.get(fake.api_base + "/users/@me", headers=headers) as response:
            assert response.headers["content-type"] == "application/json"
            assert (await response.json())["id"] == str(fake.world.bot.id)
        async with session.get(fake.api_base + "/nope", headers=headers) as response:
            assert response.status == 404
        async with session.get(fake.api_base + "/gateway") as response:
            assert response.status == 401
        assert [v.rule for v in fake.violations] == ["unknown route", "auth"]
        assert [r.status for r in fake.state.requests] == [200, 404, 401]
