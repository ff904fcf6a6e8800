"""The learning agenda: coordinators keep a prioritised list of topics; everyone can read it."""

from __future__ import annotations

from tests.harness import ConsoleBot


async def test_coordinators_keep_the_agenda_in_priority_order(bot: ConsoleBot) -> None:
    assert "The learning agenda is empty" in await bot.say("Ada", "/cop agenda")
    await bot.say("Ada", "/cop agenda add dashboards for control rooms")
    await bot.say("Ada", "/cop agenda add data quality")
    assert "at 1" in await bot.say("Ada", "/cop agenda add alert fatigue at 1")
    await bot.say("Amina", "/cop join")
    listing = await bot.say("Amina", "/cop agenda list")
    assert (
        listing.index("1. alert fatigue")
        < listing.index("2. dashboards for control rooms")
        < listing.index("3. data quality")
    )
    assert "Only a coordinator" in await bot.say("Amina", "/cop agenda add my topic")
    assert "already on the agenda" in await bot.say("Ada", "/cop agenda add Data Quality")
    assert "Removed “alert fatigue”" in await bot.say("Ada", "/cop agenda remove alert fatigue")
    assert "1. dashboards for control rooms" in await bot.say("Amina", "/cop agenda")
    assert "is not on the agenda" in await bot.say("Ada", "/cop agenda remove astronomy")
