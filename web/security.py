"""What every page answer carries: a content security policy with no inline scripts, no caching of private pages,
no referrer to other sites (a sign-in link must not leak), and compression. Also the CSRF token every form posts
back."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable

from aiohttp import web

# No script at all; styles only from our own stylesheet; charts are SVG images inlined as data: addresses.
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    # Addresses (a sign-in link's token) never go to another site; our own forms still say where they came from.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
CSRF_FIELD = "csrf"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Security headers on every answer, also refusals and redirects; private pages are never cached."""
    try:
        response = await handler(request)
    except web.HTTPException as e:
        _secure(request, e)
        raise
    _secure(request, response)
    return response


def _secure(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if "/_static/" not in request.path:
        response.headers.setdefault("Cache-Control", "no-store")
    if isinstance(response, web.Response) and isinstance(response.body, bytes) and len(response.body) > 1024:
        response.enable_compression()


def csrf_token(secret: str, session_token: str) -> str:
    """The token forms post back: bound to the session, so it is useless to another browser."""
    return hmac.new(secret.encode(), f"csrf:{session_token}".encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: str, session_token: str, posted: str) -> bool:
    return hmac.compare_digest(csrf_token(secret, session_token), posted or "")
