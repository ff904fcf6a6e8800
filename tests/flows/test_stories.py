"""Stories told with each consent, then seen, listed, exported or hidden accordingly; consent narrows everywhere."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

from tests.bot.test_cli import run
from tests.flows.test_peer_assist import QUESTION, community_of_experts
from tests.harness import ConsoleBot

CONSENTS = {"coordinators": "1", "community": "2", "public_anonymous": "3", "public_named": "4"}


async def tell(bot: ConsoleBot, who: str, outcome: str, consent: str, number: str = "skip", cycle: str = "4") -> str:
    await bot.say(who, "/cop story")
    out = ""
    for answer in (
        "We had stale dashboards in two control rooms",
        "1",
        outcome,
        cycle,
        "two days instead of two weeks",
        number,
        "hours saved" if number != "skip" else "skip",
        CONSENTS[consent],
    ):
        out = await bot.say(who, answer)
    return out


async def test_each_consent_is_honoured_in_listing_and_library(bot: ConsoleBot) -> None:
    for name in ("Amina", "Baraka", "Chidi", "Dembe", "Esi"):
        await bot.say(name, "/cop join")
    assert "story #1 is kept. Who may see it: Coordinators only" in await tell(
        bot, "Amina", "Private win", "coordinators"
    )
    await tell(bot, "Baraka", "Community win", "community", "80")
    await tell(bot, "Chidi", "Anonymous win", "public_anonymous")
    await tell(bot, "Dembe", "Named win", "public_named")

    member_view = await bot.say("Esi", "/cop stories")
    assert "Private win" not in member_view
    assert "#2 Baraka: Community win — two days instead of two weeks; 80 hours saved" in member_view
    assert "#3 Anonymous: Anonymous win" in member_view and "#4 Dembe: Named win" in member_view
    coordinator_view = await bot.say("Ada", "/cop stories")
    assert "#1 Amina: Private win" in coordinator_view and "#3 Chidi: Anonymous win" in coordinator_view
    assert "#1 Amina: Private win" in await bot.say("Amina", "/cop stories")

    library = await bot.say("Esi", "/cop library search win")
    assert "Story: Community win" in library and "Story: Anonymous win" in library and "Private win" not in library


async def test_narrowing_consent_applies_everywhere_at_once(bot: ConsoleBot) -> None:
    await bot.say("Baraka", "/cop join")
    await bot.say("Esi", "/cop join")
    await tell(bot, "Baraka", "Community win", "community")
    assert "Story: Community win" in await bot.say("Esi", "/cop library search community win")
    assert "applies everywhere, now" in await bot.say("Baraka", "/cop story consent 1 coordinators")
    assert "Nothing in the library matches" in await bot.say("Esi", "/cop library search community win")
    assert "No stories yet" in await bot.say("Esi", "/cop stories")
    assert "You have no story #1" in await bot.say("Esi", "/cop story consent 1 public_named")
    assert "Say which story" in await bot.say("Baraka", "/cop story consent 1 everyone")


async def test_recent_peer_assists_are_offered_as_what_helped(bot: ConsoleBot) -> None:
    await community_of_experts(bot)
    await bot.say("Amina", f"/cop ask {QUESTION}")
    await bot.say("Baraka", "1")
    await bot.say("Amina", "/cop ask close 1")
    await bot.say("Amina", "1")
    await bot.say("Amina", "Pin a refresh panel")
    await bot.say("Amina", "/cop story")
    assert "1. Peer assist #1: How do you keep control-room dashboards" in await bot.say("Amina", "It was stale")


async def test_export_honours_consent(bot: ConsoleBot, tmp_path: Path) -> None:
    for name in ("Amina", "Baraka", "Chidi"):
        await bot.say(name, "/cop join")
    await tell(bot, "Amina", "Private win", "coordinators")
    await tell(bot, "Baraka", "Community win", "community", "80")
    await tell(bot, "Chidi", "Anonymous win", "public_anonymous")
    url = bot.runtime.services.settings.database_url
    out = run("export", "stories", "--format", "csv", cwd=tmp_path, DATABASE_URL=url)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["outcome"], r["teller"]) for r in rows] == [("Community win", "Baraka"), ("Anonymous win", "anonymous")]
    assert rows[0]["value_number"] == "80.0" and rows[0]["value_unit"] == "hours saved"
    everything = json.loads(
        run("export", "stories", "--format", "json", "--include-private", cwd=tmp_path, DATABASE_URL=url).stdout
    )
    assert [s["outcome"] for s in everything] == ["Private win", "Community win", "Anonymous win"]
    later = run("export", "stories", "--since", "2030-01-01", cwd=tmp_path, DATABASE_URL=url)
    assert later.stdout.strip().splitlines() == [
        ",".join(
            (
                "id",
                "community",
                "told_at",
                "teller",
                "situation",
                "helped",
                "outcome",
                "value",
                "value_number",
                "value_unit",
                "consent",
                "value_cycle",
            )
        )
    ]
    bad: subprocess.CompletedProcess[str] = run("export", "stories", "--format", "xml", cwd=tmp_path, DATABASE_URL=url)
    assert bad.returncode == 2 and "csv or json" in bad.stderr


async def test_a_story_value_must_be_a_finite_number_not_below_zero(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    await bot.say("Amina", "/cop story")
    for answer in ("Stale dashboards", "1", "We fixed them", "4", "two days instead of two weeks"):
        await bot.say("Amina", answer)
    for typed in ("1e309", "nan", "inf", "-5", "lots"):
        refused = await bot.say("Amina", typed)
        assert "Only a number of at least 0 here" in refused and "6/8" in refused, typed
    assert "7/8" in await bot.say("Amina", "1,500.5")
    await bot.say("Amina", "days saved per quarter")
    await bot.say("Amina", "2")
    assert "1500.5 days saved per quarter" in await bot.say("Amina", "/cop stories")


async def test_exported_answers_cannot_run_as_spreadsheet_formulas(bot: ConsoleBot, tmp_path: Path) -> None:
    await bot.say("Amina", "/cop join")
    await tell(bot, "Amina", '=HYPERLINK("https://evil.example")', "community")
    url = bot.runtime.services.settings.database_url
    out = run("export", "stories", "--format", "csv", cwd=tmp_path, DATABASE_URL=url)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows[0]["outcome"] == '\'=HYPERLINK("https://evil.example")'
