"""/kb status | reload | gaps | settings: Manage Server only, answered privately."""

from __future__ import annotations

from bot.cogs.admin import _disallow_refusal
from bot.state import GuildSettings
from retrieval import current_build
from tests.bot.payloads import ADMIN_PERMISSIONS, GUILD_ID, slash
from tests.bot.recorder import Recorder


async def test_kb_is_refused_to_a_member_without_manage_server(deliver, recorder: Recorder) -> None:
    await deliver(slash("kb", sub="status"))

    (reply,) = recorder.sent
    assert reply.body["type"] == 4 and reply.flags & 64
    assert "Manage Server" in reply.content


async def test_kb_status_names_the_build_model_and_counts(
    deliver, recorder: Recorder, settings
) -> None:
    await deliver(slash("kb", sub="status", permissions=ADMIN_PERMISSIONS))

    callback, edit = recorder.sent
    assert callback.body["type"] == 5 and callback.flags & 64
    fields = {f["name"]: f["value"] for f in edit.embeds[0]["fields"]}
    build_id = current_build(settings.retrieval.index_dir)[1].build_id
    assert fields["Build"] == f"`{build_id}`"
    assert fields["Model"] == "fake-256 (256 dims)"
    assert fields["Pages"] == "13"


async def test_kb_reload_reports_when_already_on_the_newest_build(
    deliver, recorder: Recorder
) -> None:
    await deliver(slash("kb", sub="reload", permissions=ADMIN_PERMISSIONS))

    assert recorder.sent[-1].content.startswith("Already on the newest build")


async def test_kb_settings_changes_only_what_is_given(deliver, recorder: Recorder, state) -> None:
    await state.save_guild_settings(GuildSettings(GUILD_ID, organiser_role_id=555))

    await deliver(
        slash(
            "kb",
            {"public": True, "threshold": 0.4, "retention_days": 9999},
            sub="settings",
            permissions=ADMIN_PERMISSIONS,
        )
    )

    saved = await state.guild_settings(GUILD_ID)
    assert saved.public_by_default is True
    assert saved.threshold == 0.4
    assert saved.organiser_role_id == 555
    assert saved.retention_days == 90  # capped at the bot's own retention
    fields = {f["name"]: f["value"] for f in recorder.sent[-1].embeds[0]["fields"]}
    assert fields["public_by_default (changed)"] == "True"
    assert fields["thread_mode"] == "True (default)"


async def test_kb_gaps_groups_unanswered_questions(deliver, recorder: Recorder) -> None:
    for question in ("quantum chromodynamics lattice", "Quantum chromodynamics lattice?"):
        await deliver(slash("ask", {"question": question}))
    recorder.sent.clear()

    await deliver(slash("kb", {"days": 7}, sub="gaps", permissions=ADMIN_PERMISSIONS))

    description = recorder.sent[-1].embeds[0]["description"]
    (line,) = description.splitlines()  # both spellings are one gap
    assert line.startswith("**2×** ") and "chromodynamics lattice" in line.casefold()
    assert line.endswith("asked 2, unanswered 2, 👎 0")


def test_removing_channels_never_opens_the_bot_to_all() -> None:
    assert "only allowed channel" in (_disallow_refusal([5], 5) or "")
    assert "every channel" in (_disallow_refusal([], 5) or "")
    assert "not on the allowed list" in (_disallow_refusal([5, 6], 7) or "")
    assert _disallow_refusal([5, 6], 5) is None


async def test_a_refusal_speaks_the_askers_language(deliver, recorder: Recorder) -> None:
    await deliver(slash("kb", sub="status", locale="de"))

    (reply,) = recorder.sent
    assert reply.flags & 64
    assert reply.content == "Für /kb-Befehle brauchst du die Berechtigung „Server verwalten“."
