"""The one way member-written text goes into a bot message: as content, never as markup."""
from __future__ import annotations

import re
from urllib.parse import urlparse

# Broadcast mentions on any platform; a zero-width joiner after "@" keeps the word readable but inert.
_BROADCAST = re.compile(r"([@!])(?=(channel|here|everyone|all|group)\b)", re.IGNORECASE)
_MARKUP = re.compile(r"([*_~`\[\]|\\])")
MAX_INPUT = 4000


def content(text: str) -> str:
    """Escape member text for the portable markdown subset; adapters escape their own syntax (<, &) on top."""
    text = _MARKUP.sub(r"\\\1", text)
    return _BROADCAST.sub("\\1\u2060", text)


def unescape(text: str) -> str:
    """Portable markdown -> plain text with escapes removed (console, Yammer)."""
    return re.sub(r"\\([*_~`\[\]|\\])", r"\1", text)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def is_web_address(text: str) -> bool:
    """An http(s) address with a host name: what routines accept as a link."""
    parsed = urlparse(text.strip())
    return parsed.scheme in ("http", "https") and "." in parsed.netloc
