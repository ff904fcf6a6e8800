"""What the core asks of an adapter: who it is, what it can show, and how to send."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.events import Actor, Place
from bot.forms import Form
from bot.messages import Outgoing


class Capability(StrEnum):
    FORMS = "forms"  # native forms (modals, cards with inputs)
    BUTTONS = "buttons"  # clickable buttons
    THREADS = "threads"  # replies in threads
    EPHEMERAL = "ephemeral"  # messages only one user sees, in a shared channel
    # No whispering, but answers to a command may be read by all in its thread (Yammer); answers marked private still
    # go to a direct conversation. Without either, every answer in a channel goes to a direct conversation (Teams).
    PUBLIC_REPLIES = "public_replies"
    UPDATES = "updates"  # editing a message already sent


class DeliveryError(Exception):
    """Sending failed; `retry` says whether trying again later may help (rate limit, outage)."""

    def __init__(self, reason: str, *, retry: bool = True, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry = retry
        self.retry_after = retry_after


class Unreachable(DeliveryError):
    """The recipient cannot be reached at all (bot not installed, user gone): do not retry."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, retry=False)


@dataclass(frozen=True)
class Profile:
    """What a platform says about a user: kept on the member, refreshed when it grows old."""

    display_name: str
    timezone: str | None


class Adapter(Protocol):
    """Optional, found with getattr: routes(), start(), close(), profile(user_id, tenant), and problem() -> str | None,
    a line /healthz shows while the platform refuses us (a revoked token)."""

    platform: str
    capabilities: frozenset[Capability]

    async def send(self, place: Place, outgoing: Outgoing) -> str | None:
        """Deliver a message; returns the platform's id for it when there is one."""
        ...

    async def direct_place(self, user_id: str, tenant: str) -> Place:
        """The direct conversation with a user, opened if needed."""
        ...

    async def open_form(self, actor: Actor, form: Form, trigger: str | None) -> bool:
        """Show a native form now; False if it cannot (no trigger, expired): the core then asks field by field."""
        ...
