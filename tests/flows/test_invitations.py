"""Invitations for silent members: built from their introduction, in their morning, at most one a month, never to
newcomers or to those who took part, switched off on request — and converted when they then take part."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.models import Invitation
from tests.conftest import START
from tests.flows.test_discussions import schedule
from tests.flows.test_health import press_in_dm, until
from tests.flows.test_story_campaigns import invited
from tests.flows.test_webinars import announce
from tests.harness import ConsoleBot

DAY = timedelta(days=1)
FOOTER = "/cop invitations off stops these"


async def introduce(bot: ConsoleBot, name: str, expertise: str, learn: str, zone: str = "keep") -> None:
    await bot.say(name, "/cop join")
    await bot.say(name, "/cop intro")
    for answer in ("keep", "skip", "skip", zone, "skip", expertise, learn, "skip", "skip"):
        await bot.say(name, answer)


async def a_quiet_community(bot: ConsoleBot) -> None:
    """Everyone joins on 2 March. Baraka knows dashboards; Gift hopes to learn alerting; Kofi, in Tokyo, hopes to
    learn facilitation; Hawa never introduces herself; Dembe turns invitations off; Amina will ask."""
    await bot.say("Ada", "/cop agenda add facilitation")
    await introduce(bot, "Baraka", "dashboards", "skip")
    await introduce(bot, "Gift", "grafana", "alerting that wakes the right people")
    await introduce(bot, "Kofi", "rotas", "facilitation", zone="Asia/Tokyo")
    for name in ("Hawa", "Dembe", "Amina"):
        await bot.say(name, "/cop join")
    assert "no more invitations" in await bot.say("Dembe", "/cop invitations off")
    assert "Invitations are off for you" in await bot.say("Dembe", "/cop invitations")


async def test_silent_members_are_invited_personally_once_a_month_in_their_morning(bot: ConsoleBot) -> None:
    await a_quiet_community(bot)
    assert not invited(await bot.wait(50 * DAY), FOOTER)
    await bot.say("Idris", "/cop join")  # a newcomer, silent too
    early = await bot.wait(10 * DAY)  # 1 May: 60 days, not more: nobody has been silent long enough yet
    assert not invited(early, FOOTER)
    # Amina asks about dashboards; a webinar on alerting and a discussion on facilitation are announced.
    await bot.say("Amina", "/cop ask Which dashboards do you keep on the control-room wall?")
    await announce(bot, start="2026-05-11 14:00 Africa/Nairobi")
    await schedule(bot, opens="2026-05-16 14:00 Africa/Nairobi", moderators="skip")

    morning = await bot.wait(DAY)  # 2 May, 09:00 UTC: the morning of everyone but Kofi
    assert invited(morning, FOOTER) == {"Baraka", "Gift", "Hawa"}
    assert "Someone asked about dashboards this month, which you know about — would you look at it?" in morning
    assert "“Which dashboards do you keep on the control-room wall?”" in morning and "[1] I can help" in morning
    assert "A webinar on something you hope to learn is coming: “Alerting that people trust”" in morning
    assert "[1] Going" in morning
    assert "You joined *Community of Practice* a while ago" not in morning  # plain text in the console
    assert "You joined Community of Practice a while ago. Would you introduce yourself?" in morning

    assert "Baraka can help with your request #1" in await press_in_dm(bot, "Baraka")  # the ask's own button
    assert "You are going to “Alerting that people trust”" in await press_in_dm(bot, "Gift")

    tokyo = await until(bot, datetime(2026, 5, 3, 0, 0, tzinfo=UTC))  # 09:00 in Tokyo
    assert invited(tokyo, FOOTER) == {"Kofi"}
    assert "A discussion on “facilitation”, which you hope to learn about, opens Sat 16 May 2026, 20:00" in tokyo
    assert "You follow “facilitation”" in await press_in_dm(bot, "Kofi")  # following is not taking part

    assert not invited(await bot.wait(20 * DAY), FOOTER), "at most one a month"
    report = await bot.say("Ada", "/cop health")
    assert "4 sent · 2 converted (50%) · 1 member turned them off" in report

    # A month on, Kofi is still silent and a new discussion on his topic is coming: he is invited again. Hawa, who
    # was asked to introduce herself once, is not asked again; those who took part are not invited.
    await schedule(bot, opens="2026-06-10 14:00 Africa/Nairobi", moderators="skip")
    later = await until(bot, datetime(2026, 6, 3, 0, 0, tzinfo=UTC))
    assert invited(later, FOOTER) == {"Kofi"}
    async with bot.runtime.services.sessions() as db:
        rows = (await db.scalars(select(Invitation).order_by(Invitation.id))).all()
    assert [(r.kind, r.subject_id) for r in rows] == [
        ("assist", 1),
        ("webinar", 1),
        ("introduce", None),
        ("discussion", 1),
        ("discussion", 2),
    ]
    assert all(r.sent_at > START + 60 * DAY for r in rows)


async def test_invitations_can_be_turned_back_on_and_a_member_with_nothing_to_match_gets_none(bot: ConsoleBot) -> None:
    await introduce(bot, "Gift", "grafana", "alerting")
    assert "no more invitations" in await bot.say("Gift", "/cop invitations off")
    assert "invitations are on again" in await bot.say("Gift", "/cop invitations on")
    assert "Invitations are on" in await bot.say("Gift", "/cop invitations")
    assert "Usage: /cop invitations [on|off]" in await bot.say("Gift", "/cop invitations maybe")
    assert not invited(await bot.wait(61 * DAY), FOOTER), "nothing coming on alerting, nobody asking about grafana"
    await announce(bot, start="2026-05-20 14:00 Africa/Nairobi")
    assert invited(await bot.wait(DAY), FOOTER) == {"Gift"}
