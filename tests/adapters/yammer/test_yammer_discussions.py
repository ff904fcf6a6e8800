"""A discussion on Yammer: scheduled through private messages, opened as a post in the group at its instant,
replies in its thread counted, closed and summarised in the thread and the group."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.adapters.yammer.harness import AMINA, BARAKA, GROUP, YammerBot


async def advance_to(yammer: YammerBot, moment: datetime) -> None:
    yammer.clock.advance(moment - yammer.clock.now())
    await yammer.runtime.settle()


async def test_a_discussion_through_yammer(yammer: YammerBot) -> None:
    yammer.fake.post(AMINA, "/cop discuss schedule", GROUP)
    await yammer.poll()
    for answer in (
        "alerting",
        "Which alert woke you for nothing last week?",
        "skip",
        "2026-03-05 14:00 Africa/Nairobi",
        "2",
        "skip",
    ):
        yammer.fake.dm(AMINA, answer)
        await yammer.poll()
    assert any("Discussion #1 on “alerting” is scheduled." in t for t in yammer.fake.texts(to=AMINA))

    await advance_to(yammer, datetime(2026, 3, 5, 11, tzinfo=UTC))
    root = next(m for m in yammer.fake.bot_messages(group=GROUP) if "Discussion: alerting" in m["body"]["plain"])
    assert root["replied_to_id"] is None  # a post of its own: the thread's root
    yammer.fake.post(BARAKA, "Disk alerts, every night.", GROUP, replied_to=root["id"])
    await yammer.poll()

    await advance_to(yammer, datetime(2026, 3, 6, 11, tzinfo=UTC))
    assert any("is half way" in t and "1 reply · 1 person" in t for t in yammer.fake.texts(to=AMINA))

    yammer.fake.post(AMINA, "/cop discuss close 1", GROUP)
    await yammer.poll()
    for answer in ("Disk alerts page people at night for nothing.", "Route disk alerts to the day queue.", "skip"):
        yammer.fake.dm(AMINA, answer)
        await yammer.poll()
    in_thread = yammer.fake.texts(thread=root["id"])
    assert any("This discussion is closed" in t for t in in_thread)
    assert any("Summary of the discussion “alerting”" in t for t in in_thread)
    top = [m for m in yammer.fake.bot_messages(group=GROUP) if m["replied_to_id"] is None]
    assert any("Summary of the discussion" in m["body"]["plain"] for m in top), "also posted in the group"
