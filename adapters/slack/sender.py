"""The only place that talks to Slack's Web API: pacing per channel, 429s honoured, errors classified."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.platform import DeliveryError, Unreachable

log = logging.getLogger(__name__)

# Errors after which trying again cannot help.
_UNREACHABLE = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "user_not_found",
    "user_not_visible",
    "account_inactive",
    "cannot_dm_bot",
    "user_disabled",
    "restricted_action",
}
PER_CHANNEL_INTERVAL = 1.0  # Slack allows about one message per second per channel


def web_client(token: str, base_url: str, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """The SDK's client, with its own handler honouring 429 Retry-After (twice, then we report).
    Given a session, connections to Slack are kept and reused instead of opened per call."""
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        session=session,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )


class SlackSender:
    def __init__(self, client: AsyncWebClient, interval: float = PER_CHANNEL_INTERVAL) -> None:
        self.client = client
        self.interval = interval
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._next: dict[str, float] = {}
        self._dm_channels: dict[str, str] = {}

    async def call(self, method: str, *, channel: str | None = None, **kwargs: Any) -> dict[str, Any]:
        """Call a Web API method; messages to one channel leave at most one per `interval`."""
        if channel is None:
            return await self._call(method, kwargs)
        async with self._locks[channel]:
            wait = self._next.get(channel, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                return await self._call(method, {"channel": channel, **kwargs})
            finally:
                self._next[channel] = time.monotonic() + self.interval

    async def _call(self, method: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        try:
            response = await self.client.api_call(method, json=kwargs)
        except SlackApiError as e:
            error = str(e.response.get("error", "")) if e.response is not None else ""
            if error in _UNREACHABLE:
                raise Unreachable(f"Slack {method}: {error}") from None
            retry_after = None
            if e.response is not None and e.response.status_code == 429:
                retry_after = float(e.response.headers.get("Retry-After", e.response.headers.get("retry-after", 30)))
            raise DeliveryError(f"Slack {method}: {error or e}", retry_after=retry_after) from None
        except (TimeoutError, OSError) as e:
            raise DeliveryError(f"Slack {method}: {type(e).__name__}: {e}") from None
        return dict(response.data) if isinstance(response.data, dict) else {}

    async def open_dm(self, user_id: str) -> str:
        channel = self._dm_channels.get(user_id)
        if channel is None:
            data = await self.call("conversations.open", users=user_id)
            channel = self._dm_channels[user_id] = data["channel"]["id"]
        return channel
