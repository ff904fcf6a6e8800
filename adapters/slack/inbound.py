"""Slack payloads -> neutral events. Pure functions, tested with recorded payloads."""

from __future__ import annotations

import json
import re
from typing import Any

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


def _actor(team: str, user: str, name: str = "") -> Actor:
    return Actor(PLATFORM, team, user, name)


def command(body: dict[str, Any]) -> CommandInvoked:
    """`/cop <verb> <args>`: the first word is the verb; escaped mentions (<@U123|name>) become @U123."""
    text = _MENTION.sub(lambda m: f"@{m[1]}", body.get("text") or "")
    verb, _sep, rest = text.strip().partition(" ")
    team = body.get("team_id", "")
    return CommandInvoked(
        actor=_actor(team, body["user_id"], body.get("user_name", "")),
        place=Place(PLATFORM, team, body["channel_id"], direct=body.get("channel_name") == "directmessage"),
        name=verb,
        text=rest.strip(),
        trigger=body.get("trigger_id"),
    )


def event(body: dict[str, Any], bot_user_id: str | None) -> Event | None:
    """An Events API callback, or None for what Cultivate ignores (bots, edits, other subtypes)."""
    e = body.get("event") or {}
    team = body.get("team_id") or e.get("team", "")
    event_id = body.get("event_id")
    kind = e.get("type")
    if kind in ("member_joined_channel", "team_join"):
        user = e["user"]["id"] if isinstance(e.get("user"), dict) else e.get("user", "")
        return MemberJoined(
            actor=_actor(team, user), place=Place(PLATFORM, team, e.get("channel", "")), event_id=event_id
        )
    if kind not in ("app_mention", "message") or e.get("bot_id") or e.get("subtype"):
        return None
    user = e.get("user")
    if not user or user == bot_user_id:
        return None
    text = e.get("text") or ""
    direct = e.get("channel_type") == "im"
    place = Place(PLATFORM, team, e.get("channel", ""), thread=e.get("thread_ts"), direct=direct)
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
        return MessagePosted(
            actor=_actor(team, user), place=place, text=text, message_id=e.get("ts"), event_id=event_id
        )
    if kind == "message":
        return MessagePosted(
            actor=_actor(team, user), place=place, text=text, message_id=e.get("ts"), event_id=event_id
        )
    return None


def block_action(body: dict[str, Any]) -> ActionClicked:
    action = body["actions"][0]
    team = (body.get("team") or {}).get("id", "")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")
    message = body.get("message") or {}
    container = body.get("container") or {}
    return ActionClicked(
        actor=_actor(team, body["user"]["id"], body["user"].get("name", "")),
        place=Place(PLATFORM, team, channel, thread=message.get("thread_ts"), direct=channel.startswith("D")),
        action_id=action_id(action["action_id"]),
        value=action.get("value") or (action.get("selected_option") or {}).get("value", ""),
        message_id=message.get("ts") or container.get("message_ts"),
        trigger=body.get("trigger_id"),
    )


def view_submission(body: dict[str, Any]) -> FormSubmitted:
    view = body["view"]
    team = (body.get("team") or {}).get("id", "")
    metadata = json.loads(view.get("private_metadata") or "{}")
    user = body["user"]["id"]
    channel = metadata.get("channel") or user
    values = {
        block_id: _value(inputs.get("value") or next(iter(inputs.values()), {}))
        for block_id, inputs in (view.get("state") or {}).get("values", {}).items()
    }
    return FormSubmitted(
        actor=_actor(team, user, body["user"].get("name", "")),
        place=Place(PLATFORM, team, channel, direct=metadata.get("direct", True)),
        form_id=view["callback_id"],
        values=values,
    )


def _value(element: dict[str, Any]) -> Any:
    match element.get("type"):
        case "static_select":
            return (element.get("selected_option") or {}).get("value")
        case "multi_static_select":
            return [o["value"] for o in element.get("selected_options") or []]
        case "datepicker":
            return element.get("selected_date")
        case "timepicker":
            return element.get("selected_time")
        case "datetimepicker":
            stamp = element.get("selected_date_time")
            return f"@{int(stamp)}" if stamp else None  # an instant: the core shows it in the member's own zone
        case _:
            return element.get("value")
