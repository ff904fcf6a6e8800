"""The web application: health, metrics, and a clean stop on SIGTERM or SIGINT."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.events import Actor, CommandInvoked, Place
from bot.runtime import Runtime
from bot.server import build_app
from bot.settings import Settings
from flows import all_routines
from storage.db import create_engine
from tests.fakes import RecordingAdapter

CULTIVATE = Path(sys.executable).parent / "cultivate"


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[tuple[TestClient, Runtime]]:
    runtime = await Runtime.open(Settings(database_url=database_url), all_routines())
    runtime.add_adapter(RecordingAdapter())
    async with TestClient(TestServer(build_app(runtime))) as test_client:
        yield test_client, runtime
    await runtime.close()


async def test_healthz_says_the_database_answers(client: tuple[TestClient, Runtime]) -> None:
    test_client, _runtime = client
    response = await test_client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "database": "ok", "platforms": ["fake"]}


async def test_healthz_is_503_when_the_database_is_gone(client: tuple[TestClient, Runtime]) -> None:
    test_client, runtime = client
    reachable = runtime.engine
    runtime.engine = create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/gone")  # nothing listens on port 1
    try:
        response = await test_client.get("/healthz")
        assert response.status == 503
        assert (await response.json())["database"] == "unreachable"
    finally:
        await runtime.engine.dispose()
        runtime.engine = reachable


async def test_metrics_are_prometheus_text_and_count_events(client: tuple[TestClient, Runtime]) -> None:
    test_client, runtime = client
    await runtime.dispatcher.handle(
        CommandInvoked(actor=Actor("fake", "T", "U1", "Amina"), place=Place("fake", "T", "C"), name="help")
    )
    response = await test_client.get("/metrics")
    assert response.status == 200 and response.content_type == "text/plain"
    body = await response.text()
    assert 'cultivate_events_total{kind="CommandInvoked",platform="fake"} 1.0' in body
    assert 'cultivate_messages_sent_total{platform="fake"} 1.0' in body
    assert "process_resident_memory_bytes" in body


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CULTIVATE_", "SLACK_", "Microsoft", "YAMMER_", "TEAMS_"))}
    env.update(extra)
    return env


async def _healthy(port: int, proc: subprocess.Popen[bytes]) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("serve did not become healthy within 20 s")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_serve_stops_cleanly_on_a_signal(tmp_path: Path, sig: signal.Signals) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [str(CULTIVATE), "serve", "--port", str(port)], env=_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 's.db'}"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    )
    try:
        await _healthy(port, proc)
        proc.send_signal(sig)
        _out, err = await asyncio.to_thread(proc.communicate, timeout=20)
        assert proc.returncode == 0, err.decode()
        assert "stopped cleanly" in err.decode() and "Traceback" not in err.decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
