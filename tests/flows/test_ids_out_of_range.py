"""An id no table can hold — typed or carried by a forged button — gets the ordinary "there is no #N" answer,
never an overflow from the database."""

from __future__ import annotations

from adapters.console.adapter import PLATFORM, TENANT
from bot.events import ActionClicked, Actor, Place
from tests.harness import ConsoleBot

HUGE = "9" * 30
JUST_OVER = str(2**31)


async def test_typed_ids_beyond_32_bits_are_simply_not_found(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop join")
    assert "There is no discussion #" in await bot.say("Ada", f"/cop discuss close {HUGE}")
    assert "There is no webinar #" in await bot.say("Ada", f"/cop webinar cancel #{JUST_OVER}")
    assert "There is no item #" in await bot.say("Ada", f"/cop library remove {HUGE}")
    assert "You have no story #" in await bot.say("Ada", f"/cop story consent #{HUGE} community")
    assert "Sorry" not in await bot.say("Ada", f"/cop stories {HUGE}")
    assert "Sorry" not in await bot.say("Ada", f"/cop deliveries {HUGE}")


async def test_button_values_beyond_32_bits_are_simply_not_found(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop join")
    ada = Actor(PLATFORM, TENANT, "ada", "Ada")
    answers = []
    for action, value in [
        ("assist.offer", HUGE),
        ("intro.welcome", JUST_OVER),
        ("intro.connect", HUGE),
        ("webinar.rsvp", f"{HUGE}:going"),
        ("webinar.feedback", f"{HUGE}:5"),
        ("library.more", f"{HUGE}|dashboards"),
        ("directory.more", f"{HUGE}|dashboards"),
    ]:
        before = len(bot.lines)
        await bot.runtime.handle(
            ActionClicked(actor=ada, place=Place(PLATFORM, TENANT, "general"), action_id=action, value=value)
        )
        answers.append((action, "\n".join(bot.lines[before:])))
    assert not [a for a in answers if "Sorry" in a[1] or not a[1]], answers
    assert "There is no request #" in answers[0][1]
