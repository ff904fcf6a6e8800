"""Community health through the console: each level, the newcomer funnel, peer-assist timings, attendance asked after a
session, value cycles, and what moderators and members may see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import ledger
from storage.models import Act
from tests.flows.test_peer_assist import introduce
from tests.flows.test_stories import tell
from tests.flows.test_webinars import announce, card_of
from tests.harness import ConsoleBot

QUESTIONS = (
    "How do we run onboarding for night shifts?",
    "How long should onboarding take for operators?",
    "Who has an onboarding checklist to share?",
)


async def until(bot: ConsoleBot, moment: datetime) -> str:
    return await bot.wait(moment - bot.clock.now())


async def press(bot: ConsoleBot, who: str, action_id: str, n: str = "1") -> str:
    """`who` presses button `n` on the latest message carrying `action_id` buttons."""
    shown = next(s for s in reversed(bot.adapter.shown) if s.buttons and s.buttons[0].action_id == action_id)
    bot.adapter.shown.append(shown)
    return await bot.say(who, n)


async def press_in_dm(bot: ConsoleBot, who: str, n: str = "1") -> str:
    """`who` presses a button of the last direct message they got that had buttons."""
    channel = "@" + who.casefold()
    shown = next(s for s in reversed(bot.adapter.shown) if s.buttons and s.place.direct and s.place.channel == channel)
    bot.adapter.shown.append(shown)
    return await bot.say(who, n)


async def a_community_a_month_on(bot: ConsoleBot) -> None:
    """Amina, Chidi and Dembe join; Baraka introduces himself (onboarding, dashboards). A month later Esi joins,
    Amina asks three questions Baraka offers to help with, Baraka adds seven links, Chidi thanks Amina."""
    await bot.say("Ada", "/cop community")
    for name in ("Amina", "Chidi", "Dembe"):
        await bot.say(name, "/cop join")
    await introduce(bot, "Baraka", "onboarding, dashboards", "I run onboarding sessions")
    await bot.wait(timedelta(days=31))
    await bot.say("Esi", "/cop join")
    for question in QUESTIONS:
        await bot.say("Amina", f"/cop ask {question}")
        await bot.say("Baraka", "1")  # "I can help", on the card or in his DM
    for n in range(7):
        await bot.say("Baraka", f"/cop library add https://example.org/guide{n}.pdf Onboarding guide {n}")
    await bot.say("Chidi", "/cop thanks Amina for the clear questions")


async def test_each_level_the_funnel_and_the_change_since_the_period_before(bot: ConsoleBot) -> None:
    await a_community_a_month_on(bot)
    report = await bot.say("Ada", "/cop health")
    assert "Health of Community of Practice · last 90 days (2 Jan – 2 Apr 2026)" in report
    # Baraka: 11 acts, 3 of them help offered (core); Amina asked 3 times (active); Chidi thanked once (occasional);
    # Dembe and Ada did nothing that counts (silent); Esi joined today (newcomer). Nobody was here the 90 days before.
    assert "6 members: core 1 (+1) · active 1 (+1) · occasional 1 (+1) · silent 2 (+2) · new 1" in report
    assert "Silent · contributing · core: 40 · 40 · 20 % (typical online: 90 · 9 · 1; before: —)" in report
    # Five joined at the start of March, Esi now: the weekly line of joins says so.
    assert "6 joined ▁▁▁▁▁▁▁▁█▁▁▁▂ → 1 introduced (median 0 d) → 3 contributed (median 31 d)" in report
    assert "3 asked · 3 offered within 24 h · 0 resolved · first offer after 0 h (median) · 3 open now" in report
    assert "1 thank-you · 0 credits for help · 1 member recognised" in report
    assert "7 added" in report and "Acts ▁▁▁▁▁▁▁▁▁▁▁▁█ 15" in report
    assert "only Ada sees this" in report

    month = await bot.say("Ada", "/cop health 30d")
    assert "last 30 days (3 Mar – 2 Apr 2026)" in month and "core ≥4 acts with 1 leading · active ≥2" in month
    assert "1 joined ▁▁▁▁█ → 0 introduced (median —) → 0 contributed (median —)" in month

    # Three months later nobody did anything: everyone has become silent, and the change says so.
    later = await bot.wait(timedelta(days=91))
    assert "Health" not in later
    quiet = await bot.say("Ada", "/cop health")
    assert "6 members: core 0 (−1) · active 0 (−1) · occasional 0 (−1) · silent 6 (+4) · new 0" in quiet
    assert "before: 40 · 40 · 20" in quiet


async def test_who_may_see_health_and_what_a_wrong_period_says(bot: ConsoleBot) -> None:
    await a_community_a_month_on(bot)
    assert "Only a moderator can do that" in await bot.say("Dembe", "/cop health")
    await bot.say("Ada", "/cop role grant Chidi moderator")
    own = await bot.say("Chidi", "/cop health")
    assert "Your discussions and webinars in Community of Practice" in own
    assert "Participation" not in own and "Peer assist" not in own and "0 discussions" in own
    assert "Only a coordinator" in await bot.say("Chidi", "/cop health champions")
    wrong = await bot.say("Ada", "/cop health forever")
    assert "“forever” is not a period: say 30d, 90d" in wrong and "Usage: /cop health [30d|90d|quarter|year]" in wrong
    assert "Q2 2026 so far (1 Apr – 2 Apr 2026)" in await bot.say("Ada", "/cop health quarter")
    assert "2026 so far (1 Jan – 2 Apr 2026)" in await bot.say("Ada", "/cop health year")


async def test_peer_assist_times_to_first_offer_and_resolution(bot: ConsoleBot) -> None:
    await introduce(bot, "Baraka", "onboarding", "onboarding sessions")
    await bot.say("Amina", "/cop join")
    await bot.say("Amina", f"/cop ask {QUESTIONS[0]}")
    await bot.wait(timedelta(hours=3))
    await press(bot, "Baraka", "assist.offer")  # three hours after the ask
    await bot.say("Amina", f"/cop ask {QUESTIONS[1]}")
    await bot.wait(timedelta(hours=30))
    await press(bot, "Baraka", "assist.offer")  # thirty hours after, a day after the reroute
    await bot.say("Amina", "/cop ask close 1")
    await bot.say("Amina", "1")
    await bot.say("Amina", "A buddy for the first three shifts")
    report = await bot.say("Ada", "/cop health")
    assert "2 asked · 1 offered within 24 h · 1 resolved · first offer after 16.5 h (median) · 1 open now" in report
    assert "0 thank-yous · 1 credit for help · 1 member recognised" in report


async def test_attendance_is_asked_after_the_session_in_waking_hours_and_counted(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop community")
    for name, zone in (("Amina", "Africa/Nairobi"), ("Baraka", "Africa/Nairobi"), ("Chidi", "Asia/Tokyo")):
        await bot.say(name, "/cop join")
        await bot.say(name, f"/cop timezone {zone}")
    await bot.say("Dembe", "/cop join")
    await announce(bot)  # 10 March, 14:00-15:00 in Nairobi (11:00-12:00 UTC), presented by Baraka
    for who, choice in (("Amina", "1"), ("Chidi", "2")):
        bot.adapter.shown.append(card_of(bot))  # type: ignore[arg-type]
        await bot.say(who, choice)
    ended = await until(bot, datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    assert "Alerting that people trust took place Tue 10 Mar 2026, 14:00 (Africa/Nairobi)." in ended
    assert (
        "Were you there?" in ended and "[1] I was there" in ended and "2 said they would come · 0 were there" in ended
    )
    assert "DM to Amina" in ended and "Were you at “Alerting that people trust”" in ended
    assert "DM to Chidi" not in ended, "21:00 in Tokyo: asked in the morning"
    assert "Noted: you were at “Alerting that people trust”" in await bot.say("Amina", "1")
    assert "I already know you were at" in await press(bot, "Amina", "webinar.there")
    assert "2 said they would come · 2 were there" in await press(bot, "Dembe", "webinar.there")  # came unannounced
    morning = await until(bot, datetime(2026, 3, 10, 23, 0, tzinfo=UTC))  # 08:00 in Tokyo
    assert "DM to Chidi" in morning and "Were you at “Alerting that people trust” (Tue 10 Mar 2026, 20:00" in morning
    assert "Thank you for saying" in await bot.say("Chidi", "2")
    await bot.say("Ada", "/cop webinar recording 1 https://video.example.org/1")
    await bot.say("Chidi", "4")  # rated it after all: whoever rates a session was there
    report = await bot.say("Ada", "/cop health")
    assert "1 session · 2 coming → 3 there · feedback 4.0/5" in report
    async with bot.runtime.services.sessions() as db:
        assert await ledger.count(db, 1, Act.PRESENTED, subject_id=1) == 1  # Baraka, named as presenter
        assert await ledger.count(db, 1, Act.ATTENDED, subject_id=1) == 3
        assert await ledger.count(db, 1, Act.RSVP, subject_id=1) == 2
        assert await ledger.count(db, 1, Act.FEEDBACK, subject_id=1) == 1


async def test_value_stories_are_counted_by_cycle_honouring_consent(bot: ConsoleBot) -> None:
    for name in ("Amina", "Baraka", "Chidi", "Dembe"):
        await bot.say(name, "/cop join")
    await tell(bot, "Amina", "Fixed the rota", "community", cycle="1")  # immediate
    await tell(bot, "Baraka", "Changed our checks", "public_named", cycle="3")  # applied
    await tell(bot, "Chidi", "Saved two days a month", "coordinators", cycle="4")  # realised, coordinators only
    await tell(bot, "Dembe", "Just happy", "community", cycle="skip")
    report = await bot.say("Ada", "/cop health")
    assert "4 stories: immediate 1 · applied 1 · realised 1 · not said 1 (1 for coordinators only)" in report


async def test_reading_commands_are_not_contributions(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop community")
    await bot.say("Amina", "/cop join")
    for command in ("/cop help", "/cop community", "/cop library", "/cop asks", "/cop who onboarding", "/cop stories"):
        await bot.say("Amina", command)
    async with bot.runtime.services.sessions() as db:
        kinds = await ledger.by_kind(db, 1, datetime(2000, 1, 1, tzinfo=UTC), bot.clock.now())
    assert kinds == {Act.JOINED: 1}
    await bot.wait(timedelta(days=31))
    assert "2 members: core 0 (=) · active 0 (=) · occasional 0 (=) · silent 2 (+2) · new 0" in await bot.say(
        "Ada", "/cop health"
    )
