"""APScheduler wiring: the outbox is drained on its own once started, and stopping waits for the drain in flight."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.clock import SystemClock
from bot.context import Context
from bot.registry import Routine
from bot.runtime import Runtime
from bot.settings import Settings
from flows import all_routines
from storage import deliveries

wired = Routine("wired")
signals: dict[str, Any] = {}


@wired.delivery("wired.note")
async def note(ctx: Context, payload: dict[str, Any]) -> None:
    if payload.get("hold"):
        await signals["arrived"].put("started")
        await signals["release"].wait()
    await signals["arrived"].put(payload["text"])


async def open_runtime(database_url: str) -> Runtime:
    # Made inside the test's event loop.
    signals.update(arrived=asyncio.Queue(), release=asyncio.Event())
    settings = replace(Settings(database_url=database_url), dispatch_seconds=0.05)
    return await Runtime.open(settings, all_routines() + [wired], clock=SystemClock())


async def add(runtime: Runtime, key: str, **payload: Any) -> None:
    now = datetime.now(UTC)
    async with runtime.services.sessions() as db:
        await deliveries.schedule(db, kind="wired.note", key=key, due_at=now, now=now, payload=payload)
        await db.commit()


async def test_a_started_scheduler_sends_due_deliveries_by_itself(database_url: str) -> None:
    runtime = await open_runtime(database_url)
    arrived = signals["arrived"]
    try:
        await add(runtime, "due-at-start", text="was waiting")  # due before the scheduler starts
        runtime.scheduler.start()
        assert await asyncio.wait_for(arrived.get(), timeout=10) == "was waiting"
        await add(runtime, "due-later", text="arrived later")
        assert await asyncio.wait_for(arrived.get(), timeout=10) == "arrived later"
    finally:
        await runtime.close()


async def test_stopping_waits_for_the_delivery_in_flight(database_url: str) -> None:
    runtime = await open_runtime(database_url)
    arrived, release = signals["arrived"], signals["release"]
    await add(runtime, "slow", text="finished", hold=True)
    runtime.scheduler.start()
    assert await asyncio.wait_for(arrived.get(), timeout=10) == "started"
    stopping = asyncio.create_task(runtime.close())
    await asyncio.sleep(0.2)
    assert not stopping.done(), "close() returned while a delivery was still being sent"
    release.set()
    await asyncio.wait_for(stopping, timeout=10)
    assert arrived.get_nowait() == "finished"
    again = await open_runtime(database_url)
    async with again.services.sessions() as db:
        row = await deliveries.by_key(db, "slow")
    await again.close()
    assert row is not None and row.status == "sent"
