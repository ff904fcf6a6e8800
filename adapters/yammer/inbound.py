"""Yammer messages -> what they mean to Cultivate. Pure functions, tested with payloads shaped like Yammer's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.events import Actor, Place

PLATFORM = "yammer"


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
    """The messages of a messages/*.json answer, oldest first, with senders named from its references."""
    names = {
        str(r.get("id")): r.get("full_name") or r.get("name") or ""
        for r in payload.get("references") or []
        if r.get("type") == "user"
    }
    found = [_post(m, names) for m in payload.get("messages") or [] if m.get("id") is not None]
    return sorted(found, key=lambda p: p.id)


def _post(m: dict[str, Any], names: dict[str, str]) -> Post:
    body = m.get("body") or {}
    parsed = body.get("parsed") or body.get("plain") or ""
    mentions = frozenset(_USER.findall(parsed))
    text = _USER.sub(lambda u: "@" + (names.get(u[1]) or u[1]), parsed) if body.get("parsed") else parsed
    replied = m.get("replied_to_id")
    group = m.get("group_id")
    return Post(
        id=int(m["id"]),
        thread_id=int(m.get("thread_id") or m["id"]),
        replied_to_id=int(replied) if replied else None,
        sender_id=str(m.get("sender_id", "")),
        sender_name=names.get(str(m.get("sender_id")), ""),
        network=str(m.get("network_id", "")),
        group_id=str(group) if group is not None else None,
        direct=bool(m.get("direct_message")) or group is None,
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
