"""Linking accounts as seen from the console: codes stay on their platform, and a coordinator's proposal takes
effect only when both accounts say yes."""

from __future__ import annotations

import re

from storage import members
from tests.harness import ConsoleBot

CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


async def test_a_code_is_given_privately_and_refused_on_the_platform_it_was_given_on(bot: ConsoleBot) -> None:
    given = await bot.say("Amina", "/cop link")
    assert "(only Amina sees this)" in given and "within 10 minutes" in given
    code = CODE.search(given)
    assert code is not None
    assert "type it on your other platform" in await bot.say("Baraka", f"/cop link {code.group(0).lower()}")
    assert "That code is yours" in await bot.say("Amina", f"/cop link {code.group(0)}")
    again = CODE.search(await bot.say("Amina", "/cop link"))
    assert again is not None and again.group(0) != code.group(0)
    assert "I don't know that code" in await bot.say("Baraka", f"/cop link {code.group(0)}"), "the new code replaced it"


async def test_a_coordinators_proposal_needs_both_accounts_to_say_yes(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    await bot.say("Amina W", "/cop join")
    await bot.say("Amina W", "/cop discuss follow onboarding")
    assert "Only a coordinator" in await bot.say("Amina", "/cop link members Amina Amina W")
    proposed = await bot.say("Ada", "/cop link members amina-w Amina")
    assert "I have asked Amina W and Amina to confirm" in proposed
    assert proposed.count("Are these two accounts both yours?") == 2
    assert "That is one member already" in await bot.say("Ada", "/cop link members Amina amina")

    assert "Now press Yes on your other account too" in await bot.say("Amina", "1")
    done = await bot.say("Amina W", "1")
    assert "Linked" in done and "DM to Ada" in done and "Both accounts confirmed" in done
    async with bot.runtime.services.sessions() as db:
        first = await members.by_identity(db, "console", "local", "amina")
        second = await members.by_identity(db, "console", "local", "amina-w")
        assert first is not None and second is not None and first.id == second.id
    assert "onboarding" in await bot.say("Amina", "/cop discuss following")


async def test_either_account_can_say_no(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    await bot.say("Baraka", "/cop join")
    await bot.say("Ada", "/cop link members Amina Baraka")
    said_no = await bot.say("Baraka", "2")
    assert "the accounts stay separate" in said_no and "one of them said no" in said_no
    assert "no longer open" in await bot.say("Amina", "1")
