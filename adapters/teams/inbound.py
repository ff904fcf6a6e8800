"""Bot Framework activities (as JSON dicts) -> neutral events. Pure functions, tested with recorded activities."""

from __future__ import annotations

import hashlib
import html
import re
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
from bot.forms import FieldKind, Form

PLATFORM = "teams"
# Keys of Action.Submit data that are ours; input ids (form field names) never start with an underscore.
KIND, ACTION, VALUE, FORM = "_cultivate", "_action", "_value", "_form"
DATE_PART, TIME_PART, OTHER_PART = "__date", "__time", "__other"
_AT = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_COP = re.compile(r"^/?cop(?:\s+|$)", re.IGNORECASE)


def tenant_of(activity: dict[str, Any]) -> str:
    return (
        ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
        or (activity.get("conversation") or {}).get("tenantId")
        or ""
    )


def place_of(activity: dict[str, Any]) -> Place:
    """Personal chats are direct; a channel message's thread is its root post (the conversation id's messageid)."""
    conversation = activity.get("conversation") or {}
    kind = conversation.get("conversationType") or "personal"
    channel, _sep, root = (conversation.get("id") or "").partition(";messageid=")
    if kind == "personal":
        return Place(PLATFORM, tenant_of(activity), channel, direct=True)
    thread = None
    if kind == "channel":
        thread = root or activity.get("replyToId") or activity.get("id")
    return Place(PLATFORM, tenant_of(activity), channel, thread=thread)


def event_id(activity: dict[str, Any]) -> str | None:
    """Activity ids are unique only within a conversation: qualify them with a digest of the conversation id."""
    if not activity.get("id"):
        return None
    conversation = (activity.get("conversation") or {}).get("id") or ""
    return f"{activity['id']}|{hashlib.sha1(conversation.encode()).hexdigest()[:16]}"[:200]


def _timezone(activity: dict[str, Any]) -> str | None:
    if activity.get("localTimezone"):
        return str(activity["localTimezone"])
    for entity in activity.get("entities") or []:
        if entity.get("type") == "clientInfo" and entity.get("timezone"):
            return str(entity["timezone"])
    return None


def actor_of(activity: dict[str, Any], account: dict[str, Any] | None = None) -> Actor:
    account = account or activity.get("from") or {}
    return Actor(
        PLATFORM,
        tenant_of(activity),
        account.get("id", ""),
        account.get("name") or "",
        _timezone(activity) if account is activity.get("from") else None,
    )


def words(activity: dict[str, Any]) -> tuple[str, bool]:
    """The text with the bot's mention removed and others as @id; and whether the bot was mentioned."""
    text = activity.get("text") or ""
    bot = (activity.get("recipient") or {}).get("id")
    others: dict[str, str] = {}
    mentioned = False
    for entity in activity.get("entities") or []:
        if entity.get("type") == "mention":
            who = (entity.get("mentioned") or {}).get("id", "")
            if who == bot:
                mentioned = True
            elif entity.get("text"):
                others[_AT.sub(r"\1", entity["text"]).strip()] = who

    def mention(m: re.Match[str]) -> str:
        name = html.unescape(_TAG.sub("", m[1])).strip()
        return f"@{others[name]}" if name in others else " "

    text = _AT.sub(mention, text)
    text = html.unescape(_TAG.sub("", text.replace("<br>", "\n")))
    return " ".join(text.replace("\xa0", " ").split(" ")).strip(), mentioned


def message(activity: dict[str, Any], verbs: frozenset[str] = frozenset()) -> Event | None:
    """A message: a command (`cop <verb>`, a mention of the bot, or a bare known verb in a personal chat),
    a card's Action.Submit, or words said in a personal chat."""
    if isinstance(activity.get("value"), dict) and activity["value"].get(KIND):
        return submission(activity)
    place = place_of(activity)
    actor = actor_of(activity)
    if not actor.user_id:
        return None
    text, mentioned = words(activity)
    ids = {"event_id": event_id(activity)}
    if _COP.match(text) or mentioned or (place.direct and text.split(" ", 1)[0].casefold() in verbs):
        verb, _sep, rest = _COP.sub("", text, count=1).strip().partition(" ")
        return CommandInvoked(actor=actor, place=place, name=verb, text=rest.strip(), **ids)
    if place.direct or _in_thread(activity):
        # A reply in a thread (a discussion's, say) is seen with the manifest's ChannelMessage.Read.Group consent;
        # routines count who replied, not what was said.
        return MessagePosted(actor=actor, place=place, text=text, message_id=activity.get("id"), **ids)
    return None  # top-level channel chatter not addressed to Cultivate


def _in_thread(activity: dict[str, Any]) -> bool:
    conversation = activity.get("conversation") or {}
    return conversation.get("conversationType") == "channel" and (
        ";messageid=" in (conversation.get("id") or "") or bool(activity.get("replyToId"))
    )


def members_added(activity: dict[str, Any]) -> list[MemberJoined]:
    """conversationUpdate: one event per member added, never for the bot itself (that is the installation)."""
    bot = (activity.get("recipient") or {}).get("id")
    place = place_of(activity)
    place = Place(place.platform, place.tenant, place.channel, direct=place.direct)
    base = event_id(activity) or ""
    return [
        MemberJoined(
            actor=actor_of(activity, member), place=place, event_id=f"{base}+{member['id']}"[:200] if base else None
        )
        for member in activity.get("membersAdded") or []
        if member.get("id") and member.get("id") != bot
    ]


def bot_added(activity: dict[str, Any]) -> bool:
    bot = (activity.get("recipient") or {}).get("id")
    return any(m.get("id") == bot for m in activity.get("membersAdded") or [])


def submission(activity: dict[str, Any]) -> ActionClicked | FormSubmitted:
    """Action.Submit from one of our cards: a button (action id + value) or a form (its inputs)."""
    data: dict[str, Any] = activity["value"]
    place = place_of(activity)
    card = activity.get("replyToId")
    if data.get(KIND) == "form" and isinstance(data.get(FORM), dict):
        form = Form.from_json(data[FORM])
        return FormSubmitted(
            actor=actor_of(activity),
            place=place,
            form_id=form.form_id,
            values=form_values(form, data),
            state={"card": card},
            event_id=event_id(activity),
        )
    return ActionClicked(
        actor=actor_of(activity),
        place=place,
        action_id=str(data.get(ACTION, "")),
        value=str(data.get(VALUE, "")),
        message_id=card,
        event_id=event_id(activity),
    )


def form_values(form: Form, data: dict[str, Any]) -> dict[str, Any]:
    """Inputs -> the values a Slack modal would give: lists for multi-selects, 'YYYY-MM-DD HH:MM' for datetimes."""
    values: dict[str, Any] = {}
    for f in form.fields:
        raw = data.get(f.name)
        if f.kind is FieldKind.MULTI_SELECT:
            picked = [v for v in str(raw or "").split(",") if v]
            picked += [v.strip() for v in str(data.get(f.name + OTHER_PART) or "").split(",") if v.strip()]
            values[f.name] = picked
        elif f.kind is FieldKind.DATETIME:
            day, clock = data.get(f.name + DATE_PART), data.get(f.name + TIME_PART)
            values[f.name] = f"{day} {clock}" if day and clock else (day or None)
        else:
            values[f.name] = raw if raw not in ("",) else None
    return values
