"""Signed, tamper-proof tokens for links sent to members (web sign-in, digest unsubscribe).

itsdangerous does the signing (HMAC-SHA1 by default, key derived per purpose), the URL-safe encoding and the
timestamp: a well-kept library rather than hand-rolled HMAC. A token made for one purpose ("web-sign-in") never
passes for another ("digest-unsubscribe"), because the purpose is the signer's salt.
"""

from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class BadToken(ValueError):
    """A token that was tampered with, made for another purpose or with another key, or is too old."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


def _serializer(secret: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=f"cultivate:{purpose}")


def sign(secret: str, purpose: str, payload: dict[str, Any]) -> str:
    """A URL-safe token carrying `payload` (small JSON values); only `unsign` with the same key and purpose reads it."""
    return str(_serializer(secret, purpose).dumps(payload))


def unsign(secret: str, purpose: str, token: str, max_age_seconds: int | None = None) -> dict[str, Any]:
    """The payload of a token made by `sign`; raises BadToken if it was altered, is for another purpose or expired."""
    try:
        payload = _serializer(secret, purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired as exc:
        raise BadToken("expired") from exc
    except (BadSignature, UnicodeError, ValueError) as exc:
        raise BadToken("invalid") from exc
    if not isinstance(payload, dict):
        raise BadToken("invalid")
    return payload
