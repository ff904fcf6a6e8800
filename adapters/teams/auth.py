"""Bot Framework bearer tokens, checked without blocking: the signature with a key from SigningKeys, then issuer,
audience (our app id), expiry, the key's endorsement of the channel and the service URL the token was issued for.
Any mismatch is Unauthorized (a 401), never a 500 and never a long wait. Used by both SDKs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jwt

from adapters.teams.keys import SigningKeys

CHANNEL_ISSUER = "https://api.botframework.com"  # who signs what the Bot Connector sends to bots
LEEWAY = 300  # seconds of clock skew allowed, as the Bot Framework allows
ALGORITHMS = ["RS256"]


class Unauthorized(Exception):
    """The request's token is missing or does not hold; the message is a short reason for the log."""


@dataclass(frozen=True)
class Identity:
    """Who sent an activity: the verified claims of its token, or none when authentication is off."""

    claims: dict[str, Any] = field(default_factory=dict)

    @property
    def anonymous(self) -> bool:
        return not self.claims


class TokenCheck:
    def __init__(self, app_id: str | None, keys: SigningKeys | None, *, issuer: str = CHANNEL_ISSUER) -> None:
        # No app id is authentication off, which settings allow only with TEAMS_LOCAL_NO_AUTH.
        assert keys is not None or not app_id
        self.app_id = app_id or ""
        self.keys = keys
        self.issuer = issuer

    async def identify(self, authorization: str | None, activity: dict[str, Any]) -> Identity:
        """The identity behind a request's Authorization header, or Unauthorized."""
        if not self.app_id or self.keys is None:
            return Identity()
        scheme, _sep, token = (authorization or "").strip().partition(" ")
        token = token.strip()
        if scheme.casefold() != "bearer" or not token:
            raise Unauthorized("no bearer token")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthorized("not a JWT") from None
        key_id = header.get("kid")
        if header.get("alg") not in ALGORITHMS or not isinstance(key_id, str) or not key_id:
            raise Unauthorized(f"a token signed with {str(header.get('alg'))[:20]!r} and no usable key id")
        key = await self.keys.find(key_id)
        if key is None:
            raise Unauthorized(f"unknown signing key {key_id[:60]!r}")
        if key.endorsements and activity.get("channelId") not in key.endorsements:
            raise Unauthorized(f"the key is not endorsed for channel {str(activity.get('channelId'))[:40]!r}")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=ALGORITHMS,
                audience=self.app_id,
                issuer=self.issuer,
                leeway=LEEWAY,
                options={"require": ["exp", "iss", "aud"]},
            )
        except (jwt.PyJWTError, ValueError, TypeError) as e:
            raise Unauthorized(f"{type(e).__name__}: {str(e)[:100]}") from None
        # The token names the service URL it lets us be called from; an activity pointing elsewhere is not ours.
        if not claims.get("serviceurl") or claims.get("serviceurl") != activity.get("serviceUrl"):
            raise Unauthorized("the token's serviceurl is not the activity's")
        return Identity(claims)

    async def close(self) -> None:
        if self.keys is not None:
            await self.keys.close()
