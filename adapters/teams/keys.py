"""The Bot Framework's signing keys: read from its OpenID configuration with aiohttp and a timeout, kept in memory and
read again in the background, so that a request never waits long for them and a stranger cannot make us read often."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt

log = logging.getLogger(__name__)

OPENID_METADATA = "https://login.botframework.com/v1/.well-known/openidconfiguration"
WAIT = 1.0  # seconds after a read begins that requests wait for it; then they are refused and the read goes on
READ_TIMEOUT = 10.0  # seconds a read (configuration and keys) may take in all
REFRESH_EVERY = 24 * 3600.0  # Microsoft rolls keys over days ahead; a daily read keeps up
RETRY_EVERY = 60.0  # at most one read a minute prompted by an unknown key: forged tokens cannot make a flood
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class SigningKey:
    key: Any  # the public key, as PyJWT takes it
    endorsements: frozenset[str]  # the channels (msteams, ...) the key may sign for; empty means any


class SigningKeys:
    def __init__(
        self,
        metadata_url: str = OPENID_METADATA,
        *,
        wait: float = WAIT,
        read_timeout: float = READ_TIMEOUT,
        refresh_every: float = REFRESH_EVERY,
        retry_every: float = RETRY_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.metadata_url = metadata_url
        self.wait = wait
        self.read_timeout = read_timeout
        self.refresh_every = refresh_every
        self.retry_every = retry_every
        self.clock = clock
        self._keys: dict[str, SigningKey] = {}
        self._read_at: float | None = None  # last read that worked
        self._tried_at: float | None = None  # last read started
        self._reading: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    async def find(self, key_id: str) -> SigningKey | None:
        """The key with this id, or None. An unknown id starts a read (unless one was tried a moment ago) and waits
        for it, at most until `wait` seconds after it began; a known key is answered at once, and an old set is read
        again behind it."""
        key = self._keys.get(key_id)
        now = self.clock()
        may_read = self._reading is None and (self._tried_at is None or now - self._tried_at >= self.retry_every)
        if key is not None:
            if may_read and self._read_at is not None and now - self._read_at > self.refresh_every:
                self._start()
            return key
        if may_read:
            self._start()
        if self._reading is not None and self._tried_at is not None:
            # Requests wait for a read only in its first `wait` seconds: a stalled one costs each of them less.
            await asyncio.wait({self._reading}, timeout=max(0.0, self._tried_at + self.wait - self.clock()))
        return self._keys.get(key_id)

    def _start(self) -> None:
        self._tried_at = self.clock()
        self._reading = asyncio.create_task(self._read(), name="teams-signing-keys")

    async def _read(self) -> None:
        try:
            async with asyncio.timeout(self.read_timeout):
                keys = await self._fetch()
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as e:
            # The keys known so far keep serving; the next unknown key tries again after RETRY_EVERY.
            log.warning("Teams: cannot read the signing keys (%s): %s", self.metadata_url, str(e)[:200] or type(e))
        else:
            self._keys, self._read_at = keys, self.clock()
            log.info("Teams: %s signing keys read", len(keys))
        finally:
            self._reading = None

    async def _fetch(self) -> dict[str, SigningKey]:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        metadata = await self._json(self._session, self.metadata_url)
        keys: dict[str, SigningKey] = {}
        for jwk in (await self._json(self._session, str(metadata["jwks_uri"]))).get("keys") or []:
            try:
                key = jwt.PyJWK(jwk)
            except jwt.PyJWTError:
                continue  # a key type we cannot use (nor does the Bot Framework sign with it)
            if isinstance(jwk.get("kid"), str):
                keys[jwk["kid"]] = SigningKey(key.key, frozenset(str(e) for e in jwk.get("endorsements") or ()))
        if not keys:
            raise ValueError("no usable keys")
        return keys

    @staticmethod
    async def _json(session: aiohttp.ClientSession, url: str) -> dict[str, Any]:
        body = bytearray()
        async with session.get(url) as response:
            response.raise_for_status()
            async for chunk in response.content.iter_chunked(64 * 1024):
                body += chunk
                if len(body) > MAX_BYTES:
                    raise ValueError(f"{url} answered more than {MAX_BYTES} bytes")
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError(f"{url} did not answer a JSON object")
        return data

    async def close(self) -> None:
        if self._reading is not None:
            self._reading.cancel()
            await asyncio.wait({self._reading})
        if self._session is not None:
            await self._session.close()
