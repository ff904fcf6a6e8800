"""Webinars: announced with live RSVP counts, reminders in each member's own time at the right instants."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from icalendar import Calendar

from tests.conftest import START
from tests.harness import ConsoleBot

PEOPLE = {"Amina": "Africa/Nairobi", "Baraka": "America/Sao_Paulo", "Chidi": "Europe/Lisbon"}


async def announce(
    bot: ConsoleBot,
    start: str = "2026-03-10 14:00 Africa/Nairobi",
    minutes: str = "keep",
    url: str = "https://meet.example.org/rtm",
    repeats: str = "skip",
    sessions: str = "skip",
) -> str:
    await bot.say("Ada", "/cop webinar add")
    out = ""
    for answer in ("Alerting that people trust", "Baraka", "skip", start, minutes, url, repeats, sessions):
        out = await bot.say("Ada", answer)
    return out


async def people(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop community")
    for name, zone in PEOPLE.items():
        await bot.say(name, "/cop join")
        await bot.say(name, f"/cop timezone {zone}")


def card_of(bot: ConsoleBot) -> object:
    return next(s for s in reversed(bot.adapter.shown) if s.buttons and s.buttons[0].action_id == "webinar.rsvp")


async def press(bot: ConsoleBot, who: str, n: str) -> str:
    bot.adapter.shown.append(card_of(bot))  # type: ignore[arg-type]
    return await bot.say(who, n)


async def until(bot: ConsoleBot, moment: datetime) -> str:
    return await bot.wait(moment - bot.clock.now())


async def test_rsvps_count_once_with_the_last_choice_standing(bot: ConsoleBot) -> None:
    await people(bot)
    announced = await announce(bot)
    assert "Webinar: Alerting that people trust" in announced and "Tue 10 Mar 2026, 14:00 (Africa/Nairobi)" in announced
    assert "[1] Going   [2] Maybe   [3] Not going" in announced
    assert "You are going to “Alerting that people trust” (Tue 10 Mar 2026, 14:00 (Africa/Nairobi))" in await press(
        bot, "Amina", "1"
    )
    await press(bot, "Baraka", "2")
    await press(bot, "Chidi", "1")
    last = await press(bot, "Chidi", "3")
    assert "1 going · 1 maybe · 1 not going" in last


async def test_reminders_reach_each_member_in_their_own_time_at_the_right_instants(bot: ConsoleBot) -> None:
    await people(bot)
    await announce(bot)  # 11:00 UTC on 10 March
    await press(bot, "Amina", "1")
    await press(bot, "Baraka", "2")
    await press(bot, "Chidi", "3")
    assert "⏰" not in await until(bot, datetime(2026, 3, 9, 10, 59, tzinfo=UTC))
    day_before = await bot.wait(datetime(2026, 3, 9, 11, 0, tzinfo=UTC) - bot.clock.now())
    assert (
        "DM to Amina" in day_before
        and "In 24 hours: Alerting that people trust starts Tue 10 Mar 2026, 14:00 (Africa/Nairobi)" in day_before
    )
    assert "DM to Baraka" in day_before and "Tue 10 Mar 2026, 08:00 (America/Sao_Paulo)" in day_before
    assert "DM to Chidi" not in day_before
    hour_before = await until(bot, datetime(2026, 3, 10, 10, 0, tzinfo=UTC))
    assert hour_before.count("In 60 minutes") == 2
    channel = await until(bot, datetime(2026, 3, 10, 10, 45, tzinfo=UTC))
    assert "says in #general" in channel and "In 15 minutes" in channel


async def test_across_a_daylight_saving_change(bot: ConsoleBot) -> None:
    await people(bot)
    await announce(bot, start="2026-03-30 14:00 Europe/Lisbon")  # Lisbon moved to summer time on 29 March
    await press(bot, "Chidi", "1")
    before = await until(bot, datetime(2026, 3, 29, 12, 59, tzinfo=UTC))
    assert "In 24 hours" not in before
    reminder = await until(bot, datetime(2026, 3, 29, 13, 0, tzinfo=UTC))
    assert "DM to Chidi" in reminder and "Mon 30 Mar 2026, 14:00 (Europe/Lisbon)" in reminder


async def test_a_move_reschedules_and_a_cancellation_silences_everything(bot: ConsoleBot) -> None:
    await people(bot)
    await announce(bot)
    await press(bot, "Amina", "1")
    moved = await bot.say("Ada", "/cop webinar move 1 2026-03-12 16:00 Africa/Nairobi")
    assert "DM to Amina" in moved and "has moved to Thu 12 Mar 2026, 16:00 (Africa/Nairobi)" in moved
    assert "⏰" not in await until(bot, datetime(2026, 3, 9, 11, 0, tzinfo=UTC)), "the old time's reminder is gone"
    assert "⏰" not in await until(bot, datetime(2026, 3, 10, 10, 0, tzinfo=UTC))
    assert "⏰" not in await until(bot, datetime(2026, 3, 11, 12, 59, tzinfo=UTC))
    assert "In 24 hours" in await until(bot, datetime(2026, 3, 11, 13, 0, tzinfo=UTC))
    cancelled = await bot.say("Ada", "/cop webinar cancel 1")
    assert "DM to Amina" in cancelled and "is cancelled" in cancelled and "Cancelled: Alerting" in cancelled
    assert "⏰" not in await until(bot, datetime(2026, 3, 13, tzinfo=UTC))


async def test_a_restart_between_scheduling_and_firing_loses_nothing_and_sends_once(database_url: str) -> None:
    first = await ConsoleBot.open(database_url, START)
    await people(first)
    await announce(first)
    await press(first, "Amina", "1")
    await first.close()
    second = await ConsoleBot.open(database_url, START)
    try:
        reminders = ""
        for moment in (
            datetime(2026, 3, 9, 11, 0, tzinfo=UTC),
            datetime(2026, 3, 10, 10, 0, tzinfo=UTC),
            datetime(2026, 3, 10, 10, 45, tzinfo=UTC),
            datetime(2026, 3, 11, tzinfo=UTC),
        ):
            reminders += await until(second, moment)
        assert (
            reminders.count("In 24 hours") == 1
            and reminders.count("In 60 minutes") == 1
            and reminders.count("In 15 minutes") == 1
        )
    finally:
        await second.close()


async def test_list_shows_upcoming_sessions_in_the_callers_time(bot: ConsoleBot) -> None:
    await people(bot)
    await announce(bot)
    assert "#1 Tue 10 Mar 2026, 08:00 (America/Sao_Paulo) — Alerting" in await bot.say("Baraka", "/cop webinar list")


async def test_bad_input_is_answered_and_saves_nothing(bot: ConsoleBot) -> None:
    await people(bot)
    assert "Only a moderator can do that" in await bot.say("Amina", "/cop webinar add")
    await bot.say("Ada", "/cop webinar add")
    for answer in ("Alerting that people trust", "Baraka", "skip"):
        await bot.say("Ada", answer)
    assert "⚠ That is in the past" in await bot.say("Ada", "2026-03-01 10:00")
    await bot.say("Ada", "2026-03-10 14:00 Africa/Nairobi")
    assert "⚠ Only a number from 15 to 480 here" in await bot.say("Ada", "5")
    await bot.say("Ada", "keep")
    out = await bot.say("Ada", "meet dot example")
    assert "⚠ A link starts with https://" in out and "6/8 · Join link" in out
    await bot.say("Ada", "cancel")
    assert "No webinar is scheduled" in await bot.say("Amina", "/cop webinar list")
    assert "There is no webinar #9" in await bot.say("Ada", "/cop webinar cancel 9")


async def test_the_recording_is_shared_in_the_thread_and_kept(bot: ConsoleBot) -> None:
    await people(bot)
    await announce(bot)
    shared = await bot.say("Ada", "/cop webinar recording 1 https://video.example.org/1 https://example.org/slides.pdf")
    assert "› thread" in shared and "The recording of “Alerting that people trust” is here" in shared
    found = await bot.say("Amina", "/cop library search alerting trust")
    assert "[video] Recording: Alerting that people trust" in found and "[document] Slides" in found


async def test_the_icalendar_text_parses_back_to_the_same_instant(bot: ConsoleBot) -> None:
    await people(bot)
    await announce(bot)
    answer = await bot.say("Amina", "/cop webinar ics 1")
    text = answer[answer.index("BEGIN:VCALENDAR") :]
    text = "\r\n".join(line.strip() for line in text.splitlines() if line.strip()) + "\r\n"
    [event] = Calendar.from_ical(text).walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    assert str(event["summary"]) == "Alerting that people trust"


async def test_words_that_are_no_date_are_not_asked_for_a_time_of_day(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop webinar add")
    for answer in ("Alerting that people trust", "Baraka", "skip"):
        await bot.say("Ada", answer)
    moon = await bot.say("Ada", "next blue moon")
    assert "I cannot read “next blue moon” as a date" in moon and "Add the time of day" not in moon
    assert "Add the time of day" in await bot.say("Ada", "tomorrow")
    assert "That is in the past" in await bot.say("Ada", "2026-03-01 10:00")
    assert "5/8 · Length in minutes" in await bot.say("Ada", "tomorrow 14:00")
    assert "Only a number from 15 to 480 here" in await bot.say("Ada", "in 2 hours")


async def test_a_session_that_took_place_cannot_be_cancelled_nor_a_cancelled_one_recorded(bot: ConsoleBot) -> None:
    await people(bot)
    await announce(bot)
    await until(bot, datetime(2026, 3, 10, 13, 0, tzinfo=UTC))
    await bot.say("Ada", "/cop webinar recording 1 https://video.example.org/1")
    assert "has already taken place; it cannot be cancelled" in await bot.say("Ada", "/cop webinar cancel 1")
    await announce(bot, start="2026-03-20 14:00 Africa/Nairobi")
    await bot.say("Ada", "/cop webinar cancel 2")
    refused = await bot.say("Ada", "/cop webinar recording 2 https://video.example.org/2")
    assert "Webinar #2 was cancelled; there is no recording to share" in refused and "Shared again" not in refused


async def test_the_list_and_any_earlier_card_can_be_pressed_in_the_console(bot: ConsoleBot) -> None:
    await people(bot)
    announced = await announce(bot)
    ref = re.search(r"says in #general \[(m\d+)\]", announced)
    assert ref is not None
    listed = await bot.say("Amina", "/cop webinar list")
    assert "[1] Going to #1" in listed
    assert "You are going to “Alerting that people trust”" in await bot.say("Amina", "1")
    await bot.say("Chidi", "/cop webinar list")
    assert "You might come" in await bot.say("Chidi", f"/press {ref[1]} 2")
    assert "usage: /press REF N" in await bot.say("Chidi", "/press m999 1")


async def test_the_channel_card_shows_the_communitys_time_then_the_planned_zone(bot: ConsoleBot) -> None:
    await people(bot)
    announced = await announce(bot)  # typed in Africa/Nairobi; the built-in community keeps UTC
    card = announced[announced.index("Webinar: Alerting") :]
    assert "Tue 10 Mar 2026, 11:00 (UTC) — Tue 10 Mar 2026, 14:00 (Africa/Nairobi) · 60 min" in card
