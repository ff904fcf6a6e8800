"""What one completed command costs: a signed `/cop who <topic>` answered in full, beside a bare slack-bolt handler
doing one comparable query, in the same run.

    python -m bench.command_cost [--commands 300] [--runs 3] [--members 1000]

Both apps run in their own processes against the same SQLite file (1,000 members with directory entries, in one
community with 50 Slack channels) and a fake Slack Web API in a third process; the clients run here. Cultivate runs
as `cultivate serve`; the bare app acks, runs one query (members whose expertise mentions the topic, with their
names, six at most) and answers with chat.postEphemeral. For each: the CPU the server process spent per answered
command (from /proc, at 10 concurrent clients over 50 channels), and ack p50/p99 at 1, 10 and 50 concurrent
clients. Prints the ratio of Cultivate's CPU per command to the bare handler's (target ≤ 3) and whether the p99
ack at 50 concurrent stays under 100 ms. Three runs; min / median / max."""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import insert, text

from adapters.slack.sender import web_client
from bench.command_latency import Server
from bench.slack_ack import SECRET
from bench.slack_limits import FakeProcess
from storage import communities, migrate
from storage.db import create_engine, session_factory
from storage.models import DirectoryEntry, Identity, Member, Membership
from tests.conftest import START

ROOT = Path(__file__).resolve().parent.parent
TOPICS = ("dashboards", "alerting", "grafana", "tracing", "logs", "oncall", "kafka", "postgres")
CHANNELS = 50
TICKS = os.sysconf("SC_CLK_TCK")
BARE_QUERY = text(
    "SELECT member.display_name, directory_entry.expertise FROM directory_entry "
    "JOIN member ON member.id = directory_entry.member_id "
    "WHERE directory_entry.expertise LIKE :topic ORDER BY member.display_name LIMIT 6"
)


async def seed(url: str, count: int) -> None:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    sessions = session_factory(engine)
    async with sessions() as db:
        community = await communities.create(db, "bench", "Bench", timezone="UTC", language="en", now=START)
        for n in range(CHANNELS):
            await communities.add_channel(db, community, "slack", "T1", f"C{n}")
        people = [{"display_name": f"Member {n}", "created_at": START, "profile": {}} for n in range(count)]
        ids = list((await db.scalars(insert(Member).values(people).returning(Member.id))).all())
        await db.execute(
            insert(Identity).values(
                [{"member_id": m, "platform": "slack", "tenant": "T1", "user_id": f"UM{n}"} for n, m in enumerate(ids)]
            )
        )
        await db.execute(
            insert(Membership).values([{"community_id": community.id, "member_id": m, "joined_at": START} for m in ids])
        )
        await db.execute(
            insert(DirectoryEntry).values(
                [
                    {
                        "community_id": community.id,
                        "member_id": m,
                        "expertise": f"{TOPICS[n % len(TOPICS)]}, {TOPICS[(n * 3 + 1) % len(TOPICS)]} at scale",
                        "offer": "a review of your setup",
                        "learn": "capacity planning",
                        "updated_at": START,
                    }
                    for n, m in enumerate(ids)
                ]
            )
        )
        await db.commit()
    await engine.dispose()


def _bare(api: str, url: str, ports: Any) -> None:
    """A bare slack-bolt app: ack, one query, one chat.postEphemeral."""
    logging.disable(logging.WARNING)

    async def run() -> None:
        session = aiohttp.ClientSession()
        client = web_client("xoxb-bench", api, session)
        engine = create_engine(url)
        bolt = AsyncApp(client=client, signing_secret=SECRET, process_before_response=False)

        @bolt.command("/cop")
        async def who(ack: Any, command: dict[str, Any]) -> None:
            await ack()
            topic = command["text"].removeprefix("who ").strip()
            async with engine.connect() as conn:
                rows = (await conn.execute(BARE_QUERY, {"topic": f"%{topic}%"})).all()
            lines = "\n".join(f"- *{name}* — knows {expertise}" for name, expertise in rows)
            await client.chat_postEphemeral(
                channel=command["channel_id"], user=command["user_id"], text=f"Members who know about {topic}:\n{lines}"
            )

        async def handle(request: web.Request) -> web.Response:
            return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

        app = web.Application()
        app.router.add_post("/slack/events", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        ports.put(f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events")
        await asyncio.Event().wait()

    asyncio.run(run())


def signed_in(command: str, user: str, channel: str) -> tuple[bytes, dict[str, str]]:
    body = urlencode(
        {
            "team_id": "T1",
            "user_id": user,
            "user_name": user,
            "channel_id": channel,
            "command": "/cop",
            "text": command,
            "trigger_id": uuid.uuid4().hex,
        }
    )
    stamp = str(int(time.time()))
    return body.encode(), {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body) or "",
    }


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


async def load(url: str, clients: int, per_client: int, tag: str) -> list[float]:
    """Ack latencies (s) of `clients` members each sending `per_client` `/cop who` one after another."""
    acks: list[float] = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients)) as session:

        async def client(n: int) -> None:
            for i in range(per_client):
                body, headers = signed_in(f"who {TOPICS[(n + i) % len(TOPICS)]}", f"U{tag}{n}", f"C{n % CHANNELS}")
                started = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    assert response.status == 200, response.status
                acks.append(time.perf_counter() - started)

        await asyncio.gather(*(client(n) for n in range(clients)))
    return acks


async def answered(fake: FakeProcess, want: int, patience: float = 120.0) -> bool:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if (await fake.counts()).get("chat.postEphemeral", 0) >= want:
            return True
        await asyncio.sleep(0.05)
    return False


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def measure(url: str, pid: int, fake: FakeProcess, commands: int, tag: str) -> dict[str, float]:
    figures: dict[str, float] = {}
    await load(url, 50, 1, tag)  # every client seen once (first sight, profile), not measured
    await answered(fake, 50)
    for clients in (1, 10, 50):
        await fake.reset()
        per_client = max(1, commands // clients)
        cpu = cpu_seconds(pid)
        acks = await load(url, clients, per_client, tag)
        if not await answered(fake, clients * per_client):
            print(f"  ({tag}: not every command was answered at {clients} clients)")
        figures[f"p50@{clients}"], figures[f"p99@{clients}"] = p(acks, 0.5), p(acks, 0.99)
        if clients == 10:
            figures["cpu_ms"] = (cpu_seconds(pid) - cpu) / (clients * per_client) * 1000
    return figures


def spread(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


async def main(args: argparse.Namespace) -> None:
    runs: list[tuple[dict[str, float], dict[str, float]]] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        db_url = f"sqlite+aiosqlite:///{folder}/bench.db"
        await seed(db_url, args.members)
        async with FakeProcess() as fake:
            context = multiprocessing.get_context("spawn")
            ports = context.Queue()
            bare = context.Process(target=_bare, args=(fake.api, db_url, ports), daemon=True)
            bare.start()
            bare_url = ports.get(timeout=60)
            with Server(ROOT, db_url, fake.api) as ours:
                await ours.ready()
                ours_url = f"http://127.0.0.1:{ours.port}/slack/events"
                assert ours.proc is not None and bare.pid is not None
                for run in range(args.runs):
                    mine = await measure(ours_url, ours.proc.pid, fake, args.commands, f"o{run}")
                    base = await measure(bare_url, bare.pid, fake, args.commands, f"b{run}")
                    runs.append((mine, base))
            bare.terminate()
    print(
        f"/cop who, {args.commands} commands per level, {args.members:,} members, {args.runs} runs "
        f"(min / median / max); load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, "
        f"on {os.cpu_count()} CPUs"
    )
    print(f"{'':26} {'Cultivate':>20} {'bare bolt':>20} {'ratio':>20}")
    for key in ["cpu_ms"] + [f"{q}@{c}" for c in (1, 10, 50) for q in ("p50", "p99")]:
        mine, base = [r[0][key] for r in runs], [r[1][key] for r in runs]
        ratio = [a / b for a, b in zip(mine, base, strict=True) if b]
        label = "CPU ms per command" if key == "cpu_ms" else f"ack {key.replace('@', ' ms at ')} clients"
        print(f"{label:26} {spread(mine):>20} {spread(base):>20} {spread(ratio) if ratio else '-':>20}")
    cpu_ratio = statistics.median(r[0]["cpu_ms"] / r[1]["cpu_ms"] for r in runs)
    p99 = statistics.median(r[0]["p99@50"] for r in runs)
    print(f"CPU per command within 3x of bare: {'yes' if cpu_ratio <= 3 else 'no'} ({cpu_ratio:.1f}x, median)")
    print(f"p99 ack under 100 ms at 50 concurrent: {'yes' if p99 < 100 else 'no'} ({p99:.0f} ms, median)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=300, help="commands per concurrency level and run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--members", type=int, default=1000)
    asyncio.run(main(parser.parse_args()))
