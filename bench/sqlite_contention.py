"""SQLite under a throttled fan-out: do other commands still answer promptly?

    python -m bench.sqlite_contention [--dms 200] [--rate 10] [--clients 10] [--runs 3]

`cultivate serve` runs on SQLite against a fake Slack in its own process that allows `--rate` chat.postMessage
calls a second over the workspace and one a second per channel, answering 429 with Retry-After beyond that (as
Slack does). `--dms` DMs are queued (written into the outbound queue by this process, as another replica would),
and while they drain `--clients` members send `/cop who <topic>` one after another. Each command's answer time is
from sending it to its answer reaching the fake. Baseline in the same run: the same probe with nothing draining.
Prints p50/p99/max answer and ack times, how many commands got no answer within 10 s, the ratio of p99 during the
fan-out to idle, and whether p99 stays under 500 ms with none timing out. Three runs; min / median / max."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.command_cost import CHANNELS, TOPICS, seed, signed_in
from bench.command_latency import Server
from bench.slack_limits import FakeProcess
from bot.clock import wall
from bot.messages import say
from bot.serialize import message_to_json
from storage import outbound
from storage.db import create_engine, session_factory

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 10.0


async def queue_dms(url: str, count: int, tag: str) -> None:
    engine = create_engine(url)
    async with session_factory(engine)() as db:
        for n in range(count):
            user = f"UF{tag}{n}"
            outbound.queue(
                db,
                community_id=None,
                platform="slack",
                tenant="T1",
                channel=None,
                to_user=user,
                direct=True,
                thread=None,
                replaces=None,
                only_for=None,
                private=False,
                message=message_to_json(say(f"Reminder {n}: the webinar starts in 24 hours.")),
                lane=f"slack:T1:dm:{user}",
                priority=1,
                not_before=wall(),
                origin="bench:fan-out",
                created_at=wall(),
            )
        await db.commit()
    await engine.dispose()


async def probe(
    url: str, fake: FakeProcess, clients: int, seconds: float, tag: str
) -> tuple[list[float], list[float], int]:
    """(answer times, ack times, commands unanswered) of `clients` members sending /cop who for `seconds`."""
    sent: dict[str, list[float]] = {}
    acks: list[float] = []
    deadline = time.monotonic() + seconds
    seen: dict[str, list[float]] = {}
    done = asyncio.Event()

    async def watch() -> None:  # one poller for all clients, so the fake is not the busiest process
        while not done.is_set():
            seen.update(await fake.answers())
            await asyncio.sleep(0.05)

    watcher = asyncio.create_task(watch())
    async with aiohttp.ClientSession() as session:

        async def client(n: int) -> None:
            user, i = f"U{tag}{n}", 0
            while time.monotonic() < deadline:
                body, headers = signed_in(f"who {TOPICS[(n + i) % len(TOPICS)]}", user, f"C{n % CHANNELS}")
                started = time.monotonic()
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                acks.append(time.monotonic() - started)
                sent.setdefault(user, []).append(started)
                # The next command once this one is answered (as a member does), or after TIMEOUT.
                while time.monotonic() < started + TIMEOUT:
                    if len(seen.get(user, ())) >= len(sent[user]):
                        break
                    await asyncio.sleep(0.02)
                i += 1

        await asyncio.gather(*(client(n) for n in range(clients)))
    done.set()
    await watcher
    await asyncio.sleep(1.0)
    answers = await fake.answers()
    times, missing = [], 0
    for user, starts in sent.items():
        got = answers.get(user, [])
        for k, started in enumerate(starts):
            if k < len(got) and got[k] - started <= TIMEOUT:
                times.append(got[k] - started)
            else:
                missing += 1
    return times, acks, missing


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def spread(values: list[float]) -> str:
    return f"{min(values):.0f} / {statistics.median(values):.0f} / {max(values):.0f}"


async def main(args: argparse.Namespace) -> None:
    rows: dict[str, list[float]] = {}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        await seed(url, 1000)
        async with FakeProcess(workspace_rate=args.rate, per_channel=1.0) as fake:
            with Server(ROOT, url, fake.api) as server:
                await server.ready()
                events = f"http://127.0.0.1:{server.port}/slack/events"
                await probe(events, fake, args.clients, 2.0, "warm")  # first sight of each member, not measured
                drain = args.dms / args.rate
                for run in range(args.runs):
                    await fake.reset()
                    idle, idle_acks, idle_missing = await probe(events, fake, args.clients, drain / 2, f"i{run}")
                    await fake.reset()
                    await queue_dms(url, args.dms, str(run))
                    began = time.monotonic()
                    busy, busy_acks, busy_missing = await probe(events, fake, args.clients, drain, f"b{run}")
                    while (await fake.counts()).get("chat.postMessage", 0) < args.dms:  # noqa: ASYNC110 - polls the fake
                        await asyncio.sleep(0.2)
                    drained = time.monotonic() - began
                    throttled = (await fake.counts()).get("429", 0)
                    for key, value in {
                        "idle p50": p(idle, 0.5),
                        "idle p99": p(idle, 0.99),
                        "idle ack p99": p(idle_acks, 0.99),
                        "idle unanswered": idle_missing,
                        "fan-out p50": p(busy, 0.5),
                        "fan-out p99": p(busy, 0.99),
                        "fan-out max": p(busy, 1.0),
                        "fan-out ack p99": p(busy_acks, 0.99),
                        "fan-out unanswered": busy_missing,
                        "commands during fan-out": len(busy) + busy_missing,
                        "p99 ratio to idle": p(busy, 0.99) / p(idle, 0.99) * 1000,
                        "drain s": drained * 1000,
                        "429 answers": throttled,
                    }.items():
                        rows.setdefault(key, []).append(value)
    print(
        f"SQLite, {args.dms} DMs at {args.rate:.0f}/s per workspace and 1/s per channel, {args.clients} members "
        f"sending /cop who, {args.runs} runs (min / median / max); load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs"
    )
    for key, values in rows.items():
        if key == "p99 ratio to idle":
            low, mid, high = min(values) / 1000, statistics.median(values) / 1000, max(values) / 1000
            print(f"  {key:26} {low:.2f} / {mid:.2f} / {high:.2f}")
        elif key == "drain s":
            print(f"  {key:26} {spread([v / 1000 for v in values])}   (the limits allow {args.dms / args.rate:.0f})")
        else:
            print(f"  {key:26} {spread(values)}{' ms' if 'p' in key.split()[-1][:1] or 'max' in key else ''}")
    p99, missing = statistics.median(rows["fan-out p99"]), max(rows["fan-out unanswered"])
    verdict = "yes" if p99 < 500 and missing == 0 else "no"
    print(f"p99 under 500 ms during the fan-out and none timed out: {verdict}", end=" ")
    print(f"({p99:.0f} ms median, {missing:.0f} unanswered at worst)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dms", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0, help="chat.postMessage calls a second per workspace")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    asyncio.run(main(parser.parse_args()))
