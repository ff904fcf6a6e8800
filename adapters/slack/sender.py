"""The only place that talks to Slack's Web API: one call at a time as asked, its errors classified into ours.
Pacing and retries are the core sender's (bot/sender.py); a 429 is reported with its Retry-After, not slept on."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
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
    "messages_tab_disabled",
}
PER_CHANNEL_INTERVAL = 1.0  # Slack allows about one message per second per channel


def web_client(token: str, base_url: str, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """The SDK's client without its own retry handlers: a rate limit comes back to us at once, so the message is
    rescheduled instead of a task sleeping on it. Given a session, connections to Slack are kept and reused."""
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    return AsyncWebClient(token=token, base_url=base_url, session=session, retry_handlers=[])


class SlackSender:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def call(self, method: str, **kwargs: Any) -> dict[str, Any]:
        """Call a Web API method; raises Unreachable (no point retrying) or DeliveryError (with Retry-After)."""
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
