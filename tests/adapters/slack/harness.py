"""Cultivate's real web application with the Slack adapter, fed requests signed as Slack signs them."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from slack_sdk.signature import SignatureVerifier

from adapters.slack.app import EVENTS_PATH, SlackAdapter
from bot.clock import ManualClock
from bot.registry import Routine
from bot.runtime import Runtime
from bot.server import build_app
from bot.settings import Settings
from flows import all_routines
from tests.adapters.slack.fake_slack import FakeSlack
from tests.conftest import START

_TRIGGERS = itertools.count(1)
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@dataclass
class SlackBot:
    runtime: Runtime
    adapter: SlackAdapter
    fake: FakeSlack
    client: TestClient

    @classmethod
    async def open(
        cls, database_url: str, routines: list[Routine] | None = None, *, channel_interval: float = 0.0, **settings: Any
    ) -> SlackBot:
        """`config_path` may name a CULTIVATE_CONFIG file (e.g. one giving the community a Slack home channel)."""
        fake = FakeSlack()
        fake.users.update(
            {
                "U1": {
                    "id": "U1",
                    "name": "amina",
                    "tz": "Africa/Nairobi",
                    "profile": {"display_name": "Amina", "real_name": "Amina W."},
                },
                "U2": {
                    "id": "U2",
                    "name": "baraka",
                    "tz": "Europe/Lisbon",
                    "profile": {"display_name": "", "real_name": "Baraka O."},
                },
            }
        )
        api = await fake.start()
        config = Settings(
            database_url=database_url,
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=api,
            **{"send_retry_base_seconds": 0.01, **settings},
        )
        runtime = await Runtime.open(
            config, routines or all_routines(), clock=ManualClock(START), extra_coordinators=("slack:U1",)
        )
        adapter = SlackAdapter(runtime.host, channel_interval=channel_interval)
        runtime.add_adapter(adapter)
        runtime.start_workers()  # as `serve` does: events are handled and answers sent as they come
        client = TestClient(TestServer(build_app(runtime, adapter.routes())))
        await client.start_server()
        return cls(runtime, adapter, fake, client)

    async def settled(self) -> None:
        """Wait until the work Bolt runs after each ack has finished (and been committed)."""
        await self.runtime.settle(patience=5.0)

    async def close(self) -> None:
        await self.client.close()
        await self.runtime.close()
        await self.fake.close()

    # -- requests as Slack sends them ----------------------------------------------------------
    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> ClientResponse:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        signed = signature or SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body) or ""
        return await self.client.post(
            EVENTS_PATH,
            data=body.encode(),
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": signed,
                **(headers or {}),
            },
        )

    async def command(self, user: str, text: str, *, channel: str = "C1", trigger: str | None = "") -> ClientResponse:
        """A slash command; Slack gives each invocation a fresh trigger id (one is made unless given, or None)."""
        if trigger == "":
            trigger = f"auto-{next(_TRIGGERS)}"
        form = {
            "token": "x",
            "team_id": "T1",
            "user_id": user,
            "user_name": user.lower(),
            "channel_id": channel,
            "channel_name": "general",
            "command": "/cop",
            "text": text,
            "response_url": "http://127.0.0.1/none",
        }
        if trigger:
            form["trigger_id"] = trigger
        return await self.post(urlencode(form), "application/x-www-form-urlencoded")

    async def event(self, event: dict[str, Any], *, event_id: str = "Ev1", retry: int | None = None) -> ClientResponse:
        body = json.dumps(
            {
                "token": "x",
                "team_id": "T1",
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": 1700000000,
                "event": event,
            }
        )
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return await self.post(body, "application/json", headers=headers)

    async def interact(self, payload: dict[str, Any]) -> ClientResponse:
        return await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def blocks_text(self, method: str, index: int = -1) -> str:
        """All mrkdwn text of one recorded call, for reading what a member saw."""
        args = self.fake.called(method)[index].args
        found: list[str] = []
        _collect(args.get("blocks") or [], found)
        return "\n".join(found)


def _collect(node: Any, found: list[str]) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("text"), str):
            found.append(node["text"])
        for value in node.values():
            _collect(value, found)
    elif isinstance(node, list):
        for item in node:
            _collect(item, found)
