"""A fast fake of Slack's chat.postMessage for benchmarks, run in its own process (so its CPU is not counted as
ours), optionally with Slack-like limits: about one message a second per channel and a workspace-wide rate, both
answered with 429 and Retry-After as Slack does. It counts what it accepted (GET /count).

    python -m bench.slack_limits PORT [--workspace-rate 0] [--per-channel 0]

`bench.fanout` and `bench.sqlite_contention` start it with `FakeProcess`."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent


class Limits:
    """Token buckets: one for the workspace (burst of one second's worth), one per channel (1 a second)."""

    def __init__(self, workspace_rate: float, per_channel: float) -> None:
        self.rate, self.per_channel = workspace_rate, per_channel
        self.tokens, self.at = workspace_rate, time.monotonic()
        self.channel_next: dict[str, float] = {}

    def wait(self, channel: str) -> float:
        """0 if the call may go now (and it is counted), else how long Slack would ask to wait."""
        now = time.monotonic()
        if self.per_channel:
            free = self.channel_next.get(channel, 0.0)
            if now < free:
                return free - now
        if self.rate:
            self.tokens = min(self.rate, self.tokens + (now - self.at) * self.rate)
            self.at = now
            if self.tokens < 1:
                return (1 - self.tokens) / self.rate
            self.tokens -= 1
        if self.per_channel:
            self.channel_next[channel] = now + 1 / self.per_channel
        return 0.0


async def serve(port: int, workspace_rate: float, per_channel: float) -> None:
    limits = Limits(workspace_rate, per_channel)
    counts = {"ok": 0, "429": 0}
    answers: dict[str, list[float]] = {}  # user -> when (time.monotonic(), system-wide) each answer arrived
    ts = itertools.count(1)

    async def api(request: web.Request) -> web.Response:
        raw = await request.text()
        args = json.loads(raw or "{}") if request.content_type == "application/json" else dict(parse_qsl(raw))
        method = request.match_info["method"]
        if method == "users.info":
            user = str(args.get("user", ""))
            profile = {"display_name": f"Member {user}", "real_name": f"Member {user}"}
            return web.json_response({"ok": True, "user": {"id": user, "name": user, "tz": "UTC", "profile": profile}})
        if not method.startswith("chat."):
            return web.json_response({"ok": True})
        channel = str(args.get("channel", ""))
        # Slack's limits on posting: answers only one member sees (ephemeral) are not counted against them.
        wait = limits.wait(channel) if method == "chat.postMessage" else 0.0
        if wait > 0:
            counts["429"] += 1
            # Slack gives whole seconds; at least 1.
            retry = str(max(1, math.ceil(wait)))
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": retry})
        counts["ok"] += 1
        counts[method] = counts.get(method, 0) + 1
        if method == "chat.postEphemeral":
            answers.setdefault(str(args.get("user", "")), []).append(time.monotonic())
        landed = "D" + channel[1:] if channel.startswith("U") else channel
        return web.json_response({"ok": True, "channel": landed, "ts": f"1700000000.{next(ts):06d}"})

    async def count(_request: web.Request) -> web.Response:
        return web.json_response(counts)

    async def answered(_request: web.Request) -> web.Response:
        return web.json_response(answers)

    async def reset(_request: web.Request) -> web.Response:
        answers.clear()
        counts.clear()
        counts.update(ok=0, **{"429": 0})
        limits.channel_next.clear()
        limits.tokens = limits.rate
        return web.json_response(counts)

    app = web.Application()
    app.router.add_post("/api/{method}", api)
    app.router.add_get("/count", count)
    app.router.add_get("/answers", answered)
    app.router.add_post("/reset", reset)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class FakeProcess:
    """The fake in a child process; `api` is the base URL to give SLACK_API_URL."""

    def __init__(self, workspace_rate: float = 0.0, per_channel: float = 0.0) -> None:
        self.port = free_port()
        self.args = ["--workspace-rate", str(workspace_rate), "--per-channel", str(per_channel)]
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    async def __aenter__(self) -> FakeProcess:
        self.proc = subprocess.Popen(  # noqa: ASYNC220 - started once, before anything is measured
            [sys.executable, "-m", "bench.slack_limits", str(self.port), *self.args],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                try:
                    async with session.get(f"http://127.0.0.1:{self.port}/count"):
                        return self
                except aiohttp.ClientError:
                    await asyncio.sleep(0.05)
        raise SystemExit("the fake Slack did not start")

    async def __aexit__(self, *_exc: object) -> None:
        assert self.proc is not None
        self.proc.terminate()
        self.proc.wait(10)

    async def counts(self) -> dict[str, int]:
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{self.port}/count") as r:
            return dict(await r.json())

    async def answers(self) -> dict[str, list[float]]:
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{self.port}/answers") as r:
            return dict(await r.json())

    async def reset(self) -> None:
        async with aiohttp.ClientSession() as session, session.post(f"http://127.0.0.1:{self.port}/reset") as r:
            await r.read()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--workspace-rate", type=float, default=0.0, help="messages a second, 0 for no limit")
    parser.add_argument("--per-channel", type=float, default=0.0, help="messages a second per channel, 0 for none")
    options = parser.parse_args()
    asyncio.run(serve(options.port, options.workspace_rate, options.per_channel))
