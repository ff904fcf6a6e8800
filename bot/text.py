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


def split_lines(text: str, limit: int) -> list[str]:
    """Cut text into parts of at most `limit` characters, at line breaks where possible (a longer line is cut
    where it must), in order; parts holding only blank lines are dropped. Each platform has its own limit."""
    out: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:
            if current:
                out.append(current)
                current = ""
            out.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) > limit:
            out.append(current)
            current = ""
        current += line
    if current.strip():
        out.append(current)
    return out
