"""A webinar series at the same local time whatever the clocks do; reminders as configured; after a session,
feedback from those who came and a review from the presenters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.settings import Settings
from tests.conftest import START
from tests.flows.test_webinars import announce, people, press, until
from tests.harness import ConsoleBot


async def test_a_monthly_series_keeps_its_local_time_across_a_daylight_saving_change(bot: ConsoleBot) -> None:
    await people(bot)
    # The first Thursday of March, 14:00 in Lisbon (UTC+0 then; UTC+1 from 29 March), three sessions.
    out = await announce(bot, start="2026-03-05 14:00 Europe/Lisbon", repeats="4", sessions="3")
    assert "It repeats every first Thursday of the month, 14:00 (Europe/Lisbon), 3 sessions in all" in out
    assert "Part of a series" in out
    assert "Webinar: Alerting" not in await until(bot, datetime(2026, 3, 5, 14, 59, tzinfo=UTC))
    second = await until(bot, datetime(2026, 3, 5, 15, 0, tzinfo=UTC))  # the first session has ended
    assert "Webinar: Alerting that people trust" in second and "Thu 2 Apr 2026, 14:00 (Europe/Lisbon)" in second
    assert "#2 ·" in second
    await press(bot, "Chidi", "1")
    assert "In 24 hours" in await until(bot, datetime(2026, 4, 1, 13, 0, tzinfo=UTC))  # 14:00 summer time = 13:00 UTC
    third = await until(bot, datetime(2026, 4, 2, 14, 0, tzinfo=UTC))
    assert "Thu 7 May 2026, 14:00 (Europe/Lisbon)" in third and "Part of a series" not in third  # the last one
    assert "Webinar: Alerting" not in await until(bot, datetime(2026, 7, 1, tzinfo=UTC))
    listed = await bot.say("Amina", "/cop webinar list")
    assert "No webinar is scheduled" in listed


async def test_cancelling_the_series_stops_what_comes_after(bot: ConsoleBot) -> None:
    await people(bot)
    await announce(bot, start="2026-03-10 14:00 Africa/Nairobi", repeats="2", sessions="4")
    stopped = await bot.say("Ada", "/cop webinar cancel 1 series")
    assert "Webinar #1 is cancelled" in stopped and "series goes on" not in stopped
    assert "Webinar: Alerting" not in await until(bot, datetime(2026, 4, 30, tzinfo=UTC))
    await announce(bot, start="2026-05-05 14:00 Africa/Nairobi", repeats="2", sessions="2")
    one = await bot.say("Ada", "/cop webinar cancel 2")
    assert "The series goes on" in one
    assert "Tue 12 May 2026, 14:00 (Africa/Nairobi)" in await until(bot, datetime(2026, 5, 5, 12, 0, tzinfo=UTC))
    assert "Only a number from 2 to 12 here" in await announce(
        bot, start="2026-06-02 14:00 Africa/Nairobi", repeats="2", sessions="40"
    )


async def test_after_the_recording_attendees_give_feedback_and_presenters_are_asked_for_a_review(
    bot: ConsoleBot,
) -> None:
    await people(bot)
    await announce(bot)  # presented by Baraka
    await press(bot, "Amina", "1")
    await press(bot, "Chidi", "2")
    await until(bot, datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    shared = await bot.say("Ada", "/cop webinar recording 1 https://video.example.org/1")
    assert "2 attendees were asked for feedback; the presenters were asked for a review (Baraka)" in shared
    assert "DM to Amina" in shared and "How useful was “Alerting that people trust” for your work?" in shared
    assert "[1] 1   [2] 2   [3] 3   [4] 4   [5] 5" in shared
    assert "noted" in await bot.say("Amina", "4")
    assert "3/5 for “Alerting that people trust” is noted" in await bot.say("Amina", "3")  # changed, as offered
    assert "noted" in await bot.say("Amina", "4")
    assert "noted" in await bot.say("Chidi", "5")
    review = await bot.say("Baraka", "1")
    assert "After Action Review" in review and "Webinar: Alerting that people trust" in review
    assert "Only a moderator" in await bot.say("Amina", "/cop webinar feedback 1")
    assert "2 answers, average 4.5/5" in await bot.say("Ada", "/cop webinar feedback 1")
    again = await bot.say("Ada", "/cop webinar recording 1 https://video.example.org/1-fixed")
    assert "Shared again" in again and "How useful" not in again


async def test_reminder_offsets_follow_the_settings(database_url: str) -> None:
    settings = Settings(
        database_url=database_url, webinar_member_reminders=(timedelta(hours=2),), webinar_channel_reminders=()
    )
    bot = await ConsoleBot.open(database_url, START, settings=settings)
    try:
        await people(bot)
        await announce(bot)  # 11:00 UTC on 10 March
        assert "I will remind you 2 hours before" in await press(bot, "Amina", "1")
        out = await until(bot, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
        out += await until(bot, datetime(2026, 3, 10, 11, 0, tzinfo=UTC))
        assert out.count("⏰") == 1 and "In 2 hours" in out and "DM to Amina" in out
    finally:
        await bot.close()


async def test_moving_one_session_leaves_the_series_in_its_slot_and_zone(bot: ConsoleBot) -> None:
    await people(bot)
    await bot.say("Ada", "/cop timezone Africa/Nairobi")
    await announce(bot, start="2026-03-05 14:00 Europe/Lisbon", repeats="4", sessions="3")
    moved = await bot.say("Ada", "/cop webinar move 1 2026-03-06 10:00")
    assert "Webinar #1 now starts Fri 6 Mar 2026, 10:00 (Africa/Nairobi)" in moved
    second = await until(bot, datetime(2026, 3, 6, 8, 0, tzinfo=UTC))
    assert "Thu 2 Apr 2026, 14:00 (Europe/Lisbon)" in second, second
