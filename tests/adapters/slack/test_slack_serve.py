"""`cultivate serve` with Slack configured mounts /slack/events; the sender paces each channel."""

from __future__ import annotations

import asyncio
import itertools
import signal
import subprocess
from pathlib import Path

import aiohttp

from adapters.slack.sender import SlackSender, web_client
from tests.adapters.slack.fake_slack import FakeSlack
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


async def test_messages_to_one_channel_leave_at_most_one_per_interval() -> None:
    fake = FakeSlack()
    api = await fake.start()
    try:
        async with aiohttp.ClientSession() as session:
            sender = SlackSender(web_client("xoxb", api, session), interval=0.2)
            await asyncio.gather(
                *(sender.call("chat.postMessage", channel="C1", text=str(i)) for i in range(3)),
                sender.call("chat.postMessage", channel="C2", text="other channel"),
            )
        one = [c.at for c in fake.called("chat.postMessage") if c.args["channel"] == "C1"]
        assert len(one) == 3
        assert all(later - earlier >= 0.19 for earlier, later in itertools.pairwise(one))
    finally:
        await fake.close()
