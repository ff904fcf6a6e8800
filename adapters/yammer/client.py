"""The only place that talks to Yammer's REST API v1: the shared budget, 429s backed off, a rejected token noted."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp

from adapters.yammer.budget import Budget, Priority
from bot.platform import DeliveryError, Unreachable

log = logging.getLogger(__name__)
ATTEMPTS = 4  # per request: the first try and three after a 429 or an outage (reads: after a 429 only)
BACKOFF_SECONDS = 2.0  # doubled each time; a 429's Retry-After wins when it says longer
TIMEOUT = aiohttp.ClientTimeout(total=30)


class TokenRejected(DeliveryError):
    """401: the access token has expired or was revoked. Retrying helps only once it is renewed."""


class YammerClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        session: aiohttp.ClientSession,
        budget: Budget,
        *,
        backoff: float = BACKOFF_SECONDS,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.token = token
        self.session = session
        self.budget = budget
        self.backoff = backoff
        # Why Yammer refuses us, for /healthz; None while all is well.
        self.problem: str | None = None

    async def get(self, path: str, priority: Priority = Priority.BACKGROUND, **params: Any) -> dict[str, Any]:
        """A read. An outage or a server error is reported after one try: the poller reads again next round, and
        one failing endpoint must not hold up the others while it is retried. A 429 is still waited out, as the
        whole budget waits for it anyway."""
        query = {k: str(v) for k, v in params.items() if v is not None}
        return await self._request("GET", path, priority, outage_tries=1, params=query)

    async def post_message(self, fields: dict[str, str]) -> dict[str, Any]:
        """POST messages.json (a group post, a reply with replied_to_id, or a direct message). Tried once: a 429 or
        an outage comes back with how long to wait, and the core's sender tries the message again then."""
        return await self._request("POST", "messages.json", Priority.PERSON, attempts=1, data=fields)

    async def _request(
        self,
        method: str,
        path: str,
        priority: Priority,
        *,
        attempts: int = ATTEMPTS,
        outage_tries: int = ATTEMPTS,
        **kwargs: Any,
    ) -> dict[str, Any]:
        what = f"Yammer {method} {path.split('?')[0]}"
        delay = self.backoff
        outages = 0
        for attempt in range(1, attempts + 1):
            try:
                async with (
                    self.budget.slot(priority),
                    self.session.request(
                        method,
                        self.base_url + path,
                        headers={"Authorization": f"Bearer {self.token}"},
                        timeout=TIMEOUT,
                        **kwargs,
                    ) as response,
                ):
                    status = response.status
                    retry_after = response.headers.get("Retry-After")
                    data = await _json(response) if status < 300 else None
            except (aiohttp.ClientError, OSError, TimeoutError) as e:
                status, retry_after, data = 0, None, None
                reason = f"{type(e).__name__}: {e}"
            if status == 401:
                self._rejected()
                raise TokenRejected(f"{what}: 401, the access token was rejected", retry_after=60)
            if status in (403, 404):
                raise Unreachable(f"{what}: {status}")
            if 400 <= status < 500 and status != 429:
                raise DeliveryError(f"{what}: {status}, refused as asked", retry=False)  # asking again cannot help
            if 200 <= status < 300:
                self._accepted()
                return data if isinstance(data, dict) else {}
            if status == 429:
                wait = max(delay, _seconds(retry_after))
                self.budget.pause(wait)  # everyone waits: the window is spent, whoever sends next
                reason = "429, over the rate limit"
            else:
                reason = f"{status}" if status else reason
                wait, outages = delay, outages + 1
                if outages >= outage_tries:
                    break
            if attempt < attempts:
                log.info("%s failed (%s); trying again in %.1f s", what, reason, wait)
                await asyncio.sleep(wait)
                delay *= 2
        tries = f" after {attempt} attempts" if attempt > 1 else ""
        raise DeliveryError(f"{what}: {reason}{tries}", retry_after=wait)

    def _rejected(self) -> None:
        if self.problem is None:
            # Once, not at every poll: the operator must renew the token; until then Yammer is quiet.
            log.error(
                "Yammer rejected YAMMER_ACCESS_TOKEN (401): it has expired or been revoked. Renew it; "
                "Cultivate keeps checking and carries on with the other platforms meanwhile."
            )
        self.problem = "access token rejected (401): renew YAMMER_ACCESS_TOKEN"

    def _accepted(self) -> None:
        if self.problem is not None:
            log.warning("Yammer accepts the access token again; polling resumes")
            self.problem = None


async def _json(response: aiohttp.ClientResponse) -> Any:
    """The answer's JSON; None if it is not JSON (the request did succeed, so it is not sent again)."""
    try:
        return await response.json(content_type=None)
    except ValueError:
        return None


def _seconds(retry_after: str | None) -> float:
    try:
        return max(0.0, float(retry_after)) if retry_after else 0.0
    except ValueError:
        return 0.0
