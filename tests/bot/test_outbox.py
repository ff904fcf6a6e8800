"""Scheduled deliveries: sent once when due, retried with backoff, failed with the reason, skipped when too late,
and never lost across a restart. Time moves by the clock, never by sleeping."""
from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from bot.context import Context
from bot.platform import DeliveryError
from bot.registry import Routine
from flows import all_routines
from storage import communities, deliveries
from storage.models import DeliveryStatus
from tests.conftest import START
from tests.harness import ConsoleBot

reminders = Routine("reminders")
sent: list[str] = []
failures: dict[str, list[Exception]] = {}


@reminders.delivery("reminder")
async def remind(ctx: Context, payload: dict[str, Any]) -> None:
    pending = failures.get(payload["text"])
    if pending:
        raise pending.pop(0)
    sent.append(payload["text"])
    await ctx.post_home(f"Reminder: {payload['text']}")


async def open_bot(database_url: str) -> ConsoleBot:
    return await ConsoleBot.open(database_url, START, routines=all_routines() + [reminders])


@pytest.fixture
async def bot(database_url: str) -> AsyncIterator[ConsoleBot]:
    sent.clear()
    failures.clear()
    harness = await open_bot(database_url)
    yield harness
    await harness.close()


async def schedule(bot: ConsoleBot, text: str, *, after: timedelta, key: str | None = None, **kw: Any) -> bool:
    async with bot.runtime.services.sessions() as db:
        community = await communities.by_slug(db, "practice")
        assert community is not None
        added = await deliveries.schedule(
            db, kind=kw.pop("kind", "reminder"), key=key or text, due_at=START + after, now=bot.clock.now(),
            payload={"text": text}, community_id=community.id, **kw,
        )
        await db.commit()
    return added


async def status_of(bot: ConsoleBot, key: str) -> Any:
    async with bot.runtime.services.sessions() as db:
        return await deliveries.by_key(db, key)


async def test_a_delivery_is_sent_once_when_due_and_not_before(bot: ConsoleBot) -> None:
    await schedule(bot, "webinar at noon", after=timedelta(hours=2))
    assert await bot.wait(timedelta(minutes=119)) == ""
    shown = await bot.wait(timedelta(minutes=1))
    assert "Reminder: webinar at noon" in shown and "#general" in shown
    assert await bot.runtime.outbox.run_due() == 0
    assert sent == ["webinar at noon"]
    row = await status_of(bot, "webinar at noon")
    assert row.status == DeliveryStatus.SENT and row.attempts == 1


async def test_the_same_key_schedules_once_and_replace_moves_it(bot: ConsoleBot) -> None:
    assert await schedule(bot, "r", after=timedelta(hours=1))
    assert not await schedule(bot, "r", after=timedelta(hours=5))
    assert await schedule(bot, "r", after=timedelta(hours=3), replace=True)
    await bot.wait(timedelta(hours=2))
    assert sent == []
    await bot.wait(timedelta(hours=1))
    assert sent == ["r"]
    assert not await schedule(bot, "r", after=timedelta(hours=9), replace=True), "a sent delivery is not revived"


async def test_a_cancelled_delivery_sends_nothing(bot: ConsoleBot) -> None:
    await schedule(bot, "cancel me", after=timedelta(hours=1))
    async with bot.runtime.services.sessions() as db:
        assert await deliveries.cancel(db, "cancel me", bot.clock.now())
        await db.commit()
    await bot.wait(timedelta(hours=2))
    assert sent == [] and (await status_of(bot, "cancel me")).status == DeliveryStatus.CANCELLED


async def test_a_failing_send_is_retried_with_growing_backoff_then_succeeds(bot: ConsoleBot) -> None:
    failures["flaky"] = [DeliveryError("rate limited"), DeliveryError("rate limited")]
    await schedule(bot, "flaky", after=timedelta(0))
    await bot.wait(timedelta(seconds=1))
    first = await status_of(bot, "flaky")
    assert first.status == DeliveryStatus.PENDING and first.attempts == 1 and "rate limited" in first.last_error
    first_wait = first.due_at - bot.clock.now()
    assert timedelta(seconds=30) <= first_wait <= timedelta(seconds=38)
    await bot.wait(first_wait)
    second = await status_of(bot, "flaky")
    assert second.attempts == 2 and timedelta(seconds=60) <= second.due_at - bot.clock.now() <= timedelta(seconds=75)
    await bot.wait(timedelta(seconds=75))
    assert sent == ["flaky"] and (await status_of(bot, "flaky")).status == DeliveryStatus.SENT


async def test_after_the_last_attempt_it_is_failed_and_coordinators_see_why(bot: ConsoleBot) -> None:
    failures["doomed"] = [RuntimeError("platform is down")] * 10
    await schedule(bot, "doomed", after=timedelta(0))
    for _ in range(bot.runtime.services.settings.max_attempts):
        await bot.wait(timedelta(hours=1))
    row = await status_of(bot, "doomed")
    assert row.status == DeliveryStatus.FAILED and row.attempts == 5
    assert row.last_error == "RuntimeError: platform is down"
    report = await bot.say("Ada", "/cop deliveries")
    assert "failed · reminder" in report and "5 attempt(s): RuntimeError: platform is down" in report
    await bot.say("Baraka", "/cop join")
    assert "Only a coordinator" in await bot.say("Baraka", "/cop deliveries")


async def test_an_error_that_retrying_cannot_fix_fails_at_once(bot: ConsoleBot) -> None:
    failures["gone"] = [DeliveryError("user left the workspace", retry=False)]
    await schedule(bot, "gone", after=timedelta(0))
    await bot.wait(timedelta(seconds=1))
    row = await status_of(bot, "gone")
    assert row.status == DeliveryStatus.FAILED and row.attempts == 1


async def test_retry_after_from_the_platform_is_honoured(bot: ConsoleBot) -> None:
    failures["slow down"] = [DeliveryError("429", retry_after=600)]
    await schedule(bot, "slow down", after=timedelta(0))
    await bot.wait(timedelta(seconds=1))
    assert (await status_of(bot, "slow down")).due_at - bot.clock.now() >= timedelta(seconds=600)


async def test_due_while_down_is_sent_if_still_useful_else_skipped_with_a_reason(bot: ConsoleBot) -> None:
    await schedule(bot, "starts in an hour", after=timedelta(hours=1), useful_for=timedelta(minutes=50))
    await schedule(bot, "daily digest", after=timedelta(hours=1), useful_for=timedelta(hours=12))
    bot.clock.advance(timedelta(hours=3))  # the bot was down: nothing drained
    await bot.runtime.scheduler.drain()
    assert sent == ["daily digest"]
    skipped = await status_of(bot, "starts in an hour")
    assert skipped.status == DeliveryStatus.SKIPPED and "too late to be useful: due 2 h before it could run" in skipped.last_error
    assert "skipped · reminder" in await bot.say("Ada", "/cop deliveries")


async def test_a_restart_loses_nothing(database_url: str) -> None:
    sent.clear()
    first = await open_bot(database_url)
    await schedule(first, "survives", after=timedelta(hours=1))
    await first.close()
    second = await open_bot(database_url)
    try:
        await second.wait(timedelta(hours=1))
        assert sent == ["survives"]
    finally:
        await second.close()


async def test_a_claim_whose_process_died_is_taken_again_after_the_lease(bot: ConsoleBot) -> None:
    await schedule(bot, "orphan", after=timedelta(0))
    async with bot.runtime.services.sessions() as db:
        claimed = await deliveries.claim_due(db, bot.clock.now(), limit=10, lease=timedelta(minutes=5))
    assert [d.key for d in claimed] == ["orphan"]  # ...and this process dies before sending
    await bot.wait(timedelta(minutes=4))
    assert sent == []
    await bot.wait(timedelta(minutes=2))
    assert sent == ["orphan"] and (await status_of(bot, "orphan")).attempts == 2


async def test_a_kind_no_routine_handles_is_failed_with_that_reason(bot: ConsoleBot) -> None:
    await schedule(bot, "mystery", after=timedelta(0), kind="retired.routine")
    await bot.wait(timedelta(seconds=1))
    row = await status_of(bot, "mystery")
    assert row.status == DeliveryStatus.FAILED and "no routine handles" in row.last_error


async def test_handlers_schedule_through_the_context_and_unknown_kinds_are_refused(bot: ConsoleBot) -> None:
    async with bot.runtime.services.sessions() as db:
        ctx = Context(bot.runtime.services, db, await communities.by_slug(db, "practice"))
        assert await ctx.schedule("reminder", at=START + timedelta(minutes=5), key="ctx", payload={"text": "via ctx"})
        with pytest.raises(KeyError):
            await ctx.schedule("nobody.handles", at=START, key="x")
        await db.commit()
    await bot.wait(timedelta(minutes=5))
    assert sent == ["via ctx"]
