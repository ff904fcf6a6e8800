"""A member sets their timezone and reads times in it."""

from __future__ import annotations

from tests.harness import ConsoleBot


async def test_timezone_defaults_to_the_communitys_and_can_be_changed(bot: ConsoleBot) -> None:
    assert "Your timezone is UTC; it is Mon 2 Mar 2026, 09:00 (UTC) for you." in await bot.say("Amina", "/cop timezone")
    changed = await bot.say("Amina", "/cop timezone africa/nairobi")
    assert "your timezone is now Africa/Nairobi; it is Mon 2 Mar 2026, 12:00 (Africa/Nairobi)" in changed
    assert "Your timezone is Africa/Nairobi" in await bot.say("Amina", "/cop timezone")


async def test_a_misspelt_timezone_gets_suggestions_and_changes_nothing(bot: ConsoleBot) -> None:
    answer = await bot.say("Amina", "/cop timezone Africa/Nairob")
    assert "I don't know the timezone “Africa/Nairob”" in answer and "Did you mean Africa/Nairobi" in answer
    assert "Usage: /cop timezone [Area/City]" in answer
    assert "Your timezone is UTC" in await bot.say("Amina", "/cop timezone")
    assert "written Area/City" in await bot.say("Amina", "/cop timezone Narnia")
