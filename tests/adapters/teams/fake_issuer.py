"""A local fake of the Bot Framework's token issuer: its OpenID configuration and signing keys (JWKS), and tokens
signed as the Bot Connector signs what it sends to bots. It can stall, as a slow or hostile network would."""

from __future__ import annotations

import asyncio
import base64
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa

from adapters.teams.auth import CHANNEL_ISSUER

KEY_ID = "test-key-1"


@cache
def private_key(name: str = KEY_ID) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jwk(name: str = KEY_ID, endorsements: tuple[str, ...] = ("msteams",)) -> dict[str, Any]:
    numbers = private_key(name).public_key().public_numbers()
    return {
        "kty": "RSA",
        "use": "sig",
        "kid": name,
        "n": _b64(numbers.n),
        "e": _b64(numbers.e),
        "endorsements": list(endorsements),
    }


def token(
    app_id: str,
    service_url: str,
    *,
    key_id: str = KEY_ID,
    signed_with: str | None = None,
    issuer: str = CHANNEL_ISSUER,
    expires_in: float = 3600,
    **claims: Any,
) -> str:
    """A token as the Bot Connector sends it (`signed_with` another key than `key_id` names, for a forgery)."""
    now = int(time.time())
    payload = {"iss": issuer, "aud": app_id, "serviceurl": service_url, "nbf": now - 60, "exp": int(now + expires_in)}
    return jwt.encode(payload | claims, private_key(signed_with or key_id), algorithm="RS256", headers={"kid": key_id})


@dataclass
class FakeIssuer:
    keys: list[dict[str, Any]] = field(default_factory=lambda: [jwk()])
    stalled: bool = False  # answer nothing, ever (until closed)
    broken: bool = False  # answer 500
    reads: list[str] = field(default_factory=list)  # paths asked, in order
    server: TestServer | None = None
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> str:
        """Starts the server; returns the OpenID metadata URL."""
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/keys", self._keys)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return str(self.server.make_url("/v1/.well-known/openidconfiguration"))

    async def close(self) -> None:
        self._released.set()
        if self.server is not None:
            await self.server.close()

    async def _stall(self, request: web.Request) -> None:
        self.reads.append(request.path)
        if self.stalled:
            await self._released.wait()
        if self.broken:
            raise web.HTTPInternalServerError()

    async def _metadata(self, request: web.Request) -> web.Response:
        await self._stall(request)
        assert self.server is not None
        return web.json_response({"issuer": CHANNEL_ISSUER, "jwks_uri": str(self.server.make_url("/v1/keys"))})

    async def _keys(self, request: web.Request) -> web.Response:
        await self._stall(request)
        return web.json_response({"keys": self.keys})
