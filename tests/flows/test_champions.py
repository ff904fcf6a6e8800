"""Champions: rising members listed with the reason, invited in one tap to co-moderate the next discussion on their
topic or to present at a webinar; their one-tap yes gives them that discussion, or a place among the presenters."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from adapters.console.adapter import PLATFORM, TENANT
from bot.events import ActionClicked, Place
from storage import discussions, webinars
from tests.flows.test_discussions import schedule
from tests.flows.test_health import QUESTIONS, press, press_in_dm, until
from tests.flows.test_peer_assist import introduce
from tests.harness import ConsoleBot


async def webinar(bot: ConsoleBot, start: str, presenters: str = "Chidi") -> None:
    await bot.say("Ada", "/cop webinar add")
    for answer in ("Onboarding that sticks", presenters, "skip", start, "keep", "https://meet.example.org/x", "skip"):
        await bot.say("Ada", answer)
    await bot.say("Ada", "skip")


async def click(bot: ConsoleBot, who: str, action_id: str, value: str) -> str:
    """`who` sends a button press of their own making (as a crafted request would)."""
    before = len(bot.lines)
    actor = bot.sessions[who].actor
    await bot.runtime.handle(
        ActionClicked(actor=actor, place=Place(PLATFORM, TENANT, "general"), action_id=action_id, value=value)
    )
    return "\n".join(bot.lines[before:])


def thread_of_discussion(bot: ConsoleBot) -> str:
    """The [mN] reference of the last discussion opening posted in the channel."""
    for n, line in reversed(list(enumerate(bot.lines))):
        found = re.search(r"says in #general \[(m\d+)\]", line)
        if found and "Discussion: onboarding" in "\n".join(bot.lines[n : n + 2]):
            return found[1]
    raise AssertionError("no discussion was opened")


async def rising_members(bot: ConsoleBot) -> None:
    """Baraka (introduced in March) helps with three requests on onboarding and replies twice in a discussion in
    April; Amina asks the three questions. A second discussion on onboarding and a webinar are coming."""
    await bot.say("Ada", "/cop agenda add onboarding")
    await introduce(bot, "Baraka", "onboarding, dashboards", "I run onboarding sessions")
    for name in ("Amina", "Chidi"):
        await bot.say(name, "/cop join")
    await bot.wait(timedelta(days=31))  # 2 April
    for question in QUESTIONS:
        await bot.say("Amina", f"/cop ask {question}")
        await bot.say("Baraka", "1")
    await schedule(bot, opens="2026-04-03 12:00 Africa/Nairobi", days="2", moderators="skip")
    await until(bot, datetime(2026, 4, 3, 9, 0, tzinfo=UTC))
    ref = thread_of_discussion(bot)
    await bot.say("Baraka", f"/reply {ref} We pair every newcomer with a buddy.")
    await bot.say("Baraka", f"/reply {ref} And a checklist for the first week.")
    await until(bot, datetime(2026, 4, 6, 9, 0, tzinfo=UTC))  # it closed on the 5th
    await schedule(bot, opens="2026-04-20 12:00 Africa/Nairobi", days="3", moderators="skip")
    await webinar(bot, "2026-04-28 14:00 Africa/Nairobi")


async def test_champions_are_listed_with_reasons_and_a_yes_gives_them_the_discussion(bot: ConsoleBot) -> None:
    await rising_members(bot)
    listed = await bot.say("Ada", "/cop health champions")
    assert "Rising members, last 90 days (6 Jan – 6 Apr 2026):" in listed
    assert "1. Baraka — offered help with 3 requests on onboarding; replied in 1 discussion" in listed
    assert "(6 acts; 0 in the period before)" in listed
    assert "→ co-moderate #2 “onboarding” (Mon 20 Apr 2026, 09:00 (UTC))" in listed
    assert "present at webinar #1 “Onboarding that sticks”" in listed
    assert "2. Amina — asked 3 questions" in listed
    assert "[1] Baraka: co-moderate #2   [2] Baraka: present at webinar #1   [3] Amina: co-moderate #2" in listed
    assert "Ada" not in listed.split("Rising members")[1].split("[1]")[0], "coordinators are not champions"

    asked = await bot.say("Ada", "1")
    assert "I asked Baraka; I will tell you their answer." in asked
    assert "DM to Baraka" in asked and "Ada would like you to co-moderate the discussion #2 on “onboarding”" in asked
    assert "[1] Yes, gladly   [2] Not this time" in asked
    assert "has that invitation already" in await press(bot, "Ada", "champion.invite")
    assert "not for you" in await click(bot, "Amina", "champion.answer", "1:yes")  # Baraka's button, not hers

    accepted = await press_in_dm(bot, "Baraka")
    assert "Thank you! You co-moderate discussion #2 on “onboarding”" in accepted
    assert "DM to Ada" in accepted and "Baraka said yes: co-moderating discussion #2." in accepted
    assert "You have answered already" in await press_in_dm(bot, "Baraka")
    async with bot.runtime.services.sessions() as db:
        discussion = await discussions.by_id(db, 2)
        assert discussion is not None and len(discussion.moderator_ids) == 2
    opened = await until(bot, datetime(2026, 4, 20, 9, 0, tzinfo=UTC))
    assert "moderated by Ada, Baraka" in opened
    closed = await until(bot, datetime(2026, 4, 23, 9, 0, tzinfo=UTC))
    assert "DM to Baraka" in closed and "Please write its summary" in closed  # his, as its co-moderator
    await bot.say("Ada", "/cop role grant Baraka moderator")
    own = await bot.say("Baraka", "/cop health")
    assert "Your discussions and webinars" in own and "- #2 onboarding: 0 replies, 0 participants" in own
    assert "#1 onboarding" not in own, "the first discussion was Ada's alone"


async def test_a_champion_may_say_no_or_join_the_presenters(bot: ConsoleBot) -> None:
    await rising_members(bot)
    await bot.say("Ada", "/cop health champions")
    await bot.say("Ada", "2")  # Baraka: present at webinar #1
    declined = await press_in_dm(bot, "Baraka", "2")
    assert "Understood — thank you for considering it." in declined
    assert "Baraka said no this time to presenting at webinar #1." in declined
    await press(bot, "Ada", "champion.invite", "4")  # Amina: present at webinar #1
    accepted = await press_in_dm(bot, "Amina")
    assert "You present at “Onboarding that sticks”" in accepted and "Presented by Chidi, Amina" in accepted
    async with bot.runtime.services.sessions() as db:
        session = await webinars.by_id(db, 1)
        assert session is not None and session.presenters == "Chidi, Amina" and len(session.presenter_ids) == 1
    await until(bot, datetime(2026, 4, 28, 12, 0, tzinfo=UTC))
    assert "1 session · 0 coming → 0 there" in await bot.say("Ada", "/cop health 30d")
