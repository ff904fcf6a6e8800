"""`cultivate serve` with Slack configured mounts /slack/events; the sender paces each channel."""

from __future__ import annotations

import asyncio
import itertools
import signal
import subprocess
from pathlib import Path

import aiohttp

from bot.context import DeliveryContext
from bot.events import Place
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import SlackBot
from tests.bot.test_server import CULTIVATE, _env, _free_port, _healthy


async def test_serve_with_slack_settings_answers_on_slack_events(tmp_path: Path) -> None:
    fake = FakeSlack()
    api = await fake.start()
    port = _free_port()
    proc = await asyncio.create_subprocess_exec(
        str(CULTIVATE),
        "serve",
        "--port",
        str(port),
        env=_env(
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 's.db'}",
            SLACK_BOT_TOKEN="xoxb-1",
            SLACK_SIGNING_SECRET="secret",
            SLACK_API_URL=api,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    try:
        await _healthy(port, proc)
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as health:
                assert (await health.json())["platforms"] == ["slack"]
            async with session.post(f"http://127.0.0.1:{port}/slack/events", data="command=/cop&text=help") as unsigned:
                assert unsigned.status == 401
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.communicate(), timeout=20)
        assert proc.returncode == 0
        assert fake.calls == [], "an unsigned request reached no Web API method"
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await fake.close()


async def test_messages_to_one_channel_leave_at_most_one_per_interval(database_url: str) -> None:
    """Pacing lives in the sender: one channel's messages are spaced out, another channel's are not held up."""
    slack = await SlackBot.open(database_url, channel_interval=0.2)
    try:
        async with slack.runtime.services.sessions() as db:
            ctx = DeliveryContext(services=slack.runtime.services, db=db)
            for n in range(3):
                await ctx.post(Place("slack", "T1", "C1"), f"one {n}")
            await ctx.post(Place("slack", "T1", "C2"), "other channel")
            await db.commit()
        slack.runtime.services.queued.set()
        await slack.settled()
        one = [c.at for c in slack.fake.called("chat.postMessage") if c.args["channel"] == "C1"]
        two = [c.at for c in slack.fake.called("chat.postMessage") if c.args["channel"] == "C2"]
        assert len(one) == 3 and len(two) == 1
        assert all(later - earlier >= 0.19 for earlier, later in itertools.pairwise(one))
        assert two[0] - one[0] < 0.19, "the other channel did not wait behind the first"
    finally:
        await slack.close()
