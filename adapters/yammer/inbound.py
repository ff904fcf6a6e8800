"""Yammer messages -> what they mean to Cultivate. Pure functions, tested with payloads shaped like Yammer's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from adapters import shapes
from bot.events import Actor, Place

PLATFORM = "yammer"
MAX_MESSAGE_ID = 2**63 - 1  # message ids are kept as BIGINT
MAX_YAMMER_ID = 64  # group and user ids are kept in columns of 64 characters


_COMMAND = re.compile(r"^\s*[/#]cop\b[:,]?\s*", re.IGNORECASE)
_USER = re.compile(r"\[\[user:(\d+)\]\]")
_NUMBER = re.compile(r"^\s*#?(\d{1,2})\s*[.!)]?\s*$")


@dataclass(frozen=True)
class Post:
    """One Yammer message, as much of it as Cultivate reads."""

    id: int
    thread_id: int
    replied_to_id: int | None
    sender_id: str
    sender_name: str
    network: str
    group_id: str | None
    direct: bool
    text: str
    mentions: frozenset[str]

    @property
    def actor(self) -> Actor:
        return Actor(PLATFORM, self.network, self.sender_id, self.sender_name)

    @property
    def place(self) -> Place:
        if self.direct:
            return Place(PLATFORM, self.network, self.sender_id, direct=True)
        return Place(PLATFORM, self.network, self.group_id or "", thread=str(self.thread_id))


def posts(payload: dict[str, Any]) -> list[Post]:
    """The messages of a messages/*.json answer, oldest first, with senders named from its references; messages
    without a usable id or sender are left out."""
    names = {
        user_id: shapes.name(r, "full_name") or shapes.name(r, "name")
        for r in shapes.objects(payload, "references")
        if r.get("type") == "user" and (user_id := shapes.ident(r, "id"))
    }
    found = [p for m in shapes.objects(payload, "messages") if (p := _post(m, names)) is not None]
    return sorted(found, key=lambda p: p.id)


def message_id(value: Any) -> int | None:
    """A Yammer message id: a positive whole number the database can hold (64 bits)."""
    number = shapes.whole(value)
    return number if number is not None and 0 < number <= MAX_MESSAGE_ID else None


def _post(m: dict[str, Any], names: dict[str, str]) -> Post | None:
    post_id, sender = message_id(m.get("id")), shapes.ident(m, "sender_id", MAX_YAMMER_ID)
    if post_id is None or sender is None:
        return None
    body = shapes.obj(m, "body")
    parsed = shapes.text(body, "parsed")
    text = parsed or shapes.text(body, "plain")
    mentions = frozenset(_USER.findall(parsed))
    if parsed:
        text = _USER.sub(lambda u: "@" + (names.get(u[1]) or u[1]), parsed)
    group = shapes.ident(m, "group_id", MAX_YAMMER_ID)
    return Post(
        id=post_id,
        thread_id=message_id(m.get("thread_id")) or post_id,
        replied_to_id=message_id(m.get("replied_to_id")),
        sender_id=sender,
        sender_name=names.get(sender, ""),
        network=shapes.ident(m, "network_id") or "",
        group_id=group,
        direct=shapes.flag(m, "direct_message") or group is None,
        text=text,
        mentions=mentions,
    )


def command(post: Post, bot_id: str, bot_names: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """(verb, rest) when the post speaks to Cultivate: it starts with /cop or #cop, or mentions the bot."""
    text = post.text.strip()
    if _COMMAND.match(text):
        words = _COMMAND.sub("", text, count=1)
    elif bot_id in post.mentions:
        words = text
        for name in (bot_id, *bot_names):
            if name:
                words = re.sub(rf"@{re.escape(name)}\b[:,]?", " ", words, flags=re.IGNORECASE)
        words = _COMMAND.sub("", words.strip(), count=1)
    else:
        return None
    verb, _sep, rest = words.strip().partition(" ")
    return verb, rest.strip()


def number(text: str) -> int | None:
    """A bare number ("2", "#2", "2.") as sent to press the second of a message's numbered choices."""
    m = _NUMBER.match(text)
    return int(m[1]) if m else None
