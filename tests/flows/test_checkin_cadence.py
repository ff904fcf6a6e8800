"""Cadences in words: read as a recurrence, said back in words that read again the same, kept at the same wall-clock
time across daylight-saving changes; unreadable ones answered with examples."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.answers import InvalidAnswer
from flows.checkin_cadence import describe, next_call, read, read_span, say_span

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday


@pytest.mark.parametrize(
    ("typed", "first", "words"),
    [
        (
            "first Tuesday of every month, 10:00 Africa/Nairobi",
            "2026-03-03 10:00 EAT",
            "every first Tuesday of the month, 10:00 (Africa/Nairobi)",
        ),
        ("every Monday 9am", "2026-03-09 09:00 UTC", "every Monday, 09:00 (UTC)"),
        (
            "every other thursday 14:00 europe/lisbon",
            "2026-03-05 14:00 WET",
            "every other Thursday, 14:00 (Europe/Lisbon)",
        ),
        ("fortnightly on Wednesday at 2pm", "2026-03-04 14:00 UTC", "every other Wednesday, 14:00 (UTC)"),
        ("day 8 of every month 10:00", "2026-03-08 10:00 UTC", "on day 8 of every month, 10:00 (UTC)"),
        ("the 15th of each month at noon", "2026-03-15 12:00 UTC", "on day 15 of every month, 12:00 (UTC)"),
        ("last Friday of the month 16.30", "2026-03-27 16:30 UTC", "every last Friday of the month, 16:30 (UTC)"),
    ],
)
def test_a_cadence_is_read_and_said_back(typed: str, first: str, words: str) -> None:
    cadence = read(typed, "UTC", NOW)
    assert cadence.anchor.strftime("%Y-%m-%d %H:%M %Z") == first
    assert describe(cadence) == words
    again = read(words, "UTC", NOW)
    assert (again.rule, again.timezone) == (cadence.rule, cadence.timezone), "the words read back the same"


def test_the_call_keeps_its_local_time_across_daylight_saving() -> None:
    cadence = read("first Tuesday of every month 10:00 Europe/Lisbon", "UTC", NOW)
    march = next_call(cadence, NOW)
    april = next_call(cadence, march)
    assert (march.hour, april.hour) == (10, 10)
    assert march.utcoffset() == timedelta(0) and april.utcoffset() == timedelta(hours=1)
    fortnight = read("every other Thursday 14:00", "UTC", NOW)
    assert next_call(fortnight, fortnight.anchor + timedelta(days=1)) == fortnight.anchor + timedelta(days=14)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("every full moon", "I cannot read that as a cadence. Try “first Tuesday of every month 10:00”"),
        ("weekly", "I cannot read that as a cadence."),
        ("every monday", "Add the time of the call"),
        ("every monday 25:00", "Write the time as HH:MM"),
        ("day 31 of every month 10:00", "Choose a day from 1 to 28"),
        ("every monday 10:00 Mars/Olympus", "I do not know the timezone Mars/Olympus"),
    ],
)
def test_a_cadence_that_cannot_be_read_says_why(typed: str, reason: str) -> None:
    with pytest.raises(InvalidAnswer, match=reason):
        read(typed, "UTC", NOW)


def test_lead_times() -> None:
    assert read_span("2 days") == timedelta(days=2) and read_span("36 hours") == timedelta(hours=36)
    assert read_span("1 week") == timedelta(days=7) and read_span("12h") == timedelta(hours=12)
    assert say_span(timedelta(days=2)) == "2 days" and say_span(timedelta(hours=1)) == "1 hour"
    with pytest.raises(InvalidAnswer):
        read_span("soon")
