"""The only place that says things to the Bot Connector: one call as asked, its errors classified into ours. Pacing
and retries are the core sender's (bot/sender.py): a 429 or a 5xx comes back with its Retry-After, not slept on.
The calls themselves go through the SDK's connector (adapters.teams.sdk)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from adapters.teams.sdk import Connector, ConnectorError, ConnectorOffline
from bot.platform import DeliveryError, Unreachable

log = logging.getLogger(__name__)

PER_CONVERSATION_INTERVAL = 1 / 7  # Teams allows about 7 messages per second per conversation
RETRY_STATUSES = {412, 429, 502, 503, 504}

Connectors = Callable[[str], Awaitable[Connector]]


class TeamsSender:
    def __init__(self, connectors: Connectors) -> None:
        self.connectors = connectors

    async def send(
        self, service_url: str, conversation_id: str, activity: dict[str, Any], reply_to: str | None = None
    ) -> str | None:
        """POST an activity to a conversation (under `reply_to` for a thread reply); returns its id."""
        outgoing = {**activity, "conversation": {"id": conversation_id}}

        async def call(client: Connector) -> str | None:
            if reply_to:
                return await client.reply(conversation_id, reply_to, outgoing)
            return await client.send(conversation_id, outgoing)

        sent: str | None = await self._call(service_url, "send", call)
        return sent

    async def update(self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any]) -> None:
        """PUT a new version of an activity sent earlier (a card with new counts)."""
        outgoing = {**activity, "conversation": {"id": conversation_id}, "id": activity_id}

        async def call(client: Connector) -> None:
            await client.update(conversation_id, activity_id, outgoing)

        await self._call(service_url, "update", call)

    async def create_personal(self, service_url: str, tenant: str, bot_id: str, user_id: str) -> str:
        """POST /v3/conversations: open (or find) the personal chat with a member; returns its conversation id."""
        parameters = {
            "isGroup": False,
            "bot": {"id": bot_id},
            "members": [{"id": user_id}],
            "tenantId": tenant,
            "channelData": {"tenant": {"id": tenant}},
        }

        async def call(client: Connector) -> str | None:
            return await client.create_conversation(parameters)

        conversation_id = await self._call(service_url, "create conversation", call)
        if not conversation_id:
            raise DeliveryError("Teams create conversation: no conversation id in the answer")
        return str(conversation_id)

    async def member(self, service_url: str, conversation_id: str, user_id: str) -> dict[str, Any]:
        """GET /v3/conversations/{id}/members/{user}: the member as Teams knows them (name, email, ...)."""

        async def call(client: Connector) -> dict[str, Any]:
            return await client.member(conversation_id, user_id)

        account: dict[str, Any] = await self._call(service_url, "member look-up", call)
        return account

    async def _call(self, service_url: str, what: str, call: Callable[[Connector], Awaitable[Any]]) -> Any:
        client = await self.connectors(service_url)
        try:
            return await call(client)
        except ConnectorError as e:
            if e.status in (401, 403, 404):
                raise Unreachable(f"Teams {what}: {e.status} {e.reason}") from None
            retry = e.status in RETRY_STATUSES or e.status >= 500
            raise DeliveryError(
                f"Teams {what}: {e.status} {e.reason}", retry=retry, retry_after=e.retry_after
            ) from None
        except ConnectorOffline as e:
            raise DeliveryError(f"Teams {what}: {e}") from None
