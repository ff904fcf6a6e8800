"""How long linking two accounts and merging two communities take when there is a lot to move, on SQLite (or
DATABASE_URL), against a baseline in the same run: a plain command by the same member.

    python -m bench.merges [--members 500] [--history 2000]

`--members` is each community's size (half of them are in both); `--history` the activity rows of each of the two
accounts linked. Prints figures; not a test (timing on a busy machine flakes)."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import tempfile
import time
from datetime import timedelta

from adapters.console.adapter import ConsoleAdapter
from bot.events import Actor, CommandInvoked, Place
from storage import communities, members
from storage.models import Activity, Identity, Member
from tests.conftest import START
from tests.harness import ConsoleBot
from tests.records import give_everything, shared

CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


async def _timed(bot: ConsoleBot, who: str, line: str) -> tuple[float, str]:
    began = time.perf_counter()
    said = await bot.say(who, line)
    return time.perf_counter() - began, said


async def main(size: int, history: int, url: str) -> None:
    bot = await ConsoleBot.open(url, START)
    # A second platform for Amina's other account: the console's printer standing in for Slack.
    bot.runtime.add_adapter(ConsoleAdapter(write=bot.lines.append, platform="slack"))
    try:
        await bot.say("Amina", "/cop timezone")
        async with bot.runtime.services.sessions() as db:
            practice = await communities.by_slug(db, "practice")
            amina = await members.by_identity(db, "console", "local", "amina")
            assert practice is not None and amina is not None
            # Amina's other account, on Slack, as a member made by an earlier Slack event would be.
            other = Member(display_name="Amina", profile={}, created_at=START, identities=[])
            other.identities.append(Identity(platform="slack", tenant="T1", user_id="U1"))
            db.add(other)
            await db.flush()
            on = await shared(db, practice, START)
            await give_everything(db, amina, on, START, tag="console")
            await give_everything(db, other, on, START + timedelta(hours=1), tag="slack", answer="no")
            for who in (amina, other):
                db.add_all(
                    Activity(community_id=practice.id, member_id=who.id, kind="command", subject="x", at=START, data={})
                    for _ in range(history)
                )
            await db.commit()
        baseline, _said = await _timed(bot, "Amina", "/cop timezone")
        code = CODE.search(await bot.say("Amina", "/cop link"))
        assert code is not None
        # The code was given on the console; the Slack account types it (an event straight to the dispatcher).
        began = time.perf_counter()
        await bot.runtime.dispatcher.handle(
            CommandInvoked(
                actor=Actor("slack", "T1", "U1", "Amina"),
                place=Place("slack", "T1", "D1", direct=True),
                name="link",
                text=code.group(0),
            )
        )
        linked = time.perf_counter() - began
        print(
            f"link two accounts, each with every kind of record and {history} activity rows: {linked * 1000:.0f} ms "
            f"(baseline, /cop timezone by the same member: {baseline * 1000:.0f} ms)"
        )

        await bot.say("Ada", "/cop community create volunteers Volunteer network")
        for n in range(size):
            name = f"Member{n}"
            await bot.say(name, "/cop join", channel="volunteers")
            if n % 2 == 0:  # half of them are in both communities
                bot.sessions[name].channel = "general"
                await bot.say(name, "/cop join")
        await bot.say("Ada", "/cop community merge volunteers into practice")
        merged, said = await _timed(bot, "Ada", "1")
        print(
            f"merge a community of {size} members (and their introductions, reminders, activity) into one where "
            f"{size // 2} of them already are: {merged:.2f} s, {said.count('→ DM to')} members told once each"
        )
    finally:
        await bot.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--history", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{folder}/bench.db"
        asyncio.run(main(args.members, args.history, url))
