"""`cultivate serve` with Teams settings mounts /api/messages: locally without authentication (and says so),
or with an app id, when an unauthenticated request gets 401."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from pathlib import Path

import aiohttp

from tests.adapters.teams.fake_connector import FakeConnector
from tests.bot.test_server import CULTIVATE, _env, _free_port, _healthy


async def _serve(tmp_path: Path, **env: str) -> tuple[asyncio.subprocess.Process, int]:
    port = _free_port()
    proc = await asyncio.create_subprocess_exec(
        str(CULTIVATE),
        "serve",
        "--port",
        str(port),
        env=_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 't.db'}", **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    await _healthy(port, proc)
    return proc, port


async def _stop(proc: asyncio.subprocess.Process) -> str:
    proc.send_signal(signal.SIGTERM)
    _out, err = await asyncio.wait_for(proc.communicate(), timeout=20)
    assert proc.returncode == 0
    return err.decode()


async def test_serve_without_authentication_answers_teams_and_says_so(tmp_path: Path, teams_sdk: str) -> None:
    fake = FakeConnector()
    service_url = await fake.start()
    proc, port = await _serve(tmp_path, TEAMS_LOCAL_NO_AUTH="1", TEAMS_SDK=teams_sdk)
    try:
        activity = {
            "type": "message",
            "id": "1",
            "text": "help",
            "serviceUrl": service_url,
            "channelId": "msteams",
            "from": {"id": "29:amina", "name": "Amina"},
            "recipient": {"id": "28:bot", "name": "Cultivate"},
            "conversation": {"id": "a:chat", "conversationType": "personal"},
            "channelData": {"tenant": {"id": "t"}},
        }
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as health:
                assert (await health.json())["platforms"] == ["teams"]
            async with session.post(f"http://127.0.0.1:{port}/api/messages", json=activity) as posted:
                assert posted.status == 201
        [answer] = await fake.wait_for("send")
        assert answer.conversation == "a:chat" and "What you can do" in answer.text
        assert "without authentication" in await _stop(proc)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await fake.close()


async def test_serve_with_an_app_id_refuses_unauthenticated_activities(tmp_path: Path, teams_sdk: str) -> None:
    proc, port = await _serve(
        tmp_path, MicrosoftAppId="00000000-0000-0000-0000-000000000001", MicrosoftAppPassword="s", TEAMS_SDK=teams_sdk
    )
    try:
        async with aiohttp.ClientSession() as session:
            activity = {
                "type": "message",
                "id": "1",
                "text": "help",
                "serviceUrl": "http://127.0.0.1:9",
                "channelId": "msteams",
                "from": {"id": "29:x"},
                "recipient": {"id": "28:bot"},
                "conversation": {"id": "a:chat", "conversationType": "personal"},
            }
            async with session.post(f"http://127.0.0.1:{port}/api/messages", json=activity) as posted:
                assert posted.status == 401
        await _stop(proc)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
