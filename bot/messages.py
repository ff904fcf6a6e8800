"""Outbound messages: platform-neutral, rendered natively by each adapter.

Text uses a small portable markdown subset: *bold*, _italic_, `code`, and lines starting with "- ".
Anything a member wrote must pass through `bot.text.content()` before it goes into a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ButtonStyle(StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    value: str = ""
    style: ButtonStyle = ButtonStyle.DEFAULT


@dataclass(frozen=True)
class Fact:
    """A labelled value shown side by side with others (Slack fields, Teams facts)."""

    label: str
    value: str


@dataclass(frozen=True)
class Section:
    text: str = ""
    title: str = ""
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Message:
    """A message: a lead text, optional sections, buttons and a quiet footer line."""

    text: str
    sections: tuple[Section, ...] = ()
    buttons: tuple[Button, ...] = ()
    footer: str = ""
    # A one-click link that stops this kind of message (the digest's): mail carries it as List-Unsubscribe.
    unsubscribe: str = ""


def say(text: str) -> Message:
    """The common case: a message that is just text."""
    return Message(text=text)


@dataclass(frozen=True)
class Outgoing:
    """A message on its way to a place; `only_for` makes it visible to one user where the platform can."""

    message: Message
    only_for: str | None = None
    # Only `only_for` may ever read it (their stories, the delivery report): never shown to others, on any platform.
    private: bool = False
    # Replace an earlier message (a vote count, an RSVP tally) instead of posting a new one.
    replaces: str | None = None
