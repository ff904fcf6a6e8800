"""How quickly Cultivate acks signed /cop requests, beside a bare slack-bolt app that only acks.

    python -m bench.slack_ack [--seconds 5]

Both run in this process on 127.0.0.1 against a local fake of Slack's Web API; SQLite in a temporary folder.
Prints requests per second, p50 and p99 ack latency at 1, 10 and 50 concurrent clients, and Cultivate's throughput
as a ratio of the bare app's (target: >= 0.7, p99 < 100 ms at 50 concurrent)."""
from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
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
from bot.server import build_app
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


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/slack/events"


def signed(text: str, user: str) -> tuple[bytes, dict[str, str]]:
    body = urlencode({"team_id": "T1", "user_id": user, "user_name": user, "channel_id": "C1", "command": "/cop",
                      "text": text, "trigger_id": "t"})
    stamp = str(int(time.time()))
    return body.encode(), {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": stamp,
                           "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body) or ""}


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
    logging.disable(logging.WARNING)
    fake = FakeSlack()
    api = await fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp}/bench.db", slack_bot_token="xoxb-bench",
                            slack_signing_secret=SECRET, slack_api_url=api)
        runtime = await Runtime.open(settings, all_routines())
        adapter = SlackAdapter(settings, runtime.dispatcher, channel_interval=0.0)
        runtime.add_adapter(adapter)
        ours, our_url = await serve(build_app(runtime, adapter.routes()))
        bare, bare_url = await serve(bare_app(api))
        print(f"{'verb':6} {'clients':>7} | {'bare rps':>9} {'p50':>7} {'p99':>7} | {'cultivate rps':>13} {'p50':>7} {'p99':>7} | ratio")
        for kind, text in VERBS.items():
            for clients in (1, 10, 50):
                b = await load(bare_url, text, clients, seconds)
                c = await load(our_url, text, clients, seconds)
                await asyncio.sleep(1)  # let the listeners still running after their acks finish
                print(f"{kind:6} {clients:>7} | {b[0]:>9.0f} {b[1]:>5.1f}ms {b[2]:>5.1f}ms | "
                      f"{c[0]:>13.0f} {c[1]:>5.1f}ms {c[2]:>5.1f}ms | {c[0] / b[0]:.2f}")
        await ours.cleanup()
        await bare.cleanup()
        await runtime.close()
    await fake.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    asyncio.run(main(parser.parse_args().seconds))
