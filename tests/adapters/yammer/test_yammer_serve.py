"""`cultivate serve` with Yammer configured polls the groups and answers there, warning about a short interval."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from pathlib import Path

import aiohttp

from tests.adapters.yammer.fake_yammer import FakeYammer
from tests.bot.test_server import CULTIVATE, _env, _free_port, _healthy


async def test_serve_with_yammer_settings_polls_and_answers_in_the_thread(tmp_path: Path) -> None:
    fake = FakeYammer(window=0.5)
    fake.groups[5] = {11}
    api = await fake.start()
    port = _free_port()
    proc = await asyncio.create_subprocess_exec(
        str(CULTIVATE),
        "serve",
        "--port",
        str(port),
        env=_env(
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'y.db'}",
            YAMMER_ACCESS_TOKEN="tok-1",
            YAMMER_GROUP_IDS="5",
            YAMMER_API_URL=api,
            YAMMER_POLL_SECONDS="1",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    try:
        await _healthy(port, proc)
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as health:
            assert (await health.json())["platforms"] == ["yammer"]
        for _ in range(100):  # the first round notes where each feed is; what is posted after it is answered
            if ("GET", "messages/private.json") in fake.requests:
                break
            await asyncio.sleep(0.05)
        post = fake.post(11, "/cop help", 5)
        for _ in range(400):
            if fake.texts(thread=post):
                break
            await asyncio.sleep(0.05)
        assert fake.texts(thread=post), "the help post was answered in its thread"
        proc.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(proc.communicate(), timeout=20)
        assert proc.returncode == 0
        assert b"YAMMER_POLL_SECONDS=1: below 60 is for tests only" in err
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await fake.close()
