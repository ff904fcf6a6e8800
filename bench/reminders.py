"""How long the scheduler takes to send a webinar's reminders to many members, each in their own timezone,
through the real routines and the console adapter, on SQLite (or DATABASE_URL).

    python -m bench.reminders [--members 300]

Prints figures; not a test (timing on a busy machine flakes)."""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import tempfile
import time
from datetime import UTC, datetime

from tests.conftest import START
from tests.harness import ConsoleBot

ZONES = ("Africa/Nairobi", "America/Sao_Paulo", "Europe/Lisbon", "Asia/Kolkata", "Pacific/Auckland")


async def main(count: int, url: str) -> None:
    bot = await ConsoleBot.open(url, START)
    try:
        began = time.perf_counter()
        names = [f"Member{n}" for n in range(count)]
        for n, name in enumerate(names):
            await bot.say(name, "/cop join")
            await bot.say(name, f"/cop timezone {ZONES[n % len(ZONES)]}")
        await bot.say("Ada", "/cop webinar add")
        for answer in (
            "Alerting that people trust",
            "skip",
            "skip",
            "2026-03-10 14:00 Africa/Nairobi",
            "60",
            "https://meet.example.org/rtm",
            "skip",
            "skip",
        ):
            await bot.say("Ada", answer)
        card = next(s for s in reversed(bot.adapter.shown) if s.buttons and s.buttons[0].action_id == "webinar.rsvp")
        for name in names:
            bot.adapter.shown.append(card)
            await bot.say(name, "1")
        setup = time.perf_counter() - began
        before = len(bot.lines)
        began = time.perf_counter()
        await bot.wait(datetime(2026, 3, 9, 11, 0, tzinfo=UTC) - bot.clock.now())  # the 24-hour reminders fall due
        drained = time.perf_counter() - began
        sent = sum("In 24 hours" in line for line in bot.lines[before:])
        print(f"members: {count}  (set-up: joins, timezones and RSVPs through the routines: {setup:.1f} s)")
        print(f"24-hour reminders sent: {sent} in {drained:.2f} s = {sent / drained:.0f} reminders/s")
        print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    finally:
        await bot.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{tmp}/bench.db"
        asyncio.run(main(args.members, url))
