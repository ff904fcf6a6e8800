"""CULTIVATE_SMTP_URL read into where and how to send mail: `smtp://user:pass@host:587` (STARTTLS required),
`smtps://user:pass@host:465` (TLS from the first byte), `smtp://127.0.0.1:25?starttls=off` (plain, loopback only)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

LOOPBACK_NAMES = ("localhost",)
# How the reason of a mail refused for good (a 5xx for the recipient) starts, in the queue: counted per member.
HARD_BOUNCE = "hard bounce"


class SmtpUrlError(ValueError):
    """The URL cannot be used; the message is one line for the operator."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None
    password: str | None
    implicit_tls: bool  # smtps://
    starttls: bool  # smtp:// unless ?starttls=off

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def is_loopback(host: str) -> bool:
    if host.casefold() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse(url: str) -> SmtpServer:
    """The server a CULTIVATE_SMTP_URL names; raises SmtpUrlError saying what is wrong (never echoing a password)."""
    name = "CULTIVATE_SMTP_URL"
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise SmtpUrlError(f"{name} must start with smtp:// or smtps://, like smtp://user:pass@mail.example.org:587")
    try:
        port = parts.port
    except ValueError:
        raise SmtpUrlError(f"{name} has a port that is not a number from 1 to 65535") from None
    host = parts.hostname or ""
    if not host:
        raise SmtpUrlError(f"{name} names no host, like smtp://user:pass@mail.example.org:587")
    query = parse_qs(parts.query)
    starttls_word = (query.get("starttls") or ["on"])[-1].casefold()
    if starttls_word not in ("on", "off") or set(query) - {"starttls"}:
        raise SmtpUrlError(f"{name} takes only ?starttls=off (for a relay on loopback), not ?{parts.query}")
    implicit = parts.scheme == "smtps"
    starttls = starttls_word == "on" and not implicit
    if implicit and starttls_word == "off":
        raise SmtpUrlError(f"{name}: smtps:// is TLS from the start; ?starttls=off does not apply to it")
    if not implicit and not starttls and not is_loopback(host):
        raise SmtpUrlError(
            f"{name}: ?starttls=off sends mail and passwords in clear; it is allowed only for a relay on loopback "
            f"(127.0.0.1, ::1, localhost), not {host}"
        )
    return SmtpServer(
        host=host,
        port=port or (465 if implicit else 587),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        implicit_tls=implicit,
        starttls=starttls,
    )
