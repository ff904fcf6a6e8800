"""Yammer's limits: a burst within the shared request budget, restarts, and a token that stops working."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from adapters.yammer.client import BACKOFF_SECONDS
from bot.server import build_app
from storage.models import Delivery, OutboundMessage, YammerFeed
from tests.adapters.yammer.fake_yammer import FakeYammer
from tests.adapters.yammer.harness import AMINA, BARAKA, GROUP, WINDOW, YammerBot


async def test_a_burst_of_30_commands_is_answered_completely_within_the_rate_limit(yammer: YammerBot) -> None:
    posts = [
        yammer.fake.post((AMINA, BARAKA)[n % 2], "/cop help" if n % 3 else "/cop community", GROUP) for n in range(30)
    ]
    await yammer.adapter.start()  # the adapter's own loop, polling every 0.05 s
    await yammer.until(lambda: all(yammer.fake.texts(thread=p) for p in posts))
    assert [len(yammer.fake.texts(thread=p)) for p in posts] == [1] * 30  # each answered once, none lost to a 429
    assert len(yammer.fake.requests) >= 33  # the replies, and the polls that found the posts in pages of 20


async def test_a_429_is_waited_out_and_the_reply_still_goes(yammer: YammerBot) -> None:
    yammer.fake.limit = 1  # the window is spent by the poll itself: the reply meets a 429 first
    post = yammer.fake.post(AMINA, "/cop help", GROUP)
    await yammer.poll()
    assert yammer.fake.refused[429] >= 1
    assert len(yammer.fake.texts(thread=post)) == 1


async def test_a_message_that_meets_only_429s_waits_in_the_database_and_goes_later(yammer: YammerBot) -> None:
    yammer.fake.post(BARAKA, "/cop join", GROUP)  # schedules a reminder to introduce himself, three days on
    await yammer.poll()
    yammer.fake.limit = 0  # Yammer answers nothing but 429 for a while
    yammer.clock.advance(timedelta(days=3, minutes=1))
    await yammer.runtime.settle()
    async with yammer.runtime.services.sessions() as db:
        (nudge,) = (
            await db.scalars(select(Delivery).where(Delivery.kind == "intro.nudge").order_by(Delivery.due_at))
        ).all()[:1]
        assert nudge.status == "sent", "the routine ran; only its message waits"
        (waiting,) = (
            await db.scalars(select(OutboundMessage).where(OutboundMessage.origin == "delivery:intro.nudge"))
        ).all()
        assert waiting.status == "pending" and waiting.attempts >= 1 and "429" in (waiting.error or "")
    assert not any("gentle reminder" in t for t in yammer.fake.texts(to=BARAKA))

    yammer.fake.limit = 10
    await yammer.runtime.settle(patience=10.0)
    assert sum("gentle reminder" in t for t in yammer.fake.texts(to=BARAKA)) == 1


async def test_a_restart_between_polls_neither_repeats_nor_drops_a_reply(
    yammer: YammerBot, database_url: str, tmp_path: Path
) -> None:
    first = yammer.fake.post(AMINA, "/cop help", GROUP)
    await yammer.poll()
    await yammer.close(fake_too=False)
    second = yammer.fake.post(BARAKA, "/cop community", GROUP)  # said while the bot was down

    again = await YammerBot.open(database_url, tmp_path, yammer.fake, clock=yammer.clock)
    try:
        async with again.runtime.services.sessions() as db:
            # As if the process had stopped after answering `first` but before moving the cursor past it.
            row = await db.get(YammerFeed, f"group:{GROUP}")
            assert row is not None and row.last_seen_id == first
            row.last_seen_id = first - 1
            await db.commit()
        await again.poll()
        assert len(yammer.fake.texts(thread=first)) == 1
        assert len(yammer.fake.texts(thread=second)) == 1
    finally:
        await again.close(fake_too=False)


async def test_stopping_mid_burst_finishes_the_message_in_hand_and_the_next_start_answers_the_rest(
    yammer: YammerBot, database_url: str, tmp_path: Path
) -> None:
    posts = [yammer.fake.post(AMINA, "/cop help", GROUP) for _ in range(12)]
    await yammer.adapter.start()
    await yammer.until(lambda: any(yammer.fake.texts(thread=p) for p in posts))
    await yammer.close(fake_too=False)
    again = await YammerBot.open(database_url, tmp_path, yammer.fake, clock=yammer.clock)
    try:
        await again.poll()
        assert [len(yammer.fake.texts(thread=p)) for p in posts] == [1] * 12
    finally:
        await again.close(fake_too=False)


async def test_an_expired_token_is_reported_once_and_shown_and_recovers(
    yammer: YammerBot, caplog: pytest.LogCaptureFixture
) -> None:
    client = TestClient(TestServer(build_app(yammer.runtime)))
    await client.start_server()
    try:
        yammer.fake.tokens = {"tok-2"}  # the token was revoked; a new one was issued
        post = yammer.fake.post(AMINA, "/cop help", GROUP)
        with caplog.at_level(logging.ERROR, logger="adapters.yammer"):
            for _ in range(3):
                await yammer.adapter.poller.run_round()
        rejected = [r for r in caplog.records if "YAMMER_ACCESS_TOKEN" in r.getMessage()]
        assert len(rejected) == 1 and "401" in rejected[0].getMessage()
        health = await (await client.get("/healthz")).json()
        assert health["status"] == "degraded" and "401" in health["problems"]["yammer"]

        yammer.fake.tokens.add("tok-1")  # the operator renewed the app's access
        await yammer.adapter.poller.run_round()
        await yammer.runtime.settle(patience=5.0)
        assert len(yammer.fake.texts(thread=post)) == 1  # what was said meanwhile is answered, once
        health = await (await client.get("/healthz")).json()
        assert health["status"] == "ok" and "problems" not in health
    finally:
        await client.close()


async def test_a_replaced_token_takes_effect_at_restart(yammer: YammerBot, database_url: str, tmp_path: Path) -> None:
    yammer.fake.tokens = {"tok-2"}
    post = yammer.fake.post(AMINA, "/cop help", GROUP)
    await yammer.adapter.poller.run_round()
    assert yammer.adapter.problem() is not None
    await yammer.close(fake_too=False)
    again = await YammerBot.open(database_url, tmp_path, yammer.fake, token="tok-2", clock=yammer.clock)
    try:
        await again.poll()
        assert again.adapter.problem() is None
        assert len(yammer.fake.texts(thread=post)) == 1
    finally:
        await again.close(fake_too=False)


async def test_a_group_the_bot_cannot_read_is_reported_and_the_others_still_work(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await YammerBot.open(database_url, tmp_path, groups=("99", str(GROUP)))
    try:
        await bot.poll()
        post = bot.fake.post(AMINA, "/cop help", GROUP)
        with caplog.at_level(logging.WARNING, logger="adapters.yammer"):
            await bot.poll()
            await bot.poll()
        assert len(bot.fake.texts(thread=post)) == 1
        assert sum("Yammer's group 99 failed" in r.getMessage() for r in caplog.records) == 1  # when it starts failing
        problem = bot.adapter.problem()
        assert problem is not None and "group 99" in problem and "404" in problem
    finally:
        await bot.close()


async def test_a_member_list_answering_500_never_holds_up_commands(database_url: str, tmp_path: Path) -> None:
    """With the production back-off (2 s, doubled), retrying the list inside the round took 2+4+8 s before anyone's
    command was read. Now a round reads it once, and a failing list rests for 1, 2, 4 … rounds."""
    bot = await YammerBot.open(database_url, tmp_path)
    bot.adapter.client.backoff = BACKOFF_SECONDS
    members = f"users/in_group/{GROUP}.json"
    bot.fake.failing[members] = 500
    try:
        started = time.monotonic()
        await bot.poll()
        first_round = time.monotonic() - started
        post = bot.fake.post(AMINA, "/cop help", GROUP)
        started = time.monotonic()
        await bot.poll()
        answered_after = time.monotonic() - started
        assert len(bot.fake.texts(thread=post)) == 1
        assert first_round < 1.5 and answered_after < 1.5, (first_round, answered_after)
        print(f"\nYammer rounds with a member list answering 500: {first_round:.2f} s, then {answered_after:.2f} s")
        for _ in range(4):
            await bot.poll()
        asked = [path for _method, path in bot.fake.requests if path == members]
        assert len(asked) == 3, "rounds 1, 3 and 6 asked; 2, 4 and 5 rested"
        problem = bot.adapter.problem()
        assert problem is not None and f"members of group {GROUP}" in problem and "500" in problem
        del bot.fake.failing[members]
        for _ in range(5):
            await bot.poll()
        assert bot.adapter.problem() is None, "the list is read again once it answers"
    finally:
        await bot.close()


async def test_a_group_feed_answering_500_does_not_hold_up_the_others(database_url: str, tmp_path: Path) -> None:
    fake = FakeYammer(window=WINDOW)
    fake.users.update({AMINA: "Amina Wanjiru"})
    fake.groups.update({GROUP: {AMINA}, 6: {AMINA}})
    await fake.start()
    bot = await YammerBot.open(database_url, tmp_path, fake, groups=("6", str(GROUP)))
    bot.adapter.client.backoff = BACKOFF_SECONDS
    try:
        await bot.poll()
        fake.failing["messages/in_group/6.json"] = 500
        post = fake.post(AMINA, "/cop help", GROUP)
        started = time.monotonic()
        await bot.poll()
        assert time.monotonic() - started < 1.5 and len(fake.texts(thread=post)) == 1
        problem = bot.adapter.problem()
        assert problem is not None and "group 6" in problem
    finally:
        await bot.close()


async def test_stopping_while_the_poller_rests_ends_it_without_waiting_out_the_interval(yammer: YammerBot) -> None:
    yammer.adapter.poll_seconds = 3600.0  # idle between rounds, as in production (every 60 s or more)
    await yammer.adapter.start()
    seen = -1
    while seen != len(yammer.fake.requests):  # the first round is over when Yammer hears nothing more
        seen = len(yammer.fake.requests)
        await asyncio.sleep(0.5)
    poller = yammer.adapter._task
    assert poller is not None and not poller.done()
    await yammer.adapter.close()
    assert poller.done() and not poller.cancelled(), "the rest was cut short by the stop, not by cancelling the poller"
