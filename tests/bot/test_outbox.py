"""Scheduled deliveries: sent once when due, retried with backoff, failed with the reason, skipped when too late,
and never lost across a restart. Time moves by the clock, never by sleeping."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.context import Context, DeliveryContext
from bot.platform import DeliveryError
from bot.registry import Routine
from flows import all_routines
from storage import communities, deliveries
from storage.models import Delivery, DeliveryStatus
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
    if "takes_minutes" in payload:  # a slow send: the platform keeps us waiting
        assert isinstance(ctx.services.clock, ManualClock)
        ctx.services.clock.advance(timedelta(minutes=payload["takes_minutes"]))
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
            db,
            kind=kw.pop("kind", "reminder"),
            key=key or text,
            due_at=START + after,
            now=bot.clock.now(),
            payload={"text": text} | kw.pop("payload", {}),
            community_id=community.id,
            **kw,
        )
        await db.commit()
    return added


async def status_of(bot: ConsoleBot, key: str) -> Any:
    async with bot.runtime.services.sessions() as db:
        return await deliveries.by_key(db, key)


async def rows_with_key(bot: ConsoleBot, key: str) -> int:
    async with bot.runtime.services.sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(Delivery).where(Delivery.key == key)) or 0)


async def test_a_delivery_is_sent_once_when_due_and_not_before(bot: ConsoleBot) -> None:
    """A minute early nothing happens; at its time it is posted home, and a second drain sends nothing more."""
    await schedule(bot, "webinar at noon", after=timedelta(hours=2))
    assert await bot.wait(timedelta(minutes=119)) == ""
    shown = await bot.wait(timedelta(minutes=1))
    assert "Reminder: webinar at noon" in shown and "#general" in shown
    assert await bot.runtime.outbox.run_due() == 0
    assert sent == ["webinar at noon"]
    row = await status_of(bot, "webinar at noon")
    assert row.status == DeliveryStatus.SENT and row.attempts == 1


async def test_the_same_key_schedules_once_and_replace_moves_it(bot: ConsoleBot) -> None:
    """The idempotency key keeps one row; `replace` moves a pending one, and never revives a sent one."""
    assert await schedule(bot, "r", after=timedelta(hours=1))
    assert not await schedule(bot, "r", after=timedelta(hours=5))
    assert await rows_with_key(bot, "r") == 1 and (await status_of(bot, "r")).due_at == START + timedelta(hours=1)
    assert await schedule(bot, "r", after=timedelta(hours=3), replace=True)
    await bot.wait(timedelta(hours=2))
    assert sent == []
    await bot.wait(timedelta(hours=1))
    assert sent == ["r"]
    assert not await schedule(bot, "r", after=timedelta(hours=9), replace=True), "a sent delivery is not revived"


async def test_a_cancelled_delivery_sends_nothing(bot: ConsoleBot) -> None:
    """Cancelled before its time, it stays cancelled when the time comes."""
    await schedule(bot, "cancel me", after=timedelta(hours=1))
    async with bot.runtime.services.sessions() as db:
        assert await deliveries.cancel(db, "cancel me", bot.clock.now())
        await db.commit()
    await bot.wait(timedelta(hours=2))
    assert sent == [] and (await status_of(bot, "cancel me")).status == DeliveryStatus.CANCELLED


async def test_a_failing_send_is_retried_with_growing_backoff_then_succeeds(bot: ConsoleBot) -> None:
    """Each failure moves due_at further (30 s, then 60 s, with jitter), counts the attempt and keeps the error."""
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
    """After max_attempts it is failed with its error; `/cop deliveries` shows it to Ada, not to a plain member."""
    failures["doomed"] = [RuntimeError("platform is down")] * 10
    await schedule(bot, "doomed", after=timedelta(0))
    for _ in range(bot.runtime.services.settings.max_attempts):
        await bot.wait(timedelta(hours=1))
    row = await status_of(bot, "doomed")
    assert row.status == DeliveryStatus.FAILED and row.attempts == 5
    assert row.last_error == "RuntimeError: platform is down"
    report = await bot.say("Ada", "/cop deliveries")
    assert "failed · reminder" in report and "5 attempts: RuntimeError: platform is down" in report
    await bot.say("Baraka", "/cop join")
    assert "Only a coordinator" in await bot.say("Baraka", "/cop deliveries")


async def test_an_error_that_retrying_cannot_fix_fails_at_once(bot: ConsoleBot) -> None:
    """DeliveryError(retry=False): no second attempt."""
    failures["gone"] = [DeliveryError("user left the workspace", retry=False)]
    await schedule(bot, "gone", after=timedelta(0))
    await bot.wait(timedelta(seconds=1))
    row = await status_of(bot, "gone")
    assert row.status == DeliveryStatus.FAILED and row.attempts == 1


async def test_retry_after_from_the_platform_is_honoured(bot: ConsoleBot) -> None:
    """A platform's Retry-After wins over a shorter backoff."""
    failures["slow down"] = [DeliveryError("429", retry_after=600)]
    await schedule(bot, "slow down", after=timedelta(0))
    await bot.wait(timedelta(seconds=1))
    assert (await status_of(bot, "slow down")).due_at - bot.clock.now() >= timedelta(seconds=600)


async def test_due_while_down_is_sent_if_still_useful_else_skipped_with_a_reason(bot: ConsoleBot) -> None:
    """After downtime, what is still useful is sent; what is not is skipped, with a reason coordinators can read."""
    await schedule(bot, "starts in an hour", after=timedelta(hours=1), useful_for=timedelta(minutes=50))
    await schedule(bot, "daily digest", after=timedelta(hours=1), useful_for=timedelta(hours=12))
    await schedule(bot, "only at its moment", after=timedelta(hours=1), useful_for=timedelta(0))
    bot.clock.advance(timedelta(hours=3))  # the bot was down: nothing drained
    await bot.runtime.scheduler.drain()
    assert sent == ["daily digest"]
    assert (await status_of(bot, "only at its moment")).status == DeliveryStatus.SKIPPED
    skipped = await status_of(bot, "starts in an hour")
    assert (
        skipped.status == DeliveryStatus.SKIPPED
        and "too late to be useful: due 2 h before it could run" in skipped.last_error
    )
    assert "skipped · reminder" in await bot.say("Ada", "/cop deliveries")


async def test_a_claim_takes_at_most_its_limit_oldest_first(bot: ConsoleBot) -> None:
    """The batch size bounds a claim, and what has waited longest goes first."""
    for n in range(30):
        await schedule(bot, f"batch {n}", after=timedelta(minutes=30 - n))
    bot.clock.advance(timedelta(hours=1))
    async with bot.runtime.services.sessions() as db:
        claimed = await deliveries.claim_due(db, bot.clock.now(), limit=7, lease=timedelta(minutes=5))
    assert [d.key for d in claimed] == [f"batch {n}" for n in range(29, 22, -1)]
    assert {d.status for d in claimed} == {DeliveryStatus.CLAIMED} and {d.attempts for d in claimed} == {1}


async def test_a_second_bot_on_the_same_database_sends_nothing_twice(bot: ConsoleBot, database_url: str) -> None:
    """Two bots draining one database (on SQLite, say `serve` and `console` on one file) split the work."""
    other = await open_bot(database_url)
    bot.runtime.outbox.batch = other.runtime.outbox.batch = 5
    try:
        for n in range(40):
            await schedule(bot, f"shared {n}", after=timedelta(0))
        other.clock.advance(timedelta(seconds=1))
        bot.clock.advance(timedelta(seconds=1))
        done = await asyncio.gather(bot.runtime.outbox.run_due(), other.runtime.outbox.run_due())
        assert sum(done) == 40 and sorted(sent) == sorted(f"shared {n}" for n in range(40))
    finally:
        await other.close()


async def test_a_restart_loses_nothing(database_url: str) -> None:
    """A pending delivery outlives the runtime that scheduled it and is sent by the next one."""
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
    """A process claimed and died mid-send: the row waits for its lease to run out, then is sent."""
    await schedule(bot, "orphan", after=timedelta(0))
    async with bot.runtime.services.sessions() as db:
        claimed = await deliveries.claim_due(db, bot.clock.now(), limit=10, lease=timedelta(minutes=5))
    assert [d.key for d in claimed] == ["orphan"]  # ...and this process dies before sending
    await bot.wait(timedelta(minutes=4))
    assert sent == []
    await bot.wait(timedelta(minutes=2))
    assert sent == ["orphan"] and (await status_of(bot, "orphan")).attempts == 2


async def test_a_sender_that_keeps_dying_does_not_hold_a_delivery_forever(bot: ConsoleBot) -> None:
    """Each claim is an attempt, finished or not: after max_attempts claims that never ended, it is failed."""
    await schedule(bot, "poison", after=timedelta(0))
    for _ in range(bot.runtime.services.settings.max_attempts):
        async with bot.runtime.services.sessions() as db:
            assert len(await deliveries.claim_due(db, bot.clock.now(), limit=10, lease=timedelta(minutes=5))) == 1
        bot.clock.advance(timedelta(minutes=6))  # ...and the process dies mid-send, every time
    await bot.wait(timedelta(seconds=1))
    row = await status_of(bot, "poison")
    assert sent == [] and row.status == DeliveryStatus.FAILED
    assert row.last_error == "gave up after 5 attempts; the last one never finished (its process stopped)"


async def test_a_process_that_lost_its_claim_cannot_overwrite_the_outcome(bot: ConsoleBot) -> None:
    """A slow sender whose lease ran out reports late: what the process that took over recorded stands."""
    await schedule(bot, "slow", after=timedelta(0))
    async with bot.runtime.services.sessions() as db:
        [stale] = await deliveries.claim_due(db, bot.clock.now(), limit=10, lease=timedelta(minutes=5))
    await bot.wait(timedelta(minutes=6))  # the lease ran out; this process takes over and sends
    assert sent == ["slow"]
    async with bot.runtime.services.sessions() as db:
        assert not await deliveries.retry_later(db, stale, bot.clock.now(), "Timeout: too slow")
        assert not await deliveries.mark_failed(db, stale, bot.clock.now(), "Timeout: too slow")
        await db.commit()
    row = await status_of(bot, "slow")
    assert row.status == DeliveryStatus.SENT and row.last_error is None
    assert await bot.wait(timedelta(hours=1)) == "" and sent == ["slow"], "a sent delivery is never revived"


async def test_claims_not_started_before_the_lease_ran_out_are_given_back(bot: ConsoleBot) -> None:
    """When slow sends use up a batch's lease, the rest is released, not sent while another process may take it."""
    await schedule(bot, "slow send", after=timedelta(0), payload={"takes_minutes": 6})
    await schedule(bot, "next in line", after=timedelta(seconds=1))
    bot.clock.advance(timedelta(seconds=2))
    await bot.runtime.outbox.run_due()  # one drain: the slow send uses up the batch's lease
    assert sent == ["slow send"] and (await status_of(bot, "slow send")).status == DeliveryStatus.SENT
    waiting = await status_of(bot, "next in line")
    assert waiting.status == DeliveryStatus.PENDING and waiting.attempts == 0 and waiting.lease_until is None
    await bot.wait(timedelta(seconds=1))
    assert sent == ["slow send", "next in line"] and (await status_of(bot, "next in line")).attempts == 1


async def test_retries_keep_the_original_deadline(bot: ConsoleBot) -> None:
    """Backing off moves the next attempt, not the moment after which the delivery stops being useful."""
    failures["starts soon"] = [DeliveryError("blip")]
    failures["rate limited"] = [DeliveryError("429", retry_after=3600)]
    await schedule(bot, "starts soon", after=timedelta(0), useful_for=timedelta(minutes=10))
    await schedule(bot, "rate limited", after=timedelta(0), useful_for=timedelta(minutes=30))
    await bot.wait(timedelta(seconds=1))
    assert (await status_of(bot, "starts soon")).status == DeliveryStatus.PENDING  # retried within its window
    too_late = await status_of(bot, "rate limited")
    assert too_late.status == DeliveryStatus.FAILED and too_late.attempts == 1
    assert too_late.last_error.startswith("DeliveryError: 429 (not retried: the next attempt would come after")
    bot.clock.advance(timedelta(minutes=10, seconds=20))  # the bot was down past the first one's window
    await bot.runtime.scheduler.drain()
    assert sent == [] and (await status_of(bot, "starts soon")).status == DeliveryStatus.SKIPPED


async def test_a_kind_no_routine_handles_is_failed_with_that_reason(bot: ConsoleBot) -> None:
    """A delivery left behind by a retired routine fails visibly instead of being retried forever."""
    await schedule(bot, "mystery", after=timedelta(0), kind="retired.routine")
    await bot.wait(timedelta(seconds=1))
    row = await status_of(bot, "mystery")
    assert row.status == DeliveryStatus.FAILED and "no routine handles" in row.last_error


async def test_handlers_schedule_through_the_context_and_unknown_kinds_are_refused(bot: ConsoleBot) -> None:
    """Context.schedule is the flows' way in, and it refuses a kind no routine could ever handle."""
    async with bot.runtime.services.sessions() as db:
        ctx = DeliveryContext(services=bot.runtime.services, db=db, community=await communities.by_slug(db, "practice"))
        assert await ctx.schedule("reminder", at=START + timedelta(minutes=5), key="ctx", payload={"text": "via ctx"})
        with pytest.raises(KeyError):
            await ctx.schedule("nobody.handles", at=START, key="x")
        await db.commit()
    await bot.wait(timedelta(minutes=5))
    assert sent == ["via ctx"]
