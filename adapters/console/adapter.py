"""Console output: every message says who it is for and where, so a transcript reads unambiguously."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bot import plaintext
from bot.events import Actor, Place
from bot.forms import Form
from bot.i18n import _
from bot.messages import Button, Outgoing
from bot.platform import Capability, Sent

PLATFORM = "console"
TENANT = "local"


@dataclass
class Shown:
    """A message as printed, remembered so a bare number can press one of its buttons."""

    ref: str
    place: Place
    buttons: tuple[Button, ...]
    audience: str | None  # user id if only they saw it (direct or ephemeral)


@dataclass
class ConsoleAdapter:
    write: Callable[[str], None]
    names: dict[str, str] = field(default_factory=dict)  # user id -> display name, for headers
    platform: str = PLATFORM
    capabilities: frozenset[Capability] = frozenset(
        {Capability.BUTTONS, Capability.EPHEMERAL, Capability.THREADS, Capability.UPDATES}
    )
    shown: list[Shown] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def send(self, place: Place, outgoing: Outgoing) -> Sent:
        if place.direct and not place.channel:
            place = replace(place, channel=f"@{place.to_user}")
        ref = outgoing.replaces or f"m{next(self._ids)}"
        audience = place.channel.removeprefix("@") if place.direct else outgoing.only_for
        self.write(f"{self._header(place, outgoing, ref)}\n{_indent(plaintext.render(outgoing.message))}")
        self.shown.append(Shown(ref, place, outgoing.message.buttons, audience))
        del self.shown[:-50]
        return Sent(ref, place.channel)

    def pacing(self, place: Place, outgoing: Outgoing) -> float:
        return 0.0  # a terminal takes everything at once

    async def open_form(self, actor: Actor, form: Form, trigger: str | None) -> bool:
        return False  # the console asks forms field by field

    def last_buttons_for(self, user_id: str) -> Shown | None:
        """The most recent message this user saw, if it had buttons (a bare number then presses one)."""
        for shown in reversed(self.shown):
            if shown.audience in (None, user_id):
                return shown if shown.buttons else None
        return None

    def _header(self, place: Place, outgoing: Outgoing, ref: str) -> str:
        if place.direct:
            user = place.channel.removeprefix("@")
            return _("  Cultivate → DM to {name} [{ref}]:").format(name=self.names.get(user, user), ref=ref)
        where = f"#{place.channel}" + (_(" › thread {thread}").format(thread=place.thread) if place.thread else "")
        if outgoing.only_for:
            where += _(" (only {name} sees this)").format(name=self.names.get(outgoing.only_for, outgoing.only_for))
        if outgoing.replaces:
            return _("  Cultivate updated in {where} [{ref}]:").format(where=where, ref=ref)
        return _("  Cultivate says in {where} [{ref}]:").format(where=where, ref=ref)


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.splitlines())


def direct_place(user_id: str) -> Place:
    """Where a member and Cultivate talk privately in the console."""
    return Place(PLATFORM, TENANT, f"@{user_id}", direct=True, to_user=user_id)
