"""A local fake of Slack's Web API: records every call and answers with Slack's response shapes."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from tests.recording import RecordingServer


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str
    at: float = field(default_factory=time.monotonic)
    answer: dict[str, Any] = field(default_factory=dict)  # what the fake answered


@dataclass
class FakeSlack(RecordingServer[Call]):
    team: str = "T1"
    bot_user: str = "UBOT"
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    # method -> how many of its next calls answer 429 (with Retry-After: 1)
    rate_limited: dict[str, int] = field(default_factory=dict)
    # Until this moment (time.monotonic()), every chat.* call answers 429 with Retry-After: 1: a rate-limit storm.
    storm_until: float = 0.0
    # channel or user id -> the error chat.postMessage answers for it (e.g. "account_inactive")
    refuse: dict[str, str] = field(default_factory=dict)
    # While set, chat.* calls hang (a stalled Slack) until it is cleared.
    stalled: bool = False
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/api/{method}", self._handle)
        return await self.serve(app, "/api/")

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.text()
        if request.content_type == "application/json":
            args = json.loads(raw or "{}")
        else:
            args = dict(parse_qsl(raw))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        while self.stalled and method.startswith("chat."):  # noqa: ASYNC110 - a flag the test flips, polled
            await asyncio.sleep(0.02)
        if method.startswith("chat.") and time.monotonic() < self.storm_until:
            self.calls.append(Call(method + ":429", args, token))
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"})
        refused = self.refuse.get(str(args.get("channel", "")))
        if method == "chat.postMessage" and refused:
            self.calls.append(Call(method + ":" + refused, args, token))
            return web.json_response({"ok": False, "error": refused})
        if self.rate_limited.get(method, 0) > 0:
            self.rate_limited[method] -= 1
            self.calls.append(Call(method + ":429", args, token))
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"})
        answer = self._answer(method, args)
        self.calls.append(Call(method, args, token, answer=answer))
        return web.json_response(answer)

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ts = f"1700000000.{next(self._ts):06d}"
        match method:
            case "auth.test":
                return {"ok": True, "user_id": self.bot_user, "bot_id": "B1", "team_id": self.team, "user": "cultivate"}
            case "chat.postMessage":
                # As Slack does, a user id as the channel posts in the app's direct conversation with them.
                channel = str(args.get("channel", ""))
                landed = "D" + channel[1:] if channel.startswith("U") else channel
                return {"ok": True, "channel": landed, "ts": ts, "message": {"ts": ts}}
            case "chat.postEphemeral":
                return {"ok": True, "message_ts": ts}
            case "chat.update":
                return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
            case "conversations.open":
                return {"ok": True, "channel": {"id": "D" + str(args.get("users", "")).lstrip("U")}}
            case "views.open":
                if args.get("trigger_id") == "expired":
                    return {"ok": False, "error": "expired_trigger_id"}
                return {"ok": True, "view": {"id": "V1"}}
            case "users.info":
                user = self.users.get(str(args.get("user")))
                if user and str(args.get("include_locale")).lower() not in ("true", "1"):
                    user = {k: v for k, v in user.items() if k != "locale"}  # Slack tells it only when asked
                return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        return {"ok": False, "error": "unknown_method"}
