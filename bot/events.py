"""Inbound events: what every adapter turns its platform's traffic into."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Actor:
    """Someone acting on a platform, as the platform names them."""

    platform: str
    tenant: str
    user_id: str
    display_name: str = ""
    timezone: str | None = None
    # The language the platform says the person uses ("fr-FR"), where an event carries it (Teams).
    locale: str | None = None


@dataclass(frozen=True)
class Place:
    """Where something is said: a channel, a thread in it, or a direct conversation with one user. A direct
    conversation may be named by the user alone (`to_user`, channel empty): the adapter finds or opens it."""

    platform: str
    tenant: str
    channel: str
    thread: str | None = None
    direct: bool = False
    to_user: str | None = None

    @classmethod
    def direct_to(cls, platform: str, tenant: str, user_id: str) -> Place:
        """The direct conversation with a user, wherever the platform keeps it."""
        return cls(platform, tenant, "", direct=True, to_user=user_id)


@dataclass(frozen=True, kw_only=True)
class Event:
    actor: Actor
    place: Place
    # The platform's own id, used to process a retried delivery of the same event once.
    event_id: str | None = None
    # An opaque handle some platforms give for opening a form right now (Slack's trigger_id).
    trigger: str | None = None


@dataclass(frozen=True, kw_only=True)
class CommandInvoked(Event):
    """`/cop <name> <text>`."""

    name: str
    text: str = ""


@dataclass(frozen=True, kw_only=True)
class MessagePosted(Event):
    text: str
    message_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class MemberJoined(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class ActionClicked(Event):
    action_id: str
    value: str = ""
    message_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class FormSubmitted(Event):
    form_id: str
    values: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
