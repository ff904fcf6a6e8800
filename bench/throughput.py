"""How fast the core routes commands and drains the outbox, on SQLite (or DATABASE_URL).

    python -m bench.throughput [--commands 2000] [--deliveries 2000]

Prints figures and ratios; not a test (timing on a busy machine flakes)."""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.clock import ManualClock
from bot.context import Context
from bot.events import Actor, CommandInvoked, Place
from bot.registry import Routine
from bot.runtime import Runtime
from bot.settings import Settings
from flows import all_routines
from storage import deliveries
from tests.fakes import RecordingAdapter

bench = Routine("bench")
delivered: list[int] = []


@bench.delivery("bench.ping")
async def ping(ctx: Context, payload: dict[str, Any]) -> None:
    delivered.append(payload["n"])


async def main(commands: int, count: int, url: str) -> None:
    clock = ManualClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    runtime = await Runtime.open(Settings(database_url=url), all_routines() + [bench], clock=clock)
    adapter = RecordingAdapter()
    runtime.add_adapter(adapter)
    place = Place("fake", "T", "C")
    actors = [Actor("fake", "T", f"U{i}", f"Member {i}") for i in range(50)]
    for actor in actors:
        await runtime.dispatcher.handle(CommandInvoked(actor=actor, place=place, name="join", text="practice"))

    started = time.perf_counter()
    for i in range(commands):
        await runtime.dispatcher.handle(
            CommandInvoked(actor=actors[i % len(actors)], place=place, name="community", event_id=f"E{i}")
        )
    routed = time.perf_counter() - started

    async with runtime.services.sessions() as db:
        for n in range(count):
            await deliveries.schedule(
                db, kind="bench.ping", key=f"ping:{n}", due_at=clock.now(), now=clock.now(), payload={"n": n}
            )
        await db.commit()
    clock.advance(timedelta(seconds=1))
    started = time.perf_counter()
    drained = await runtime.outbox.run_due()
    drain = time.perf_counter() - started
    await runtime.close()

    assert drained == count and sorted(delivered) == list(range(count))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {url.split(':')[0]}")
    print(
        f"commands routed: {commands} in {routed:.2f}s = {commands / routed:.0f}/s "
        f"({routed / commands * 1000:.2f} ms each)"
    )
    print(f"deliveries drained: {count} in {drain:.2f}s = {count / drain:.0f}/s ({drain / count * 1000:.2f} ms each)")
    print(f"peak RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--commands", type=int, default=2000)
    parser.add_argument("--deliveries", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{tmp}/bench.db"
        asyncio.run(main(args.commands, args.deliveries, url))
