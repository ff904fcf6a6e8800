"""The only place that decides what is said to the Bot Connector and when: pacing per conversation, retries with
backoff, errors classified. The calls themselves go through the SDK's connector (adapters.teams.sdk)."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from adapters.teams.sdk import Connector, ConnectorError, ConnectorOffline
from bot.platform import DeliveryError, Unreachable

log = logging.getLogger(__name__)

PER_CONVERSATION_INTERVAL = 1 / 7  # Teams allows about 7 messages per second per conversation
RETRY_STATUSES = {412, 429, 502, 503, 504}
ATTEMPTS = 4  # tries per call before the outbox takes over
BASE_DELAY = 0.5  # seconds; doubled each try, with jitter
MAX_DELAY = 8.0

Connectors = Callable[[str], Awaitable[Connector]]


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
        outgoing = {**activity, "conversation": {"id": conversation_id}}

        async def call(client: Connector) -> str | None:
            if reply_to:
                return await client.reply(conversation_id, reply_to, outgoing)
            return await client.send(conversation_id, outgoing)

        sent: str | None = await self._paced(service_url, conversation_id, "send", call)
        return sent

    async def update(self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any]) -> None:
        """PUT a new version of an activity sent earlier (a card with new counts)."""
        outgoing = {**activity, "conversation": {"id": conversation_id}, "id": activity_id}

        async def call(client: Connector) -> None:
            await client.update(conversation_id, activity_id, outgoing)

        await self._paced(service_url, conversation_id, "update", call)

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

        conversation_id = await self._paced(service_url, f"create:{user_id}", "create conversation", call)
        if not conversation_id:
            raise DeliveryError("Teams create conversation: no conversation id in the answer")
        return str(conversation_id)

    async def member(self, service_url: str, conversation_id: str, user_id: str) -> dict[str, Any]:
        """GET /v3/conversations/{id}/members/{user}: the member as Teams knows them (name, email, ...)."""

        async def call(client: Connector) -> dict[str, Any]:
            return await client.member(conversation_id, user_id)

        account: dict[str, Any] = await self._retried(service_url, "member look-up", call)
        return account

    async def _paced(self, service_url: str, key: str, what: str, call: Callable[[Connector], Awaitable[Any]]) -> Any:
        async with self._locks[key]:
            wait = self._next.get(key, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                return await self._retried(service_url, what, call)
            finally:
                self._next[key] = time.monotonic() + self.interval

    async def _retried(self, service_url: str, what: str, call: Callable[[Connector], Awaitable[Any]]) -> Any:
        client = await self.connectors(service_url)
        for attempt in range(1, self.attempts + 1):
            retry_after: float | None = None
            try:
                return await call(client)
            except ConnectorError as e:
                if e.status in (401, 403, 404):
                    raise Unreachable(f"Teams {what}: {e.status} {e.reason}") from None
                if e.status not in RETRY_STATUSES:
                    raise DeliveryError(f"Teams {what}: {e.status} {e.reason}", retry=e.status >= 500) from None
                retry_after = e.retry_after
                failure = f"Teams {what}: {e.status} {e.reason}"
            except ConnectorOffline as e:
                failure = f"Teams {what}: {e}"
            if attempt == self.attempts:
                raise DeliveryError(failure, retry_after=retry_after)
            delay = min(MAX_DELAY, max(retry_after or 0.0, self.base_delay * 2 ** (attempt - 1)))
            delay *= random.uniform(1.0, 1.5)  # jitter: many senders do not come back in one burst
            log.info("%s; trying again in %.2f s (attempt %s of %s)", failure, delay, attempt + 1, self.attempts)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")
