"""Links Cultivate sends for the web pages: the one-time sign-in link, signed with CULTIVATE_SECRET_KEY."""

from __future__ import annotations

from typing import Any

from bot.signing import sign, unsign
from storage.web_sessions import LINK_LIFETIME

SIGN_IN = "web-sign-in"  # the signing purpose: such a token passes for nothing else
PAGES = "/c"


def sign_in_token(secret: str, nonce: str, member_id: int, community_id: int) -> str:
    """The signed part of a sign-in link: bound to the member and the community; the nonce makes it single-use."""
    return sign(secret, SIGN_IN, {"n": nonce, "m": member_id, "c": community_id})


def read_sign_in(secret: str, token: str) -> dict[str, Any]:
    """The payload of a sign-in token; raises bot.signing.BadToken if tampered with or older than the lifetime."""
    return unsign(secret, SIGN_IN, token, max_age_seconds=int(LINK_LIFETIME.total_seconds()))


def sign_in_address(base: str, slug: str, token: str) -> str:
    return f"{base}{PAGES}/{slug}/signin?t={token}"
