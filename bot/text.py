"""Member-written text: cleaned as it comes in (`clean`, `parse_id`), and content, never markup, as it goes out."""

from __future__ import annotations

import re
from urllib.parse import urlparse

# Broadcast mentions on any platform; a zero-width joiner after "@" keeps the word readable but inert.
_BROADCAST = re.compile(r"([@!])(?=(channel|here|everyone|all|group)\b)", re.IGNORECASE)
_MARKUP = re.compile(r"([*_~`\[\]|\\])")
MAX_INPUT = 4000
# Ids in our tables are 32-bit on every database: a larger number cannot name anything we stored.
MAX_ID = 2**31 - 1
_ID = re.compile(r"#?([0-9]{1,10})")
# Control characters (C0, DEL, C1) other than tab and newline, and lone surrogates: never part of what a member
# means, and PostgreSQL refuses NUL in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean(text: str) -> str:
    """Inbound text as a member meant it: line breaks as "\\n", no control characters (NUL, escapes, lone
    surrogates). Every adapter's inbound translation passes what it reads through here."""
    if text.isprintable():
        return text  # the common case, without a copy
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def parse_id(value: str) -> int | None:
    """The id a button value or a typed "#12" names, or None when it cannot name one of ours (not a plain number,
    zero, or beyond 32 bits)."""
    m = _ID.fullmatch(value.strip())
    if m is None:
        return None
    number = int(m[1])
    return number if 1 <= number <= MAX_ID else None


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
