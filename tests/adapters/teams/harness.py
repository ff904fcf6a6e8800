"""Cultivate's real web application with the Teams adapter, fed Bot Framework activities as Teams sends them,
answering through a local fake Bot Connector."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from adapters.teams.app import MESSAGES_PATH, TeamsAdapter
from adapters.teams.keys import SigningKeys
from bot.clock import ManualClock
from bot.registry import Routine
from bot.runtime import Runtime
from bot.server import build_app
from bot.settings import Settings
from flows import all_routines
from tests.adapters.teams.fake_connector import FakeConnector
from tests.conftest import START

TENANT = "tenant-1"
BOT = "28:cultivate-bot"
TEAM_CHANNEL = "19:general@thread.tacv2"
NO_ISSUER = "http://127.0.0.1:9/no-issuer"  # the discard port: refused at once
PEOPLE = {"29:amina": "Amina", "29:baraka": "Baraka O.", "29:chidi": "Chidi"}


@dataclass
class TeamsBot:
    runtime: Runtime
    adapter: TeamsAdapter
    fake: FakeConnector
    client: TestClient
    service_url: str
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @classmethod
    async def open(
        cls,
        database_url: str,
        routines: list[Routine] | None = None,
        *,
        fake: FakeConnector | None = None,
        clock: ManualClock | None = None,
        interval: float = 0.0,
        signing_keys: SigningKeys | None = None,
        **settings: Any,
    ) -> TeamsBot:
        """Authentication off (no app id, TEAMS_LOCAL_NO_AUTH) unless `teams_app_id` is given; tokens are then
        checked with `signing_keys` (a fake issuer's; by default none that answers: tests never reach Microsoft)."""
        fake = fake or FakeConnector()
        fake.members.update(
            {user: {"id": user, "name": name, "givenName": name.split()[0]} for user, name in PEOPLE.items()}
        )
        service_url = await fake.start() if fake.server is None else str(fake.server.make_url("")).rstrip("/")
        settings.setdefault("teams_local_no_auth", "teams_app_id" not in settings)
        settings.setdefault("send_retry_base_seconds", 0.01)
        if "teams_app_id" in settings and signing_keys is None:
            signing_keys = SigningKeys(NO_ISSUER)
        config = Settings(database_url=database_url, **settings)
        runtime = await Runtime.open(
            config,
            routines or all_routines(),
            clock=clock or ManualClock(START),
            extra_coordinators=("teams:29:amina",),
        )
        adapter = TeamsAdapter(runtime.host, interval=interval, signing_keys=signing_keys)
        runtime.add_adapter(adapter)
        runtime.start_workers()  # as `serve` does: events are handled and answers sent as they come
        client = TestClient(TestServer(build_app(runtime, adapter.routes())))
        await client.start_server()
        return cls(runtime, adapter, fake, client, service_url)

    async def settled(self) -> None:
        await self.adapter.settled()
        await self.runtime.settle(patience=5.0)

    async def close(self, *, keep_fake: bool = False) -> None:
        await self.client.close()
        await self.runtime.close()
        if not keep_fake:
            await self.fake.close()

    # -- activities as Teams sends them --------------------------------------------------------
    def activity(self, kind: str, user: str, conversation: dict[str, Any], **fields: Any) -> dict[str, Any]:
        return {
            "type": kind,
            "id": f"1700000000{next(self._ids):03d}",
            "timestamp": "2026-03-02T09:00:00.000Z",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": {"id": user, "name": PEOPLE.get(user, user), "aadObjectId": "aad-" + user},
            "recipient": {"id": BOT, "name": "Cultivate"},
            "conversation": {"tenantId": TENANT, **conversation},
            "channelData": {"tenant": {"id": TENANT}},
            **fields,
        }

    def personal(self, user: str) -> dict[str, Any]:
        return {"id": f"a:chat-{user}", "conversationType": "personal"}

    def channel(self, root: str | None = None) -> dict[str, Any]:
        return {
            "id": TEAM_CHANNEL + (f";messageid={root}" if root else ""),
            "conversationType": "channel",
            "isGroup": True,
        }

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> ClientResponse:
        response = await self.client.post(MESSAGES_PATH, json=activity, headers=headers)
        await self.settled()
        return response

    async def say(self, user: str, text: str) -> ClientResponse:
        """A message in the member's personal chat with Cultivate."""
        return await self.post(
            self.activity(
                "message",
                user,
                self.personal(user),
                text=text,
                textFormat="plain",
                entities=[{"type": "clientInfo", "locale": "en-GB", "timezone": "Africa/Nairobi"}],
            )
        )

    async def mention(self, user: str, text: str, *, root: str | None = None) -> ClientResponse:
        """`@Cultivate <text>` in the team's channel (a new post, or a reply in the thread under `root`)."""
        activity = self.activity(
            "message",
            user,
            self.channel(root),
            text=f"<at>Cultivate</at> {text}",
            textFormat="plain",
            entities=[{"type": "mention", "text": "<at>Cultivate</at>", "mentioned": {"id": BOT, "name": "Cultivate"}}],
            channelData={
                "tenant": {"id": TENANT},
                "team": {"id": "19:team@thread.tacv2"},
                "channel": {"id": TEAM_CHANNEL},
            },
        )
        if root:
            activity["replyToId"] = root
        return await self.post(activity)

    async def members_added(self, *users: str, conversation: dict[str, Any] | None = None) -> ClientResponse:
        return await self.post(
            self.activity(
                "conversationUpdate",
                "29:admin",
                conversation or self.channel(),
                membersAdded=[{"id": u, "aadObjectId": "aad-" + u} for u in users],
                channelData={
                    "tenant": {"id": TENANT},
                    "team": {"id": "19:team@thread.tacv2"},
                    "eventType": "teamMemberAdded",
                },
            )
        )

    async def submit(
        self, user: str, conversation: dict[str, Any], card_id: str, data: dict[str, Any]
    ) -> ClientResponse:
        """Action.Submit on a card: a message whose value holds the card's data and inputs."""
        return await self.post(self.activity("message", user, conversation, replyToId=card_id, value=data))
