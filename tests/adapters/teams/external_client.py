"""Teams from outside, as Microsoft's Agents testing client plays it: activities built with Microsoft's published
types (microsoft-agents-activity), serialized and POSTed to a running `cultivate serve`; the replies arrive at a
callback server of ours, named as the activities' service URL, and are read back with the same types.
The one module outside adapters/teams/ allowed an SDK import: it stands for the channel, not for Cultivate."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from microsoft_agents.activity import Activity, ActivityTypes, ChannelAccount, ConversationAccount

TENANT = "tenant-x"
BOT = ChannelAccount(id="28:cultivate", name="Cultivate")


@dataclass
class Reply:
    kind: str  # "send", "reply" (in a thread) or "update" (of an activity sent before)
    conversation: str
    activity_id: str | None  # the activity replied to or updated
    activity: Activity  # as Microsoft's types read it

    @property
    def text(self) -> str:
        """What a member reads: the text and every text in the cards."""
        found = [self.activity.text or ""]
        for attachment in self.activity.attachments or []:
            _collect(attachment.content, found)
        return "\n".join(t for t in found if t)


@dataclass
class ExternalClient:
    agent_url: str = ""  # the bot's /api/messages
    replies: list[Reply] = field(default_factory=list)
    server: TestServer | None = None
    session: aiohttp.ClientSession | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def start(self) -> str:
        """Starts the callback server; returns its URL, the service URL of every activity sent."""
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._record)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._record)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._record)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        self.session = aiohttp.ClientSession()
        return self.service_url

    @property
    def service_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
        if self.server is not None:
            await self.server.close()

    def message(self, text: str, user: str = "29:amina", name: str = "Amina") -> Activity:
        """A message in the member's personal chat with the bot, as Teams sends it."""
        return Activity(
            type=ActivityTypes.message,
            id=f"ext-{next(self._ids)}",
            timestamp=datetime.now(UTC),
            channel_id="msteams",
            service_url=self.service_url,
            from_property=ChannelAccount(id=user, name=name),
            recipient=BOT,
            conversation=ConversationAccount(id=f"a:chat-{user}", conversation_type="personal", tenant_id=TENANT),
            channel_data={"tenant": {"id": TENANT}},
            text=text,
            text_format="plain",
            local_timezone="Africa/Nairobi",
        )

    async def send(self, activity: Activity) -> int:
        """POST the activity to the bot; returns the HTTP status."""
        assert self.session is not None
        body = activity.model_dump(mode="json", by_alias=True, exclude_none=True)
        async with self.session.post(self.agent_url, json=body) as response:
            return response.status

    async def wait_for(self, count: int, timeout: float = 15) -> list[Reply]:
        """The first `count` replies, once they have come."""
        for _ in range(int(timeout / 0.02)):
            if len(self.replies) >= count:
                return self.replies[:count]
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} replies, got {[r.text[:60] for r in self.replies]}")

    async def _record(self, request: web.Request) -> web.Response:
        activity = Activity.model_validate(await request.json())
        replied = request.match_info.get("activity")
        kind = "update" if request.method == "PUT" else "reply" if replied else "send"
        self.replies.append(Reply(kind, request.match_info["conversation"], replied, activity))
        return web.json_response({"id": replied if kind == "update" else f"reply-{len(self.replies)}"}, status=201)


def _collect(node: Any, found: list[str]) -> None:
    if isinstance(node, dict):
        found += [node[key] for key in ("text", "title", "value") if isinstance(node.get(key), str)]
        for value in node.values():
            _collect(value, found)
    elif isinstance(node, list):
        for item in node:
            _collect(item, found)
