"""After Action Reviews are asked in four questions and kept as searchable lessons."""

from __future__ import annotations

from tests.harness import ConsoleBot


async def test_a_review_is_stored_and_found_in_the_library(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    opened = await bot.say("Amina", "/cop aar March webinar on alerting")
    assert "After Action Review" in opened and "Now: March webinar on alerting" in opened
    for answer in (
        "keep",
        "Forty people, live questions",
        "Twelve came; the link was wrong in the invite",
        "We copied last month's invitation",
        "Keep the slides; change: test the link the day before",
        "1, webinars",
    ):
        out = await bot.say("Amina", answer)
    assert "kept in the library as #1" in out
    found = await bot.say("Ada", "/cop library search webinar invitaton")
    assert "[lesson] AAR: March webinar on alerting" in found and "from an After Action Review" in found


async def test_the_required_questions_cannot_be_skipped(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    await bot.say("Amina", "/cop aar")
    assert "required" in await bot.say("Amina", "skip")
