"""`cultivate serve` killed, stopped and restarted: acknowledged commands are answered after all, a send cut off
by a crash is repeated at most once, and an idle server stops at once. Real processes, signed Slack requests,
the local fake of Slack's Web API."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.yammer.fake_yammer import FakeYammer
from tests.bot.test_server import CULTIVATE, _env, _free_port, _healthy

SECRET = "crash-test-secret"


@asynccontextmanager
async def serving(
    database_url: str, api: str, tmp_path: Path, **env: str
) -> AsyncIterator[tuple[int, asyncio.subprocess.Process]]:
    port = _free_port()
    proc = await asyncio.create_subprocess_exec(
        str(CULTIVATE),
        "serve",
        "--port",
        str(port),
        env=_env(
            DATABASE_URL=database_url,
            SLACK_BOT_TOKEN="xoxb-crash",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=api,
            CULTIVATE_LEASE_SECONDS="2",
            **env,
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    try:
        await _healthy(port, proc)
        yield port, proc
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def command(session: aiohttp.ClientSession, port: int, user: str, text: str, channel: str = "C1") -> int:
    body = urlencode(
        {
            "team_id": "T1",
            "user_id": user,
            "channel_id": channel,
            "channel_name": "general",
            "command": "/cop",
            "text": text,
            "trigger_id": f"trig-{user}-{time.monotonic_ns()}",
        }
    )
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body) or ""
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }
    async with session.post(f"http://127.0.0.1:{port}/slack/events", data=body.encode(), headers=headers) as r:
        return r.status


async def until(check: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not there in time")


def answered(fake: FakeSlack) -> Counter[str]:
    return Counter(str(c.args.get("user")) for c in fake.called("chat.postEphemeral"))


async def test_kill_9_right_after_acknowledged_commands_loses_none(database_url: str, tmp_path: Path) -> None:
    fake = FakeSlack()
    api = await fake.start()
    users = [f"U{n:03d}" for n in range(30)]
    try:
        fake.storm_until = time.monotonic() + 3600  # nothing can be answered before the crash
        async with serving(database_url, api, tmp_path) as (port, proc), aiohttp.ClientSession() as session:
            statuses = await asyncio.gather(*(command(session, port, u, "help") for u in users))
            assert statuses == [200] * len(users), "all acknowledged"
            proc.kill()  # kill -9, at once
            await proc.wait()
        fake.storm_until = 0.0
        async with serving(database_url, api, tmp_path):
            await until(lambda: set(answered(fake)) >= set(users), timeout=30)
        counts = answered(fake)
        assert set(counts) == set(users), "every acknowledged command was answered after the restart"
        assert sum(counts.values()) - len(users) <= 16, "at most the sends in flight at the crash were repeated"
    finally:
        await fake.close()


async def test_a_send_cut_off_by_a_crash_is_repeated_at_most_once_and_the_rest_follow(
    database_url: str, tmp_path: Path
) -> None:
    fake = FakeSlack()
    api = await fake.start()
    try:
        async with serving(database_url, api, tmp_path) as (port, proc), aiohttp.ClientSession() as session:
            fake.stalled = True  # Slack takes the first answer and never replies
            for n in range(5):
                assert await command(session, port, "U1", f"help topic{n}") == 200
            await asyncio.sleep(1.0)  # the first answer is in flight, the others wait behind it in its lane
            proc.kill()
            await proc.wait()
        fake.stalled = False
        restarted = time.monotonic()
        async with serving(database_url, api, tmp_path):
            await until(lambda: len({c.args["text"] for c in fake.called("chat.postEphemeral")}) >= 5, timeout=30)
            took = time.monotonic() - restarted
        texts = Counter(c.args["text"] for c in fake.called("chat.postEphemeral"))
        assert all(any(f"topic{n}" in t for t in texts) for n in range(5))
        assert max(texts.values()) <= 2 and sum(texts.values()) <= 6, "only the one in flight may come twice"
        assert took < 30
    finally:
        await fake.close()


async def test_sigterm_with_200_unanswered_commands_loses_none(database_url: str, tmp_path: Path) -> None:
    fake = FakeSlack()
    api = await fake.start()
    users = [f"U{n:03d}" for n in range(200)]
    try:
        fake.storm_until = time.monotonic() + 3600
        async with serving(database_url, api, tmp_path) as (port, proc), aiohttp.ClientSession() as session:
            for batch in range(0, len(users), 50):
                statuses = await asyncio.gather(*(command(session, port, u, "help") for u in users[batch : batch + 50]))
                assert statuses == [200] * 50
            stopping = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            _out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
            assert proc.returncode == 0, err.decode()[-2000:]
            assert time.monotonic() - stopping < 12, "stopped within its grace"
        fake.storm_until = 0.0
        async with serving(database_url, api, tmp_path):
            await until(lambda: set(answered(fake)) >= set(users), timeout=60)
    finally:
        await fake.close()


async def test_an_idle_server_stops_within_two_seconds_with_yammer_on(database_url: str, tmp_path: Path) -> None:
    slack, yammer = FakeSlack(), FakeYammer(window=0.4)
    api = await slack.start()
    yammer_api = await yammer.start()
    try:
        async with serving(
            database_url,
            api,
            tmp_path,
            YAMMER_ACCESS_TOKEN="tok-1",
            YAMMER_GROUP_IDS="5",
            YAMMER_API_URL=yammer_api,
            YAMMER_POLL_SECONDS="1",
        ) as (_port, proc):
            await asyncio.sleep(1.5)  # a poll round or two
            stopping = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.communicate(), timeout=30)
            assert proc.returncode == 0
            assert time.monotonic() - stopping < 2.0
    finally:
        await slack.close()
        await yammer.close()
