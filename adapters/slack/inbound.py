"""Slack payloads -> neutral events. Pure functions, tested with recorded payloads."""

from __future__ import annotations

import json
import re
from typing import Any

from adapters import shapes
from adapters.slack.render import action_id
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

PLATFORM = "slack"
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
# Instants a date-time picker can give that a datetime can hold (years 1970 to 9999).
_LAST_INSTANT = 253_402_300_799


def _actor(team: str, user: str, name: str = "") -> Actor:
    return Actor(PLATFORM, team, user, name)


def command(body: dict[str, Any]) -> CommandInvoked | None:
    """`/cop <verb> <args>`: the first word is the verb; escaped mentions (<@U123|name>) become @U123.
    None when the caller or the channel is missing (nobody to answer)."""
    user, channel = shapes.ident(body, "user_id"), shapes.ident(body, "channel_id")
    if user is None or channel is None:
        return None
    text = _MENTION.sub(lambda m: f"@{m[1]}", shapes.text(body, "text"))
    verb, _sep, rest = text.strip().partition(" ")
    team = shapes.ident(body, "team_id") or ""
    return CommandInvoked(
        actor=_actor(team, user, shapes.name(body, "user_name")),
        place=Place(PLATFORM, team, channel, direct=shapes.text(body, "channel_name") == "directmessage"),
        name=verb,
        text=rest.strip(),
        trigger=shapes.ident(body, "trigger_id"),
    )


def event(body: dict[str, Any], bot_user_id: str | None) -> Event | None:
    """An Events API callback, or None for what Cultivate ignores (bots, edits, other subtypes, malformed ones)."""
    e = shapes.obj(body, "event")
    team = shapes.ident(body, "team_id") or shapes.ident(e, "team") or ""
    event_id = shapes.ident(body, "event_id")
    kind = e.get("type")
    if kind in ("member_joined_channel", "team_join"):
        joined = shapes.ident(e["user"], "id") if isinstance(e.get("user"), dict) else shapes.ident(e, "user")
        if joined is None:
            return None
        return MemberJoined(
            actor=_actor(team, joined), place=Place(PLATFORM, team, shapes.ident(e, "channel") or ""), event_id=event_id
        )
    if kind not in ("app_mention", "message") or e.get("bot_id") or e.get("subtype"):
        return None
    user = shapes.ident(e, "user")
    if not user or user == bot_user_id:
        return None
    text = shapes.text(e, "text")
    direct = e.get("channel_type") == "im"
    channel = shapes.ident(e, "channel") or ""
    place = Place(PLATFORM, team, channel, thread=shapes.ident(e, "thread_ts"), direct=direct)
    ts = shapes.ident(e, "ts")
    if kind == "app_mention" or (bot_user_id and f"<@{bot_user_id}>" in text and not direct):
        if kind == "message":
            return None  # the same words arrive as app_mention: act once
        words = _MENTION.sub(" ", text).strip()
        words = re.sub(r"^/?cop\b", "", words, flags=re.IGNORECASE).strip()
        verb, _sep, rest = words.partition(" ")
        return CommandInvoked(actor=_actor(team, user), place=place, name=verb, text=rest.strip(), event_id=event_id)
    if kind == "message" and direct:
        stripped = text.strip()
        if re.match(r"^/?cop(\s|$)", stripped, re.IGNORECASE):
            verb, _sep, rest = re.sub(r"^/?cop\s*", "", stripped, flags=re.IGNORECASE).partition(" ")
            return CommandInvoked(
                actor=_actor(team, user), place=place, name=verb, text=rest.strip(), event_id=event_id
            )
        return MessagePosted(actor=_actor(team, user), place=place, text=text, message_id=ts, event_id=event_id)
    if kind == "message":
        return MessagePosted(actor=_actor(team, user), place=place, text=text, message_id=ts, event_id=event_id)
    return None


def block_action(body: dict[str, Any]) -> ActionClicked | None:
    """The button or menu pressed; None when the payload names no action or no member (nothing to answer)."""
    actions = shapes.objects(body, "actions")
    user = shapes.ident(shapes.obj(body, "user"), "id")
    pressed = shapes.text(actions[0], "action_id") if actions else ""
    if not pressed or user is None:
        return None
    action = actions[0]
    team = shapes.ident(shapes.obj(body, "team"), "id") or ""
    channel = shapes.ident(shapes.obj(body, "channel"), "id") or shapes.ident(
        shapes.obj(body, "container"), "channel_id"
    )
    channel = channel or ""
    message = shapes.obj(body, "message")
    return ActionClicked(
        actor=_actor(team, user, shapes.name(body["user"], "name")),
        place=Place(PLATFORM, team, channel, thread=shapes.ident(message, "thread_ts"), direct=channel.startswith("D")),
        action_id=action_id(pressed),
        value=shapes.text(action, "value") or shapes.text(shapes.obj(action, "selected_option"), "value"),
        message_id=shapes.ident(message, "ts") or shapes.ident(shapes.obj(body, "container"), "message_ts"),
        trigger=shapes.ident(body, "trigger_id"),
    )


def view_submission(body: dict[str, Any]) -> FormSubmitted | None:
    """A modal sent back whole; None when it names no form or no member. Unreadable inputs arrive as empty, for the
    core to ask again; metadata that is not ours (not a JSON object) is ignored."""
    view = shapes.obj(body, "view")
    form_id = shapes.text(view, "callback_id")
    user = shapes.ident(shapes.obj(body, "user"), "id")
    if not form_id or user is None:
        return None
    team = shapes.ident(shapes.obj(body, "team"), "id") or ""
    metadata = _metadata(view.get("private_metadata"))
    channel = shapes.ident(metadata, "channel") or user
    values = {
        block_id: _value(shapes.obj(inputs, "value") or _first(inputs))
        for block_id, inputs in shapes.obj(view, "state", "values").items()
        if isinstance(inputs, dict)
    }
    return FormSubmitted(
        actor=_actor(team, user, shapes.name(body["user"], "name")),
        place=Place(PLATFORM, team, channel, direct=shapes.flag(metadata, "direct", default=True)),
        form_id=form_id,
        values=values,
    )


def _metadata(raw: Any) -> dict[str, Any]:
    """What we put in private_metadata when opening the modal (a JSON object); {} for anything else."""
    if not isinstance(raw, str) or not raw:
        return {}
    try:
        found = json.loads(raw)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _first(inputs: dict[str, Any]) -> dict[str, Any]:
    return next((v for v in inputs.values() if isinstance(v, dict)), {})


def _value(element: dict[str, Any]) -> Any:
    match element.get("type"):
        case "static_select":
            return shapes.text(shapes.obj(element, "selected_option"), "value") or None
        case "multi_static_select":
            picked = (shapes.text(o, "value") for o in shapes.objects(element, "selected_options"))
            return [v for v in picked if v]
        case "datepicker":
            return shapes.text(element, "selected_date") or None
        case "timepicker":
            return shapes.text(element, "selected_time") or None
        case "datetimepicker":
            stamp = shapes.whole(element.get("selected_date_time"))
            # An instant: the core shows it in the member's own zone. Out of range or unreadable: asked again.
            return f"@{stamp}" if stamp is not None and 0 < stamp <= _LAST_INSTANT else None
        case _:
            found = element.get("value")
            return shapes.text(element, "value") if found is not None else None
