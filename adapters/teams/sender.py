"""The only place that talks to the Bot Connector: one call as asked, its errors classified into ours. Pacing and
retries are the core sender's (bot/sender.py): a 429 or a 5xx comes back with its Retry-After, not slept on."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ErrorResponseException,
)
from botframework.connector.aio import ConnectorClient
from msrest.exceptions import ClientRequestError

from bot.platform import DeliveryError, Unreachable

log = logging.getLogger(__name__)

PER_CONVERSATION_INTERVAL = 1 / 7  # Teams allows about 7 messages per second per conversation
RETRY_STATUSES = {412, 429, 502, 503, 504}

Connectors = Callable[[str], Awaitable[ConnectorClient]]


class TeamsSender:
    def __init__(self, connectors: Connectors) -> None:
        self.connectors = connectors

    async def send(
        self, service_url: str, conversation_id: str, activity: dict[str, Any], reply_to: str | None = None
    ) -> str | None:
        """POST an activity to a conversation (under `reply_to` for a thread reply); returns its id."""
        outgoing = _activity(activity, conversation_id)

        async def call(client: ConnectorClient) -> Any:
            if reply_to:
                return await client.conversations.reply_to_activity(conversation_id, reply_to, outgoing)
            return await client.conversations.send_to_conversation(conversation_id, outgoing)

        response = await self._call(service_url, "send", call)
        return getattr(response, "id", None)

    async def update(self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any]) -> None:
        """PUT a new version of an activity sent earlier (a card with new counts)."""
        outgoing = _activity(activity, conversation_id)
        outgoing.id = activity_id

        async def call(client: ConnectorClient) -> Any:
            return await client.conversations.update_activity(conversation_id, activity_id, outgoing)

        await self._call(service_url, "update", call)

    async def create_personal(self, service_url: str, tenant: str, bot_id: str, user_id: str) -> str:
        """POST /v3/conversations: open (or find) the personal chat with a member; returns its conversation id."""
        parameters = ConversationParameters(
            is_group=False,
            bot=ChannelAccount(id=bot_id),
            members=[ChannelAccount(id=user_id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )

        async def call(client: ConnectorClient) -> Any:
            return await client.conversations.create_conversation(parameters)

        response = await self._call(service_url, "create conversation", call)
        conversation_id = getattr(response, "id", None)
        if not conversation_id:
            raise DeliveryError("Teams create conversation: no conversation id in the answer")
        return str(conversation_id)

    async def member(self, service_url: str, conversation_id: str, user_id: str) -> dict[str, Any]:
        """GET /v3/conversations/{id}/members/{user}: the member as Teams knows them (name, email, ...)."""

        async def call(client: ConnectorClient) -> Any:
            return await client.conversations.get_conversation_member(conversation_id, user_id)

        account = await self._call(service_url, "member look-up", call)
        return dict(account.serialize()) if account is not None else {}

    async def _call(self, service_url: str, what: str, call: Callable[[ConnectorClient], Awaitable[Any]]) -> Any:
        client = await self.connectors(service_url)
        try:
            return await call(client)
        except ErrorResponseException as e:
            status = e.response.status_code if e.response is not None else 0
            if status in (401, 403, 404):
                raise Unreachable(f"Teams {what}: {status} {_reason(e)}") from None
            retry = status in RETRY_STATUSES or status >= 500
            raise DeliveryError(
                f"Teams {what}: {status} {_reason(e)}", retry=retry, retry_after=_retry_after(e)
            ) from None
        except (TimeoutError, ClientRequestError, OSError) as e:
            raise DeliveryError(f"Teams {what}: {type(e).__name__}: {e}") from None


def _activity(data: dict[str, Any], conversation_id: str) -> Activity:
    activity = Activity().deserialize({**data, "conversation": {"id": conversation_id}})
    return activity


def _retry_after(error: ErrorResponseException) -> float | None:
    headers = error.response.headers if error.response is not None else {}
    value = headers.get("Retry-After") if headers else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _reason(error: ErrorResponseException) -> str:
    inner = getattr(error, "error", None)
    message = getattr(getattr(inner, "error", None), "message", None)
    return str(message or error.message or "")[:200]
