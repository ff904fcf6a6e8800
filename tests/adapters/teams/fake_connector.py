"""A local fake of the Bot Connector service (the activity's serviceUrl): records every call, answers with ids."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.recording import RecordingServer


@dataclass
class Call:
    method: str  # "send", "reply", "update", "create", "member"
    conversation: str
    activity_id: str | None
    body: dict[str, Any]
    authorization: str | None
    at: float = field(default_factory=time.monotonic)
    answered: str | None = None  # the id the fake gave the activity it created

    @property
    def text(self) -> str:
        """Everything a member reads in the activity: its text and every text in its cards."""
        found: list[str] = [self.body.get("text") or ""]
        _collect(self.body.get("attachments") or [], found)
        return "\n".join(t for t in found if t)

    @property
    def card(self) -> dict[str, Any]:
        return dict(self.body["attachments"][0]["content"])


@dataclass
class FakeConnector(RecordingServer[Call]):
    # method -> statuses its next calls answer with (e.g. {"send": [429]}); then it works again
    failures: dict[str, list[int]] = field(default_factory=dict)
    # members Cultivate is not installed for: opening a personal chat with them is refused (403)
    forbidden: set[str] = field(default_factory=set)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._send)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        return (await self.serve(app)).rstrip("/")

    def to(self, conversation: str) -> list[Call]:
        return [c for c in self.calls if c.conversation == conversation and c.method in ("send", "reply", "update")]

    def _failure(self, method: str) -> web.Response | None:
        pending = self.failures.get(method) or []
        if not pending:
            return None
        status = pending.pop(0)
        return web.json_response(
            {"error": {"code": "Throttled" if status == 429 else "Failed", "message": f"fake {status}"}},
            status=status,
            headers={"Retry-After": "0"} if status == 429 else None,
        )

    async def _record(self, request: web.Request, method: str) -> tuple[Call, web.Response | None]:
        raw = await request.text()
        body = json.loads(raw) if raw else {}
        call = Call(
            method,
            request.match_info.get("conversation", ""),
            request.match_info.get("activity"),
            body,
            request.headers.get("Authorization"),
        )
        failed = self._failure(method)
        call.method = method + f":{failed.status}" if failed is not None else method
        self.calls.append(call)
        return call, failed

    async def _create(self, request: web.Request) -> web.Response:
        call, failed = await self._record(request, "create")
        if failed is not None:
            return failed
        member = call.body["members"][0]["id"]
        if member in self.forbidden:
            call.method = "create:403"
            return web.json_response(
                {"error": {"code": "BotNotInConversationRoster", "message": "not installed"}}, status=403
            )
        return web.json_response({"id": f"a:personal-{member}"}, status=201)

    async def _send(self, request: web.Request) -> web.Response:
        call, failed = await self._record(request, "reply" if "activity" in request.match_info else "send")
        if failed is not None:
            return failed
        call.answered = f"act-{next(self._ids)}"
        return web.json_response({"id": call.answered}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        call, failed = await self._record(request, "update")
        return failed or web.json_response({"id": call.activity_id})

    async def _member(self, request: web.Request) -> web.Response:
        await self._record(request, "member")
        member = self.members.get(request.match_info["member"])
        return web.json_response(member) if member else web.json_response({"error": {"code": "NotFound"}}, status=404)


def _collect(node: Any, found: list[str]) -> None:
    if isinstance(node, dict):
        for key in ("text", "title", "value", "label"):
            if isinstance(node.get(key), str):
                found.append(node[key])
        for value in node.values():
            if isinstance(value, dict | list):
                _collect(value, found)
    elif isinstance(node, list):
        for item in node:
            _collect(item, found)
