"""Reading a command's arguments: the shapes that recur (a #number, a moment in words, a web address, a word from
a list). Each raises UsageError with a sentence the member understands, so flows never split text themselves."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.answers import InvalidAnswer, moment_in_words
from bot.errors import Answer, UsageError
from bot.i18n import _
from bot.text import MAX_ID, content, is_web_address
from bot.text import parse_id as parse_id  # the one reading of an id, offered here beside the others
from storage import members
from storage.models import Community, Member


class InCommunity(Protocol):
    """A record that belongs to one community (a webinar, a discussion, a request)."""

    @property
    def community_id(self) -> int: ...


R = TypeVar("R", bound=InCommunity)


def number(text: str, *, missing: str | None = None) -> tuple[int, str]:
    """The leading #number of `text` and what follows it. A number too large to name anything is returned as
    MAX_ID + 1, which no record has (`in_community` answers "there is no #…" without asking the database)."""
    first, _sep, rest = text.strip().partition(" ")
    digits = first.removeprefix("#")
    if not (digits.isascii() and digits.isdigit()):
        raise UsageError(missing or _("Say which one, by its number."))
    return parse_id(digits) or MAX_ID + 1, rest.strip()


def first_word(text: str) -> tuple[str, str]:
    """The first word (casefolded) and what follows it."""
    first, rest = leading(text)
    return first.casefold(), rest


def leading(text: str) -> tuple[str, str]:
    """The first word as typed (a web address, a slug) and what follows it."""
    first, _sep, rest = text.strip().partition(" ")
    return first, rest.strip()


def one_of(text: str, choices: Iterable[str], *, default: str | None = None) -> str:
    """One word from a fixed list (e.g. mine|open|all), or the default when nothing is typed."""
    word = text.strip().casefold()
    options = list(choices)
    if not word and default is not None:
        return default
    if word not in options:
        raise UsageError(_("Choose one of: {choices}.").format(choices=", ".join(options)))
    return word


def web_address(text: str) -> str:
    text = text.strip()
    if not is_web_address(text):
        raise UsageError(_("Give a web address starting with https://"))
    return text


def moment(text: str, timezone: str, now: datetime) -> datetime:
    """A date and time typed in words or digits, read in `timezone` (the member's)."""
    try:
        return moment_in_words(text, timezone, now)
    except InvalidAnswer as e:
        raise UsageError(str(e)) from None


async def in_community(
    community_id: int, number: int, lookup: Callable[[int], Awaitable[R | None]], not_here: str
) -> R:
    """The record numbered `number` if it belongs to this community; otherwise the `not_here` answer (which may
    use {id})."""
    found = await lookup(number) if number <= MAX_ID else None
    if found is None or found.community_id != community_id:
        raise Answer(not_here.format(id=content(str(number))))
    return found


async def member_named(db: AsyncSession, community: Community, name: str) -> Member:
    """The one current member of `community` called `name` (or with that user id)."""
    name = " ".join(name.split())
    if not name:
        raise UsageError(_("Say whom, by name."))
    found = list(await members.find_in_community(db, community.id, name))
    if not found:
        raise Answer(
            _("I don't know anyone called “{name}” in *{community}*. They need to type `/cop join` first.").format(
                name=content(name[:60]), community=community.name
            )
        )
    if len(found) > 1:
        raise Answer(
            _("More than one member is called “{name}”; use their user id instead.").format(name=content(name[:60]))
        )
    return found[0]


async def member_then_text(db: AsyncSession, community: Community, text: str) -> tuple[Member, str]:
    """`<member> <anything>`: the longest run of leading words (up to three) that names exactly one current member
    of `community`, and the text after it."""
    words = text.split()
    for size in range(min(3, len(words)), 0, -1):
        found = list(await members.find_in_community(db, community.id, " ".join(words[:size])))
        if len(found) == 1:
            return found[0], " ".join(words[size:])
    first = words[0].lstrip("@") if words else ""
    raise Answer(
        _("I don't know anyone called “{name}” in *{community}*.").format(
            name=content(first[:60]), community=community.name
        )
    )
