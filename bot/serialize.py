"""Events and messages as JSON, for the inbound journal and the outbound queue (and back, exactly)."""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.events import (
    ActionClicked,
    Actor,
    CommandInvoked,
    Event,
    FormSubmitted,
    MemberJoined,
    MessagePosted,
    Place,
)
from bot.messages import Button, ButtonStyle, Fact, Message, Section

EVENT_TYPES: dict[str, type[Event]] = {
    t.__name__: t for t in (CommandInvoked, MessagePosted, MemberJoined, ActionClicked, FormSubmitted)
}


class UnknownEvent(ValueError):
    """A journal entry this version cannot read (written by a newer one, or damaged)."""


def event_to_json(event: Event) -> dict[str, Any]:
    data = {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}
    data["actor"] = dataclasses.asdict(event.actor)
    data["place"] = dataclasses.asdict(event.place)
    return {"type": type(event).__name__, **data}


def event_from_json(data: dict[str, Any]) -> Event:
    kind = EVENT_TYPES.get(str(data.get("type")))
    if kind is None:
        raise UnknownEvent(f"no event type {data.get('type')!r}")
    names = {f.name for f in dataclasses.fields(kind)}
    fields = {k: v for k, v in data.items() if k in names}
    try:
        fields["actor"] = Actor(**data["actor"])
        fields["place"] = Place(**data["place"])
        return kind(**fields)
    except (KeyError, TypeError) as e:
        raise UnknownEvent(f"a {kind.__name__} that cannot be read: {e}") from None


def message_to_json(message: Message) -> dict[str, Any]:
    """Field by field rather than dataclasses.asdict, which deep-copies: a newsletter's fan-out writes thousands."""
    return {
        "text": message.text,
        "sections": [
            {"text": s.text, "title": s.title, "facts": [{"label": f.label, "value": f.value} for f in s.facts]}
            for s in message.sections
        ],
        "buttons": [
            {"label": b.label, "action_id": b.action_id, "value": b.value, "style": str(b.style)}
            for b in message.buttons
        ],
        "footer": message.footer,
        "unsubscribe": message.unsubscribe,
    }


def message_from_json(data: dict[str, Any]) -> Message:
    return Message(
        text=data.get("text", ""),
        sections=tuple(
            Section(
                text=s.get("text", ""),
                title=s.get("title", ""),
                facts=tuple(Fact(f["label"], f["value"]) for f in s.get("facts", ())),
            )
            for s in data.get("sections", ())
        ),
        buttons=tuple(
            Button(b["label"], b["action_id"], b.get("value", ""), ButtonStyle(b.get("style", "default")))
            for b in data.get("buttons", ())
        ),
        footer=data.get("footer", ""),
        unsubscribe=data.get("unsubscribe", ""),
    )
