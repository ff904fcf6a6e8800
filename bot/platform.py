"""What the core asks of an adapter (the contract), and the optional parts an adapter may add."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from aiohttp import web

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
class Sent:
    """What the platform called a message it took: its reference (for threads and updates), and the channel it
    landed in when the platform chose it (a direct message addressed by user)."""

    ref: str | None
    channel: str | None = None


@dataclass(frozen=True)
class Profile:
    """What a platform says about a user: kept on the member, refreshed when it grows old."""

    display_name: str
    timezone: str | None
    # The person's language as the platform states it ("fr-FR"), where it does.
    locale: str | None = None


class Adapter(Protocol):
    """Every adapter: who it is, what it can show, how to send, and how fast one conversation may be written to."""

    platform: str
    capabilities: frozenset[Capability]

    async def send(self, place: Place, outgoing: Outgoing) -> Sent:
        """Deliver a message (a direct place may name only `to_user`); raises DeliveryError or Unreachable."""
        ...

    def pacing(self, place: Place, outgoing: Outgoing) -> float:
        """Seconds to leave between messages to this place (0: none); the core's sender keeps to it."""
        ...

    async def open_form(self, actor: Actor, form: Form, trigger: str | None) -> bool:
        """Show a native form now; False if it cannot (no trigger, expired): the core then asks field by field."""
        ...


@runtime_checkable
class HasRoutes(Protocol):
    """An adapter reached over HTTP: its routes are mounted on `cultivate serve`'s one application."""

    def routes(self) -> Sequence[web.RouteDef]: ...


@runtime_checkable
class Starts(Protocol):
    """An adapter with work of its own (a socket, a poller), started once the core runs."""

    async def start(self) -> None: ...


@runtime_checkable
class Closes(Protocol):
    """An adapter holding connections or tasks, closed before the database is."""

    async def close(self) -> None: ...


@runtime_checkable
class KnowsProfiles(Protocol):
    """An adapter that can say a user's name and timezone."""

    async def profile(self, user_id: str, tenant: str) -> Profile | None: ...


@runtime_checkable
class ReportsProblems(Protocol):
    """An adapter that can say what keeps it from working (shown by /healthz while it lasts)."""

    def problem(self) -> str | None: ...
