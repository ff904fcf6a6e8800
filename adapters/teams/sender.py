"""The only place that talks to the Bot Connector: pacing per conversation, retries with backoff, errors classified."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import defaultdict
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
ATTEMPTS = 4  # tries per call before the outbox takes over
BASE_DELAY = 0.5  # seconds; doubled each try, with jitter
MAX_DELAY = 8.0

Connectors = Callable[[str], Awaitable[ConnectorClient]]


class TeamsSender:
    def __init__(
        self,
        connectors: Connectors,
        *,
        interval: float = PER_CONVERSATION_INTERVAL,
        attempts: int = ATTEMPTS,
        base_delay: float = BASE_DELAY,
    ) -> None:
        self.connectors = connectors
        self.interval = interval
        self.attempts = attempts
        self.base_delay = base_delay
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._next: dict[str, float] = {}

    async def send(
        self, service_url: str, conversation_id: str, activity: dict[str, Any], reply_to: str | None = None
    ) -> str | None:
        """POST an activity to a conversation (under `reply_to` for a thread reply); returns its id."""
        outgoing = _activity(activity, conversation_id)

        async def call(client: ConnectorClient) -> Any:
            if reply_to:
                return await client.conversations.reply_to_activity(conversation_id, reply_to, outgoing)
            return await client.conversations.send_to_conversation(conversation_id, outgoing)

        response = await self._paced(service_url, conversation_id, "send", call)
        return getattr(response, "id", None)

    async def update(self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any]) -> None:
        """PUT a new version of an activity sent earlier (a card with new counts)."""
        outgoing = _activity(activity, conversation_id)
        outgoing.id = activity_id

        async def call(client: ConnectorClient) -> Any:
            return await client.conversations.update_activity(conversation_id, activity_id, outgoing)

        await self._paced(service_url, conversation_id, "update", call)

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

        response = await self._paced(service_url, f"create:{user_id}", "create conversation", call)
        conversation_id = getattr(response, "id", None)
        if not conversation_id:
            raise DeliveryError("Teams create conversation: no conversation id in the answer")
        return str(conversation_id)

    async def member(self, service_url: str, conversation_id: str, user_id: str) -> dict[str, Any]:
        """GET /v3/conversations/{id}/members/{user}: the member as Teams knows them (name, email, ...)."""

        async def call(client: ConnectorClient) -> Any:
            return await client.conversations.get_conversation_member(conversation_id, user_id)

        account = await self._retried(service_url, "member look-up", call)
        return dict(account.serialize()) if account is not None else {}

    async def _paced(
        self, service_url: str, key: str, what: str, call: Callable[[ConnectorClient], Awaitable[Any]]
    ) -> Any:
        async with self._locks[key]:
            wait = self._next.get(key, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                return await self._retried(service_url, what, call)
            finally:
                self._next[key] = time.monotonic() + self.interval

    async def _retried(self, service_url: str, what: str, call: Callable[[ConnectorClient], Awaitable[Any]]) -> Any:
        client = await self.connectors(service_url)
        for attempt in range(1, self.attempts + 1):
            retry_after: float | None = None
            try:
                return await call(client)
            except ErrorResponseException as e:
                status = e.response.status_code if e.response is not None else 0
                if status in (401, 403, 404):
                    raise Unreachable(f"Teams {what}: {status} {_reason(e)}") from None
                if status not in RETRY_STATUSES:
                    raise DeliveryError(f"Teams {what}: {status} {_reason(e)}", retry=status >= 500) from None
                retry_after = _retry_after(e)
                failure = f"Teams {what}: {status} {_reason(e)}"
            except (TimeoutError, ClientRequestError, OSError) as e:
                failure = f"Teams {what}: {type(e).__name__}: {e}"
            if attempt == self.attempts:
                raise DeliveryError(failure, retry_after=retry_after)
            delay = min(MAX_DELAY, max(retry_after or 0.0, self.base_delay * 2 ** (attempt - 1)))
            delay *= random.uniform(1.0, 1.5)  # jitter: many senders do not come back in one burst
            log.info("%s; trying again in %.2f s (attempt %s of %s)", failure, delay, attempt + 1, self.attempts)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")


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
