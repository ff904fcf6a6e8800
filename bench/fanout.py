"""Fan-out: queueing a DM to each of N members, then sending them, beside a bare sender in the same run.

    python -m bench.fanout [--members 5000] [--runs 3] [--limited 600] [--postgres URL] [--sqlite-only]

Per database (SQLite, then a throwaway PostgreSQL database made beside the URL given):
- queue: a delivery's context DMs every member (as a routine's fan-out does) and commits: the time to queue them all;
- drain: the sender sends them against a fake Slack that never throttles (in its own process, so its CPU is not
  ours): DMs a second and our CPU per message, beside a bare sender (the same Slack client, the same number of
  requests in flight, no database) posting the same number of messages in the same run;
- limits (`--limited` DMs, 0 to skip): against a fake with Slack-like limits (a workspace-wide rate and one message a
  second per channel, answered with 429 and Retry-After), the drain time beside what the limits allow.
Three runs each; min / median / max."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp
from sqlalchemy import insert

from adapters.slack.app import SlackAdapter
from adapters.slack.sender import web_client
from bench.slack_limits import FakeProcess
from bot.context import DeliveryContext
from bot.messages import Fact, Message, Section
from bot.runtime import Runtime
from bot.sender import IN_FLIGHT, Sender
from bot.settings import Settings
from flows import all_routines
from storage import communities, members, outbound
from storage.models import Identity, Member, Membership
from tests.conftest import START

TARGET_QUEUE_S = 2.0
TARGET_RATE = 1000.0
WORKSPACE_RATE = 50.0  # the limited fake's messages a second over the workspace


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    return f"{fmt.format(min(values))} / {fmt.format(statistics.median(values))} / {fmt.format(max(values))}"


async def seed(runtime: Runtime, count: int, first: int) -> tuple[int, list[int]]:
    """`count` members with a Slack identity each, in one community."""
    async with runtime.services.sessions() as db:
        community = await communities.create(db, f"fan{first}", "Fan-out", timezone="UTC", language="en", now=START)
        await db.commit()
        community_id = community.id
    ids: list[int] = []
    for start in range(first, first + count, 2000):
        n = min(2000, first + count - start)
        async with runtime.services.sessions() as db:
            people = [{"display_name": f"Member {start + i}", "created_at": START, "profile": {}} for i in range(n)]
            chunk = list((await db.scalars(insert(Member).values(people).returning(Member.id))).all())
            await db.execute(
                insert(Identity).values(
                    [
                        {"member_id": m, "platform": "slack", "tenant": "T1", "user_id": f"U{start + i}"}
                        for i, m in enumerate(chunk)
                    ]
                )
            )
            await db.execute(
                insert(Membership).values(
                    [{"community_id": community_id, "member_id": m, "joined_at": START} for m in chunk]
                )
            )
            await db.commit()
            ids += chunk
    return community_id, ids


def reminder(name: str) -> Message:
    """About what a webinar reminder holds, composed per member."""
    return Message(
        f"Hi {name}: “Alerting that people trust” starts in 24 hours.",
        sections=(Section(facts=(Fact("When", "Tue 10 Mar 2026, 14:00 (Africa/Nairobi)"), Fact("Where", "meet"))),),
        footer="Reply “/cop webinar no 1” if you cannot come.",
    )


async def queue(runtime: Runtime, community_id: int, ids: list[int], repeat: int = 1) -> float:
    """A fan-out: load the members, DM each, commit. Returns the seconds it took."""
    services = runtime.services
    began = time.perf_counter()
    async with services.sessions() as db:
        community = await communities.by_id(db, community_id)
        people = await members.by_ids(db, ids)
        ctx = DeliveryContext(
            services=services, db=db, community=community, kind="bench", key="bench", origin="delivery:bench"
        )
        for member in people.values():
            for _ in range(repeat):
                await ctx.dm(member, reminder(member.display_name))
        await db.commit()
    return time.perf_counter() - began


async def drain(runtime: Runtime, count: int) -> tuple[float, float]:
    """Start the sender and wait until the queue is empty: (seconds, CPU seconds of this process)."""
    sender = Sender(runtime.services)
    began, cpu = time.perf_counter(), time.process_time()
    sender.start()
    runtime.services.queued.set()
    try:
        while True:
            await asyncio.sleep(0.05)
            async with runtime.services.sessions() as db:
                if not await outbound.waiting(db):
                    break
        return time.perf_counter() - began, time.process_time() - cpu
    finally:
        await sender.stop(5)


async def bare(api: str, count: int) -> tuple[float, float]:
    """A bare sender: the same Slack client, IN_FLIGHT requests at once, no database."""
    async with aiohttp.ClientSession() as session:
        client = web_client("xoxb-bench", api, session)
        todo = iter(range(count))

        async def worker() -> None:
            for n in todo:
                await client.chat_postMessage(channel=f"U{n}", text=reminder(f"Member {n}").text)

        began, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
        return time.perf_counter() - began, time.process_time() - cpu


async def open_runtime(url: str, api: str) -> Runtime:
    settings = Settings(database_url=url, slack_bot_token="xoxb-bench", slack_signing_secret="s", slack_api_url=api)
    runtime = await Runtime.open(settings, all_routines())
    runtime.add_adapter(SlackAdapter(runtime.host, channel_interval=0.0))
    return runtime


async def bench(url: str, label: str, count: int, runs: int, limited: int) -> None:
    print(f"\n== {label}: {count:,} DMs, {runs} runs; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    rows: dict[str, list[float]] = {k: [] for k in ("queue", "rate", "cpu", "bare", "bare_cpu", "ratio")}
    async with FakeProcess() as fake:
        runtime = await open_runtime(url, fake.api)
        try:
            for run in range(runs):
                community_id, ids = await seed(runtime, count, run * count)
                rows["queue"].append(await queue(runtime, community_id, ids))
                seconds, cpu = await drain(runtime, count)
                bare_seconds, bare_cpu = await bare(fake.api, count)
                rows["rate"].append(count / seconds)
                rows["cpu"].append(cpu / count * 1000)
                rows["bare"].append(count / bare_seconds)
                rows["bare_cpu"].append(bare_cpu / count * 1000)
                rows["ratio"].append(rows["rate"][-1] / rows["bare"][-1])
                sent = (await fake.counts())["ok"]
                await fake.reset()
                if sent != 2 * count:
                    print(f"  run {run + 1}: the fake accepted {sent} messages, expected {2 * count}")
        finally:
            await runtime.close()
    print(f"  queued in (s)           {spread(rows['queue'])}   target < {TARGET_QUEUE_S:.0f} s")
    print(f"  sent per second         {spread(rows['rate'], '{:.0f}')}   target ≥ {TARGET_RATE:.0f}")
    print(f"  bare sender per second  {spread(rows['bare'], '{:.0f}')}")
    print(f"  ratio to bare           {spread(rows['ratio'])}   target ≥ 0.5")
    print(f"  our CPU per message, ms {spread(rows['cpu'])}   (bare {spread(rows['bare_cpu'])})   target < 1 ms")
    if limited:
        await under_limits(url, limited, runs)


async def under_limits(url: str, count: int, runs: int) -> None:
    """DMs to `count` members plus ten in a row to one member, against Slack-like limits."""
    took: list[float] = []
    async with FakeProcess(workspace_rate=WORKSPACE_RATE, per_channel=1.0) as fake:
        runtime = await open_runtime(url, fake.api)
        try:
            for run in range(runs):
                community_id, ids = await seed(runtime, count, 1_000_000 + run * count)
                await queue(runtime, community_id, ids)
                await queue(runtime, community_id, ids[:1], repeat=9)
                seconds, _cpu = await drain(runtime, count)
                took.append(seconds)
                await fake.reset()
        finally:
            await runtime.close()
    allowed = max((count + 9) / WORKSPACE_RATE, 9.0)  # ten to one member take nine seconds at one a second
    ratios = [allowed / t for t in took]
    print(
        f"  under Slack-like limits ({WORKSPACE_RATE:.0f}/s per workspace, 1/s per channel): {count} DMs + 9 more to "
        f"one member drained in {spread(took)} s; the limits allow {allowed:.1f} s (ratio {spread(ratios)})"
    )


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        await bench(f"sqlite+aiosqlite:///{Path(folder) / 'fan.db'}", "SQLite", args.members, args.runs, args.limited)
    postgres = args.postgres or os.environ.get("CULTIVATE_TEST_DATABASE_URL")
    if args.sqlite_only or not postgres:
        print("\n(PostgreSQL skipped: pass --postgres URL)")
        return
    os.environ["CULTIVATE_TEST_DATABASE_URL"] = postgres
    from tests.databases import new_postgres_database  # reads the URL when imported: after setting it

    async with new_postgres_database() as url:
        await bench(url, "PostgreSQL", args.members, args.runs, args.limited)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limited", type=int, default=600, help="DMs against Slack-like limits (0: skip)")
    parser.add_argument("--postgres", help="a PostgreSQL URL; a throwaway database is made beside it")
    parser.add_argument("--sqlite-only", action="store_true")
    asyncio.run(main(parser.parse_args()))
