"""How quickly Cultivate acks signed /cop requests, beside a bare slack-bolt app that only acks.

    python -m bench.slack_ack [--seconds 5]

Each app runs in its own process on 127.0.0.1 against a local fake of Slack's Web API (a third process); SQLite in
a temporary folder; the clients run in this process.
Prints requests per second, p50 and p99 ack latency at 1, 10 and 50 concurrent clients, and Cultivate's throughput
as a ratio of the bare app's (target: >= 0.7, p99 < 100 ms at 50 concurrent)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import statistics
import tempfile
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from adapters.slack.app import SlackAdapter
from adapters.slack.sender import web_client
from bot.runtime import Runtime
from bot.server import build_app, settle_memory
from bot.settings import Settings
from flows import all_routines
from tests.adapters.slack.fake_slack import FakeSlack

SECRET = "bench-secret"
VERBS = {"read": "community", "write": "timezone Africa/Nairobi"}


def bare_app(api: str) -> web.Application:
    bolt = AsyncApp(client=web_client("xoxb-bench", api), signing_secret=SECRET)

    @bolt.command("/cop")
    async def only_ack(ack: Any) -> None:
        await ack()

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", handle)
    return app


async def serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, runner.addresses[0][1]


def _child(kind: str, api: str, folder: str, ports: Any) -> None:
    """One server per process, so the load generator and the fake do not steal the measured event loop."""
    logging.disable(logging.WARNING)

    async def run() -> None:
        if kind == "fake":
            fake = FakeSlack()
            url = await fake.start()
            ports.put(url)
        elif kind == "bare":
            _runner, port = await serve(bare_app(api))
            ports.put(f"http://127.0.0.1:{port}/slack/events")
        else:
            settings = Settings(
                database_url=f"sqlite+aiosqlite:///{folder}/bench.db",
                slack_bot_token="xoxb-bench",
                slack_signing_secret=SECRET,
                slack_api_url=api,
            )
            runtime = await Runtime.open(settings, all_routines())
            adapter = SlackAdapter(runtime.host, channel_interval=0.0)
            runtime.add_adapter(adapter)
            _runner, port = await serve(build_app(runtime, adapter.routes()))
            settle_memory()  # as `cultivate serve` does
            ports.put(f"http://127.0.0.1:{port}/slack/events")
        await asyncio.Event().wait()

    asyncio.run(run())


def start(kind: str, api: str, folder: str) -> tuple[multiprocessing.process.BaseProcess, str]:
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    process = context.Process(target=_child, args=(kind, api, folder, ports), daemon=True)
    process.start()
    return process, ports.get(timeout=60)


def signed(text: str, user: str) -> tuple[bytes, dict[str, str]]:
    body = urlencode(
        {
            "team_id": "T1",
            "user_id": user,
            "user_name": user,
            "channel_id": "C1",
            "command": "/cop",
            "text": text,
            "trigger_id": "t",
        }
    )
    stamp = str(int(time.time()))
    return body.encode(), {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body) or "",
    }


async def load(url: str, text: str, clients: int, seconds: float) -> tuple[float, float, float]:
    """(requests per second, p50 ms, p99 ms) with `clients` concurrent clients for `seconds`."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients)) as session:

        async def client(n: int) -> None:
            i = 0
            while time.perf_counter() < deadline:
                body, headers = signed(text, f"U{n}x{i % 20}")
                started = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    assert response.status == 200, response.status
                latencies.append(time.perf_counter() - started)
                i += 1

        started = time.perf_counter()
        await asyncio.gather(*(client(n) for n in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, p99 * 1000


async def main(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        fake, api = start("fake", "", folder)
        ours, our_url = start("cultivate", api, folder)
        bare, bare_url = start("bare", api, folder)
        try:
            print(
                f"{'verb':6} {'clients':>7} | {'bare rps':>9} {'p50':>7} {'p99':>7} | "
                f"{'cultivate rps':>13} {'p50':>7} {'p99':>7} | ratio"
            )
            for kind, text in VERBS.items():
                for clients in (1, 10, 50):
                    b = await load(bare_url, text, clients, seconds)
                    c = await load(our_url, text, clients, seconds)
                    await asyncio.sleep(2)  # let the work still running after the acks finish
                    print(
                        f"{kind:6} {clients:>7} | {b[0]:>9.0f} {b[1]:>5.1f}ms {b[2]:>5.1f}ms | "
                        f"{c[0]:>13.0f} {c[1]:>5.1f}ms {c[2]:>5.1f}ms | {c[0] / b[0]:.2f}"
                    )
        finally:
            for process in (ours, bare, fake):
                process.terminate()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    asyncio.run(main(parser.parse_args().seconds))
