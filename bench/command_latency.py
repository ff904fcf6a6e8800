"""What a member feels: the time from a signed slash command to its answer reaching Slack's Web API, for this code
and, side by side in the same run, an earlier revision (today's figures before a change).

    python -m bench.command_latency [--baseline 911bde0] [--per-client 20] [--one-channel 2000] [--database URL]

Each revision runs as `cultivate serve` in its own process (the baseline from a git worktree, imported ahead of
the installed package), on a fresh SQLite file (or a fresh database on the PostgreSQL server given), against a local
fake of Slack's Web API that runs in this process and notes when each answer arrives. Clients send `/cop help`
one after another; at 1, 10 and 50 concurrent clients, all in one channel and spread over 50 channels.
Prints ack and answer p50/p99 per revision and the ratio of this code's p99 to the baseline's; then sends
--one-channel commands into one channel and says whether every answer arrived and how fast."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.adapters.slack.fake_slack import FakeSlack

SECRET = "bench-secret"
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    acks: list[float] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)
    sent: int = 0
    missing: int = 0
    seconds: float = 0.0


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


class Server:
    """`cultivate serve` of one source tree, on its own database."""

    def __init__(self, tree: Path, database: str, api: str) -> None:
        self.tree, self.database, self.api = tree, database, api
        self.port = _port()
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CULTIVATE_", "DATABASE_URL"))}
        env.update(
            PYTHONPATH=str(self.tree),
            DATABASE_URL=self.database,
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=self.api,
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; main()", "serve", "--port", str(self.port)],
            cwd=self.tree,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self.proc is not None
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    async def ready(self) -> None:
        async with aiohttp.ClientSession() as session:
            for _ in range(300):
                try:
                    async with session.get(f"http://127.0.0.1:{self.port}/healthz") as r:
                        if r.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise SystemExit(f"serve from {self.tree} did not start")


async def _command(session: aiohttp.ClientSession, url: str, user: str, channel: str) -> float:
    body = urlencode(
        {
            "team_id": "T1",
            "user_id": user,
            "channel_id": channel,
            "channel_name": "general",
            "command": "/cop",
            "text": "help",
            "trigger_id": uuid.uuid4().hex,
        }
    )
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body) or "",
    }
    started = time.monotonic()
    async with session.post(url, data=body.encode(), headers=headers) as response:
        await response.read()
    return started


async def load(
    server: Server, fake: FakeSlack, clients: int, per_client: int, spread: bool, wait: float, tag: str
) -> Run:
    """`clients` members each send `per_client` commands, one after another; then wait (up to `wait` s) for answers."""
    url = f"http://127.0.0.1:{server.port}/slack/events"
    run = Run()
    sent: dict[str, list[float]] = defaultdict(list)
    before = len(fake.calls)

    async def member(n: int) -> None:
        user, channel = f"U{tag}-{n}", f"C{n % 50}" if spread else "C1"
        async with aiohttp.ClientSession() as session:
            for _ in range(per_client):
                started = await _command(session, url, user, channel)
                run.acks.append(time.monotonic() - started)
                sent[user].append(started)

    began = time.monotonic()
    await asyncio.gather(*(member(n) for n in range(clients)))
    expected = clients * per_client
    deadline = time.monotonic() + wait

    def answered() -> list[tuple[str, float]]:
        # Only this load's members: answers still arriving from an earlier load must not end the wait early.
        return [
            (str(c.args["user"]), c.at)
            for c in fake.calls[before:]
            if c.method == "chat.postEphemeral" and str(c.args.get("user", "")).startswith(f"U{tag}-")
        ]

    while time.monotonic() < deadline and len(answered()) < expected:  # noqa: ASYNC110 (polls the fake's record)
        await asyncio.sleep(0.05)
    arrived: dict[str, list[float]] = defaultdict(list)
    for user, at in answered():
        arrived[user].append(at)
    for user, times in sent.items():
        got = arrived.get(user, [])
        run.answers += [answer - start for start, answer in zip(times, got, strict=False)]
        run.missing += max(0, len(times) - len(got))
    run.sent = expected
    run.seconds = time.monotonic() - began
    return run


def _database(base: str | None, folder: Path, name: str) -> str:
    if base is None:
        return f"sqlite+aiosqlite:///{folder / name}.db"
    import asyncpg  # only with --database: a fresh database on that server

    async def create() -> None:
        admin = await asyncpg.connect(base.replace("postgresql+asyncpg://", "postgresql://"))
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()

    asyncio.run(create())
    return base.rsplit("/", 1)[0] + "/" + name


async def measure(tree: Path, database: str, per_client: int, one_channel: int, label: str) -> dict[str, Run]:
    fake = FakeSlack()
    api = await fake.start()
    results: dict[str, Run] = {}
    try:
        with Server(tree, database, api) as server:
            await server.ready()
            for spread in (False, True):
                for clients in (1, 10, 50):
                    key = f"{clients:>2} clients, {'50 channels' if spread else 'one channel'}"
                    wait = 30.0 if spread else 60.0
                    results[key] = await load(
                        server, fake, clients, per_client, spread, wait, f"{clients}{int(spread)}x"
                    )
                    print(f"  {label}: {key} done", file=sys.stderr)
            if one_channel:
                clients = 50
                results["one channel, many"] = await load(
                    server, fake, clients, max(1, one_channel // clients), False, 120.0, "many"
                )
    finally:
        await fake.close()
    return results


def _worktree(rev: str, folder: Path) -> Path:
    path = folder / f"baseline-{rev}"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), rev],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default="911bde0", help="the revision to compare with ('' for none)")
    parser.add_argument("--per-client", type=int, default=10)
    parser.add_argument("--one-channel", type=int, default=2000, help="commands sent into one channel at the end")
    parser.add_argument("--database", default=None, help="a PostgreSQL server URL (default: SQLite files)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cultivate-latency-"))
    trees = {"this code": ROOT}
    if args.baseline:
        trees[f"baseline {args.baseline}"] = _worktree(args.baseline, folder)
    try:
        results = {}
        for n, (label, tree) in enumerate(trees.items()):
            database = _database(args.database, folder, f"latency_{n}_{uuid.uuid4().hex[:6]}")
            # The baseline paces every answer at one a second per channel: fewer commands into one channel.
            many = args.one_channel if label == "this code" else min(args.one_channel, 100)
            results[label] = asyncio.run(measure(tree, database, args.per_client, many, label))
        print(f"{'':32} | {'ack p50':>8} {'ack p99':>8} | {'answer p50':>10} {'p99':>8} | {'answered':>9} | {'s':>6}")
        for key in next(iter(results.values())):
            for label, runs in results.items():
                run = runs.get(key)
                if run is None:
                    continue
                print(
                    f"{label[:13]:13} {key[:18]:18} | {_pct(run.acks, 0.5):7.1f}ms {_pct(run.acks, 0.99):7.1f}ms | "
                    f"{_pct(run.answers, 0.5):9.1f}ms {_pct(run.answers, 0.99):7.0f}ms | "
                    f"{run.sent - run.missing:>4}/{run.sent:<4} | {run.seconds:6.1f}"
                )
            if len(results) == 2:
                mine, base = (runs.get(key) for runs in results.values())
                if mine and base and base.answers and mine.answers:
                    ratio = _pct(mine.answers, 0.99) / _pct(base.answers, 0.99)
                    print(f"{'':13} {'p99 answer ratio':18} | this code / baseline = {ratio:.2f}")
    finally:
        for tree in trees.values():
            if tree != ROOT:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
