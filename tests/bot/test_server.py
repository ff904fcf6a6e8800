"""The web application: health, metrics, and a clean stop on SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from bot.events import Actor, CommandInvoked, Place
from bot.runtime import Runtime
from bot.server import build_app, serve
from bot.settings import Settings
from flows import all_routines
from storage.db import create_engine
from tests.databases import on_postgres
from tests.fakes import RecordingAdapter

CULTIVATE = Path(sys.executable).parent / "cultivate"
AMINA = Actor("fake", "T", "U1", "Amina")


@pytest.fixture
async def runtime(database_url: str) -> AsyncIterator[Runtime]:
    opened = await Runtime.open(Settings(database_url=database_url), all_routines())
    opened.add_adapter(RecordingAdapter())
    yield opened
    await opened.close()


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(build_app(runtime))) as test_client:
        yield test_client


async def test_healthz_says_the_database_answers(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "database": "ok", "platforms": ["fake"]}


async def test_healthz_is_503_when_the_database_is_gone(client: TestClient, runtime: Runtime) -> None:
    reachable = runtime.engine
    runtime.engine = create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/gone")  # nothing listens on port 1
    try:
        response = await client.get("/healthz")
        assert response.status == 503
        assert await response.json() == {"status": "unavailable", "database": "unreachable", "platforms": ["fake"]}
    finally:
        await runtime.engine.dispose()
        runtime.engine = reachable
    assert (await client.get("/healthz")).status == 200


async def test_healthz_gives_up_on_a_database_that_never_answers(client: TestClient, runtime: Runtime) -> None:
    """A probe gives up after a second or a few: a hung database must not hang the health check with it."""

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # accept, say nothing, wait for the caller to give up
        writer.close()

    hung = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = hung.sockets[0].getsockname()[1]
    reachable = runtime.engine
    runtime.engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/hung")
    runtime.health_timeout = 0.5
    try:
        started = time.monotonic()
        response = await client.get("/healthz")
        assert response.status == 503 and (await response.json())["database"] == "unreachable"
        assert time.monotonic() - started < 5
    finally:
        await runtime.engine.dispose()
        runtime.engine = reachable
        hung.close()
        await hung.wait_closed()


@pytest.mark.skipif(not on_postgres(), reason="a PostgreSQL restart; SQLite has no server to lose")
async def test_healthz_is_not_fooled_by_connections_postgres_dropped(
    client: TestClient, runtime: Runtime, database_url: str
) -> None:
    """After a database restart the pool holds dead connections; the next check must not fail on one."""
    assert (await client.get("/healthz")).status == 200  # the pool now holds a connection
    admin = create_engine(database_url)
    try:
        async with admin.connect() as conn:
            dropped = await conn.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
    finally:
        await admin.dispose()
    assert dropped >= 1
    assert (await client.get("/healthz")).status == 200


async def test_metrics_are_prometheus_text_and_count_events(client: TestClient, runtime: Runtime) -> None:
    help_once = CommandInvoked(actor=AMINA, place=Place("fake", "T", "C"), name="help", event_id="Ev1")
    await runtime.handle(help_once)
    await runtime.handle(help_once)  # the platform retried: counted, dropped, not answered twice
    response = await client.get("/metrics")
    assert response.status == 200 and response.content_type == "text/plain"
    body = await response.text()
    assert "# TYPE cultivate_events_total counter" in body
    assert 'cultivate_events_total{kind="CommandInvoked",platform="fake"} 1.0' in body
    assert 'cultivate_duplicate_events_total{platform="fake"} 1.0' in body
    assert 'cultivate_messages_sent_total{platform="fake"} 1.0' in body
    assert "process_resident_memory_bytes" in body


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_stopping_finishes_the_request_in_flight_and_refuses_new_ones(runtime: Runtime) -> None:
    entered, release = asyncio.Event(), asyncio.Event()

    async def slow(_request: web.Request) -> web.Response:
        entered.set()
        await release.wait()
        return web.Response(text="finished")

    port = _free_port()
    ready, stop = asyncio.Event(), asyncio.Event()
    server = asyncio.create_task(serve(runtime, "127.0.0.1", port, [web.get("/slow", slow)], ready=ready, stop=stop))
    await asyncio.wait_for(ready.wait(), 10)
    async with aiohttp.ClientSession() as session:
        in_flight = asyncio.create_task(session.get(f"http://127.0.0.1:{port}/slow"))
        await asyncio.wait_for(entered.wait(), 10)
        stop.set()
        for _ in range(100):  # the listening socket closes first
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz"):
                    await asyncio.sleep(0.05)
            except aiohttp.ClientConnectionError:
                break
        else:
            raise AssertionError("serve still accepts new requests after being told to stop")
        release.set()
        response = await asyncio.wait_for(in_flight, 10)
        assert response.status == 200 and await response.text() == "finished"
    await asyncio.wait_for(server, 10)


def _env(**extra: str) -> dict[str, str]:
    prefixes = ("DATABASE_URL", "CULTIVATE_", "SLACK_", "Microsoft", "YAMMER_", "TEAMS_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    # The code under test is this checkout's (its migrations too), not whichever one the environment installed.
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


async def _healthy(port: int, proc: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 20
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if proc.returncode is not None:
                raise AssertionError(f"serve exited with {proc.returncode}: {(await proc.communicate())[1].decode()}")
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
    proc = await asyncio.create_subprocess_exec(
        str(CULTIVATE),
        "serve",
        "--port",
        str(port),
        env=_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 's.db'}"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=tmp_path,
    )
    try:
        await _healthy(port, proc)
        proc.send_signal(sig)
        _out, err = await asyncio.wait_for(proc.communicate(), 10)
        log = err.decode()
        assert proc.returncode == 0, log
        assert f"listening on http://127.0.0.1:{port}" in log and "platforms: none" in log
        assert "stopped cleanly" in log and "Traceback" not in log
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
