"""Forms asked field by field in a direct conversation, as on the console and Yammer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from flows import all_routines
from tests import routines
from tests.conftest import START
from tests.harness import ConsoleBot


@pytest.fixture
async def trip_bot(database_url: str) -> AsyncIterator[ConsoleBot]:
    routines.received.clear()
    harness = await ConsoleBot.open(database_url, START, routines=all_routines() + [routines.routine])
    await harness.say("Amina", "/cop join")
    yield harness
    await harness.close()


async def test_a_form_is_asked_in_dm_one_field_at_a_time(trip_bot: ConsoleBot) -> None:
    opened = await trip_bot.say("Amina", "/cop trip")
    assert "I have sent you a direct message" in opened
    assert "DM to Amina" in opened and "1/5 · Where did you go?" in opened
    assert "So others can find reports" in opened
    topics = await trip_bot.say("Amina", "Kisumu station")
    assert "2/5 · Topics (optional — say skip)" in topics and "1. Dashboards" in topics
    assert "3/5" in await trip_bot.say("Amina", "1, 3, solar panels")
    assert "4/5" in await trip_bot.say("Amina", "2")
    assert "5/5" in await trip_bot.say("Amina", "2026-02-27")
    done = await trip_bot.say("Amina", "skip")
    assert "Thanks, filed your report on Kisumu station." in done
    assert routines.received == [
        {
            "place": "Kisumu station",
            "topics": ["dashboards", "data", "solar panels"],
            "mood": "bad",
            "day": date(2026, 2, 27),
            "notes": None,
            "_state": {"origin": "test"},
        }
    ]


async def test_a_bad_answer_reasks_the_same_field_with_the_reason(trip_bot: ConsoleBot) -> None:
    await trip_bot.say("Amina", "/cop trip")
    await trip_bot.say("Amina", "Kisumu")
    await trip_bot.say("Amina", "skip")
    wrong = await trip_bot.say("Amina", "7")
    assert "⚠ Choose a number from 1 to 2." in wrong and "3/5 · How did it go?" in wrong
    await trip_bot.say("Amina", "good")
    bad_date = await trip_bot.say("Amina", "2026-02-30")
    assert "YYYY-MM-DD" in bad_date and "4/5" in bad_date
    await trip_bot.say("Amina", "2026-02-27")
    too_long = await trip_bot.say("Amina", "x" * 60)
    assert "under 50 characters (this is 60)" in too_long


async def test_required_fields_cannot_be_skipped(trip_bot: ConsoleBot) -> None:
    await trip_bot.say("Amina", "/cop trip")
    answer = await trip_bot.say("Amina", "skip")
    assert "required" in answer and "1/5" in answer


async def test_back_returns_to_the_previous_question_showing_the_answer(trip_bot: ConsoleBot) -> None:
    await trip_bot.say("Amina", "/cop trip")
    await trip_bot.say("Amina", "Kisumu")
    back = await trip_bot.say("Amina", "back")
    assert "1/5 · Where did you go?" in back and "Now: Kisumu — say keep to keep it." in back
    assert "2/5" in await trip_bot.say("Amina", "Eldoret")


async def test_cancel_saves_nothing(trip_bot: ConsoleBot) -> None:
    await trip_bot.say("Amina", "/cop trip")
    await trip_bot.say("Amina", "Kisumu")
    assert "Cancelled: nothing from “Trip report” was saved." in await trip_bot.say("Amina", "cancel")
    assert "try /cop help" in await trip_bot.say("Amina", "hello?")
    assert routines.received == []


async def test_a_handler_refusal_reasks_that_field(trip_bot: ConsoleBot) -> None:
    await trip_bot.say("Amina", "/cop trip")
    for answer in ("Nowhere", "skip", "1", "2026-02-27"):
        await trip_bot.say("Amina", answer)
    refused = await trip_bot.say("Amina", "skip")
    assert "⚠ Nowhere is not a place we can file." in refused and "1/5" in refused
    await trip_bot.say("Amina", "Kisumu")
    for answer in ("keep", "keep", "keep"):
        await trip_bot.say("Amina", answer)
    assert "filed your report on Kisumu" in await trip_bot.say("Amina", "keep")
    assert routines.received[0]["mood"] == "good"


async def test_a_restart_in_the_middle_resumes_where_the_member_was(database_url: str) -> None:
    routines.received.clear()
    first = await ConsoleBot.open(database_url, START, routines=all_routines() + [routines.routine])
    await first.say("Amina", "/cop join")
    await first.say("Amina", "/cop trip")
    await first.say("Amina", "Kisumu")
    await first.say("Amina", "2")
    await first.close()

    second = await ConsoleBot.open(database_url, START, routines=all_routines() + [routines.routine])
    try:
        assert "4/5" in await second.say("Amina", "good")
        await second.say("Amina", "2026-02-27")
        assert "filed your report on Kisumu" in await second.say("Amina", "all fine")
        assert routines.received[0]["topics"] == ["alerting"]
    finally:
        await second.close()


async def test_starting_another_form_puts_the_unfinished_one_aside(trip_bot: ConsoleBot) -> None:
    await trip_bot.say("Amina", "/cop trip")
    await trip_bot.say("Amina", "Kisumu")
    again = await trip_bot.say("Amina", "/cop trip")
    assert "I put aside your unfinished “Trip report”" in again and "1/5" in again


async def test_help_inside_a_form_explains_the_format(trip_bot: ConsoleBot) -> None:
    await trip_bot.say("Amina", "/cop trip")
    for answer in ("Kisumu", "skip", "1"):
        await trip_bot.say("Amina", answer)
    assert "Format: YYYY-MM-DD" in await trip_bot.say("Amina", "help")
