"""What a request to /slack/events must pass before anything reads it: a bounded size, Slack's signature and a
fresh timestamp over the raw bytes, UTF-8, and a body Bolt can parse into an object. Bolt parses before it
verifies, so junk from anyone would otherwise reach its parser (and its tracebacks) unsigned."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from slack_bolt.request.internals import parse_body

# Slack's largest payloads (a view_submission of a full modal) are a few hundred KB; anything far larger is not
# Slack, and is refused before it is read whole.
MAX_BODY = 512 * 1024
MAX_SKEW = 5 * 60  # seconds: Slack's own rule for a request's timestamp, against replays
_SIGNATURE_LENGTH = len("v0=") + 64


class Refused(Exception):
    """A request turned away: the status to answer and a short reason for the log (never the body)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Admitted:
    """A signed request, read and parsed: the body as text (for Bolt) and as the object it holds."""

    text: str
    body: dict[str, Any]


async def admit(request: web.Request, secret: str | None, now: Callable[[], float] = time.time) -> Admitted:
    """Check a request the way Slack signs it, in order of cost; raises Refused with the status to answer."""
    if secret is None:
        # Socket Mode (an app token, no signing secret): Slack does not use this URL, and nothing here can be verified.
        raise Refused(401, "no signing secret is set, so no request over HTTP can be verified")
    headers = request.headers
    stamp, signature = headers.get("X-Slack-Request-Timestamp", ""), headers.get("X-Slack-Signature", "")
    _check_headers(stamp, signature, now())  # before reading: a request that cannot be Slack's is not read at all
    raw = await _read(request)
    _check_signature(raw, stamp, signature, secret)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the body is not UTF-8") from None
    try:
        # The content type as Bolt reads it, so what passes here parses the same way there.
        body = parse_body(text, headers.get("Content-Type", "").split(";")[0] or None)
    except (ValueError, RecursionError):
        raise Refused(400, "the body cannot be parsed") from None
    if not isinstance(body, dict):
        raise Refused(400, "the body is not an object")
    return Admitted(text, body)


async def _read(request: web.Request) -> bytes:
    """The body, reading no more than MAX_BODY (and nothing at all when its declared length is larger)."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise Refused(413, f"a body of {request.content_length} bytes (at most {MAX_BODY})")
    raw = bytearray()
    while len(raw) <= MAX_BODY:
        chunk = await request.content.read(MAX_BODY + 1 - len(raw))
        if not chunk:
            return bytes(raw)
        raw += chunk
    raise Refused(413, f"a body over {MAX_BODY} bytes")


def _check_headers(stamp: str, signature: str, now: float) -> None:
    """A fresh timestamp and a signature of Slack's v0 form; any header (non-ASCII, too long) is merely wrong."""
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
        raise Refused(401, "no readable timestamp")
    if abs(now - int(stamp)) > MAX_SKEW:
        raise Refused(401, "a stale timestamp")
    if len(signature) != _SIGNATURE_LENGTH or not signature.isascii():
        raise Refused(401, "no valid signature")


def _check_signature(raw: bytes, stamp: str, signature: str, secret: str) -> None:
    """Slack's v0 scheme: HMAC-SHA256 of "v0:<timestamp>:<body>" with the signing secret, compared on bytes."""
    expected = "v0=" + hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise Refused(401, "a wrong signature")
