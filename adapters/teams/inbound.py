"""Bot Framework activities (as JSON dicts) -> neutral events. Pure functions, tested with recorded activities."""

from __future__ import annotations

import hashlib
import html
import re
from typing import Any
from urllib.parse import urlparse

from adapters import shapes
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
from bot.text import clean

PLATFORM = "teams"
# Keys of Action.Submit data that are ours; input ids (form field names) never start with an underscore.
KIND, ACTION, VALUE, FORM = "_cultivate", "_action", "_value", "_form"
DATE_PART, TIME_PART, OTHER_PART = "__date", "__time", "__other"
_AT = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_COP = re.compile(r"^/?cop(?:\s+|$)", re.IGNORECASE)
# What the tables keep: conversation references hold ids of up to 400 characters (personal chats have long ones),
# tenants of 100 and service URLs of 500.
MAX_CONVERSATION, MAX_TENANT, MAX_SERVICE_URL = 400, 100, 500


def tenant_of(activity: dict[str, Any]) -> str:
    return (
        shapes.ident(shapes.obj(activity, "channelData", "tenant"), "id", MAX_TENANT)
        or shapes.ident(shapes.obj(activity, "conversation"), "tenantId", MAX_TENANT)
        or ""
    )


def answerable(activity: dict[str, Any]) -> bool:
    """Whether the activity says where to answer: an http(s) service URL (the Bot Connector of its region)."""
    url = shapes.ident(activity, "serviceUrl", MAX_SERVICE_URL) or ""
    try:
        parsed = urlparse(url)
        host, _port = parsed.hostname, parsed.port
    except ValueError:  # an unclosed [ipv6 bracket, a port that is not a number
        return False
    return parsed.scheme in ("http", "https") and bool(host) and not any(c.isspace() for c in url)


def place_of(activity: dict[str, Any]) -> Place:
    """Personal chats are direct; a channel message's thread is its root post (the conversation id's messageid)."""
    conversation = shapes.obj(activity, "conversation")
    kind = shapes.text(conversation, "conversationType") or "personal"
    channel, _sep, root = (shapes.ident(conversation, "id", MAX_CONVERSATION) or "").partition(";messageid=")
    if kind == "personal":
        return Place(PLATFORM, tenant_of(activity), channel, direct=True)
    thread = None
    if kind == "channel":
        thread = root or shapes.ident(activity, "replyToId") or shapes.ident(activity, "id")
    return Place(PLATFORM, tenant_of(activity), channel, thread=thread)


def event_id(activity: dict[str, Any]) -> str | None:
    """Activity ids are unique only within a conversation: qualify them with a digest of the conversation id."""
    activity_id = shapes.ident(activity, "id")
    if not activity_id:
        return None
    conversation = shapes.text(shapes.obj(activity, "conversation"), "id")
    return f"{activity_id}|{hashlib.sha1(conversation.encode()).hexdigest()[:16]}"[:200]


def _timezone(activity: dict[str, Any]) -> str | None:
    if shapes.zone(activity.get("localTimezone")):
        return str(activity["localTimezone"])
    for entity in shapes.objects(activity, "entities"):
        if entity.get("type") == "clientInfo" and shapes.zone(entity.get("timezone")):
            return str(entity["timezone"])
    return None


def actor_of(activity: dict[str, Any], account: dict[str, Any] | None = None) -> Actor:
    sender = shapes.obj(activity, "from")
    account = sender if account is None else account
    return Actor(
        PLATFORM,
        tenant_of(activity),
        shapes.ident(account, "id") or "",
        shapes.name(account, "name"),
        _timezone(activity) if account is sender else None,
        _locale(activity) if account is sender else None,
    )


def _locale(activity: dict[str, Any]) -> str | None:
    """The sender's language, as their Teams client states it on each activity ("fr-FR")."""
    if shapes.locale(activity.get("locale")):
        return str(activity["locale"])
    for entity in shapes.objects(activity, "entities"):
        if entity.get("type") == "clientInfo" and shapes.locale(entity.get("locale")):
            return str(entity["locale"])
    return None


def words(activity: dict[str, Any]) -> tuple[str, bool]:
    """The text with the bot's mention removed and others as @id; and whether the bot was mentioned."""
    text = shapes.text(activity, "text")
    bot = shapes.ident(shapes.obj(activity, "recipient"), "id")
    others: dict[str, str] = {}
    mentioned = False
    for entity in shapes.objects(activity, "entities"):
        if entity.get("type") == "mention":
            who = shapes.ident(shapes.obj(entity, "mentioned"), "id") or ""
            if who and who == bot:
                mentioned = True
            elif who and shapes.text(entity, "text"):
                others[_AT.sub(r"\1", shapes.text(entity, "text")).strip()] = who

    def mention(m: re.Match[str]) -> str:
        name = html.unescape(_TAG.sub("", m[1])).strip()
        return f"@{others[name]}" if name in others else " "

    text = _AT.sub(mention, text)
    text = clean(html.unescape(_TAG.sub("", text.replace("<br>", "\n"))))  # entities can spell control characters
    return " ".join(text.replace("\xa0", " ").split(" ")).strip(), mentioned


def message(activity: dict[str, Any], verbs: frozenset[str] = frozenset()) -> Event | None:
    """A message: a command (`cop <verb>`, a mention of the bot, or a bare known verb in a personal chat),
    a card's Action.Submit, or words said in a personal chat. None for what is not for Cultivate or names nobody."""
    if shapes.obj(activity, "value").get(KIND):
        return submission(activity)
    place = place_of(activity)
    actor = actor_of(activity)
    if not actor.user_id or not place.channel:
        return None
    text, mentioned = words(activity)
    ids = {"event_id": event_id(activity)}
    if _COP.match(text) or mentioned or (place.direct and text.split(" ", 1)[0].casefold() in verbs):
        verb, _sep, rest = _COP.sub("", text, count=1).strip().partition(" ")
        return CommandInvoked(actor=actor, place=place, name=verb, text=rest.strip(), **ids)
    if place.direct or _in_thread(activity):
        # A reply in a thread (a discussion's, say) is seen with the manifest's ChannelMessage.Read.Group consent;
        # routines count who replied, not what was said.
        return MessagePosted(actor=actor, place=place, text=text, message_id=shapes.ident(activity, "id"), **ids)
    return None  # top-level channel chatter not addressed to Cultivate


def _in_thread(activity: dict[str, Any]) -> bool:
    conversation = shapes.obj(activity, "conversation")
    return conversation.get("conversationType") == "channel" and (
        ";messageid=" in shapes.text(conversation, "id") or bool(shapes.ident(activity, "replyToId"))
    )


def members_added(activity: dict[str, Any]) -> list[MemberJoined]:
    """conversationUpdate: one event per member added, never for the bot itself (that is the installation)."""
    bot = shapes.ident(shapes.obj(activity, "recipient"), "id")
    place = place_of(activity)
    if not place.channel:
        return []
    place = Place(place.platform, place.tenant, place.channel, direct=place.direct)
    base = event_id(activity) or ""
    return [
        MemberJoined(actor=actor, place=place, event_id=f"{base}+{actor.user_id}"[:200] if base else None)
        for actor in (actor_of(activity, member) for member in shapes.objects(activity, "membersAdded"))
        if actor.user_id and actor.user_id != bot
    ]


def bot_added(activity: dict[str, Any]) -> bool:
    bot = shapes.ident(shapes.obj(activity, "recipient"), "id")
    return bot is not None and any(shapes.ident(m, "id") == bot for m in shapes.objects(activity, "membersAdded"))


def submission(activity: dict[str, Any]) -> ActionClicked | FormSubmitted | None:
    """Action.Submit from one of our cards: a button (action id + value) or a form (its inputs). None when it names
    nobody, or carries a form that is not one of ours."""
    data = shapes.obj(activity, "value")
    place = place_of(activity)
    actor = actor_of(activity)
    if not actor.user_id or not place.channel:
        return None
    card = shapes.ident(activity, "replyToId")
    if data.get(KIND) == "form":
        form = submitted_form(activity)
        if form is None:
            return None
        return FormSubmitted(
            actor=actor,
            place=place,
            form_id=form.form_id,
            values=form_values(form, data),
            state={"card": card},
            event_id=event_id(activity),
        )
    return ActionClicked(
        actor=actor,
        place=place,
        action_id=shapes.text(data, ACTION),
        value=shapes.text(data, VALUE),
        message_id=card,
        event_id=event_id(activity),
    )


def submitted_form(activity: dict[str, Any]) -> Form | None:
    """The form a card carried in its submit data, or None when what came back cannot be one (the core checks it
    against the form it opened)."""
    try:
        form = Form.from_json(shapes.obj(activity, "value", FORM))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return form if form.form_id and _well_typed(form) else None


def _well_typed(form: Form) -> bool:
    """Every text of the form is text (from_json takes what it is given; the card is drawn again from it)."""
    texts: list[object] = [form.form_id, form.title, form.intro, form.submit_label]
    initials: list[object] = [f.initial for f in form.fields]
    limits: list[object] = [f.max_length for f in form.fields]
    for f in form.fields:
        texts += [f.name, f.label, f.help, *(c.value for c in f.choices), *(c.label for c in f.choices)]
    return (
        all(isinstance(t, str) for t in texts)
        and all(isinstance(i, str | None) for i in initials)
        and all(isinstance(n, int | None) and not isinstance(n, bool) for n in limits)
    )


def form_values(form: Form, data: dict[str, Any]) -> dict[str, Any]:
    """Inputs -> the values a Slack modal would give: lists for multi-selects, 'YYYY-MM-DD HH:MM' for datetimes."""
    values: dict[str, Any] = {}
    for f in form.fields:
        raw = shapes.text(data, f.name)
        if f.kind is FieldKind.MULTI_SELECT:
            picked = [v for v in raw.split(",") if v]
            picked += [v.strip() for v in shapes.text(data, f.name + OTHER_PART).split(",") if v.strip()]
            values[f.name] = picked
        elif f.kind is FieldKind.DATETIME:
            day, clock = shapes.text(data, f.name + DATE_PART), shapes.text(data, f.name + TIME_PART)
            values[f.name] = f"{day} {clock}" if day and clock else (day or None)
        else:
            values[f.name] = raw or None
    return values
