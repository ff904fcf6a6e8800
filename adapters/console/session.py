"""What a typed line means in the console: a console control, a /cop command, a button press, or a DM to the bot.

Controls (a contract: scripts and tests depend on them): /as NAME, /time +90m|+2h|+3d, /reply REF TEXT, /quit."""

from __future__ import annotations

import re
from datetime import timedelta

from adapters.console.adapter import PLATFORM, TENANT, ConsoleAdapter, Shown, direct_place
from bot.clock import MovableClock
from bot.events import ActionClicked, Actor, CommandInvoked, Event, MessagePosted, Place
from bot.i18n import N_, _, local_time
from bot.runtime import Runtime
from bot.text import clean

CONTROLS = N_("""Console controls:
  /cop <verb> ...   talk to Cultivate in the community channel (try /cop help)
  /as NAME          switch who is typing (a new name is a new member)
  /time +90m        move the clock forward (m, h or d) and see what falls due
  /reply m12 TEXT   reply in the thread of message [m12] (as in a discussion)
  /press m12 2      press button 2 of message [m12] (any message you saw, not only the last)
  /quit             leave (Ctrl-D works too)
  # a note         ignored (for comments in scripts)
Anything else is a direct message to Cultivate, e.g. your answer to its question.
A bare number presses that button on the last message you saw.""")

_SHIFT = re.compile(r"^\+?(\d+)\s*([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
# One move goes at most ten years: far enough for any routine, and the clock (and every date computed from it)
# stays well inside what a datetime can hold, so an enormous number cannot break the session for good.
_LONGEST_MOVE = timedelta(days=3653)


class ConsoleSession:
    def __init__(self, runtime: Runtime, adapter: ConsoleAdapter, clock: MovableClock, name: str, channel: str) -> None:
        self.runtime = runtime
        self.adapter = adapter
        self.clock = clock
        self.channel = channel
        self.user = ""
        self.switch(name)

    @property
    def prompt(self) -> str:
        return f"{self.adapter.names[self.user]}> "

    def switch(self, name: str) -> None:
        name = " ".join(name.split())[:60]
        self.user = _user_id(name)
        self.adapter.names.setdefault(self.user, name)

    @property
    def actor(self) -> Actor:
        return Actor(PLATFORM, TENANT, self.user, self.adapter.names[self.user])

    async def line(self, text: str) -> bool:
        """Handle one typed line; False when the member asked to leave."""
        text = clean(text).strip()
        if not text:
            return True
        lowered = text.casefold()
        if lowered in ("/quit", "/exit", "/q"):
            return False
        if text.startswith("#"):
            return True  # a note in a script: shown in the transcript, not sent
        if lowered in ("/help", "/?"):
            self.adapter.write(_(CONTROLS))
        elif lowered.startswith("/as"):
            self._as(text[3:].strip())
        elif lowered.startswith("/time"):
            await self._time(text[5:].strip())
        elif lowered.startswith("/reply"):
            await self._reply(text[6:].strip())
        elif lowered.startswith("/press"):
            await self._press_ref(text[6:].strip())
        elif lowered == "/cop" or lowered.startswith("/cop "):
            verb, _sep, rest = text[4:].strip().partition(" ")
            await self._submit(CommandInvoked(actor=self.actor, place=self._channel(), name=verb, text=rest.strip()))
        elif text.isascii() and text.isdigit() and (shown := self.adapter.last_buttons_for(self.user)) is not None:
            await self._press(int(text), shown)
        elif text.startswith("/"):
            self.adapter.write(
                _(
                    "  (console) “{word}” is not a console control. Cultivate's commands start with /cop; "
                    "/help lists the controls."
                ).format(word=text.split()[0][:40])
            )
        else:
            await self._submit(MessagePosted(actor=self.actor, place=direct_place(self.user), text=text))
        # What the line caused, and whatever fell due meanwhile, appears right after it.
        await self.runtime.settle()
        return True

    async def _submit(self, event: Event) -> None:
        await self.runtime.intake.submit(event)

    def _as(self, name: str) -> None:
        if not name:
            self.adapter.write(_("  (console) usage: /as NAME — for example /as Baraka"))
            return
        self.switch(name)
        self.adapter.write(_("  (console) You are now {name}.").format(name=self.adapter.names[self.user]))

    async def _time(self, arg: str) -> None:
        if arg:
            m = _SHIFT.match(arg.replace(" ", ""))
            if not m:
                self.adapter.write(
                    _("  (console) usage: /time +90m, /time +2h or /time +3d (the clock only moves forward)")
                )
                return
            amount = int(m[1])
            by = timedelta(**{_UNITS[m[2]]: amount}) if amount <= 10**7 else _LONGEST_MOVE * 2
            if by > _LONGEST_MOVE or self.clock.now().year + by.days // 365 > 2999:
                self.adapter.write(_("  (console) The clock moves at most 3650 days (ten years) at a time."))
                return
            self.clock.advance(by)
        self.adapter.write(_("  (console) It is now {time}.").format(time=local_time(self.clock.now(), "UTC")))

    async def _press(self, n: int, shown: Shown) -> None:
        buttons = shown.buttons
        if not 1 <= n <= len(buttons):
            self.adapter.write(
                _("  (console) There is one button: press 1.")
                if len(buttons) == 1
                else _("  (console) Choose a button from 1 to {n}.").format(n=len(buttons))
            )
            return
        button = buttons[n - 1]
        await self._submit(
            ActionClicked(
                actor=self.actor,
                place=shown.place,
                action_id=button.action_id,
                value=button.value,
                message_id=shown.ref,
            )
        )

    async def _press_ref(self, arg: str) -> None:
        ref, _sep, number = arg.partition(" ")
        shown = next(
            (s for s in reversed(self.adapter.shown) if s.ref == ref and s.audience in (None, self.user)), None
        )
        if shown is None or not shown.buttons or not (number.isascii() and number.strip().isdigit()):
            self.adapter.write(
                _(
                    "  (console) usage: /press REF N — REF is a message's [mN] that has buttons, "
                    "for example /press m12 1"
                )
            )
            return
        await self._press(int(number), shown)

    async def _reply(self, arg: str) -> None:
        ref, _sep, words = arg.partition(" ")
        shown = next((s for s in reversed(self.adapter.shown) if s.ref == ref and not s.place.direct), None)
        if shown is None or not words.strip():
            self.adapter.write(
                _(
                    "  (console) usage: /reply REF TEXT — REF is a channel "
                    "message's [mN], for example /reply m12 Good point"
                )
            )
            return
        place = Place(PLATFORM, TENANT, shown.place.channel, thread=shown.place.thread or ref)
        self.adapter.write(
            _("  (console) {name} replied in #{channel} › thread {ref}.").format(
                name=self.adapter.names[self.user], channel=place.channel, ref=place.thread
            )
        )
        await self._submit(MessagePosted(actor=self.actor, place=place, text=words.strip()))

    def _channel(self) -> Place:
        return Place(PLATFORM, TENANT, self.channel)


def _user_id(name: str) -> str:
    # Letters of any script make the id, so Амина and 李娜 are two people, not one "someone".
    return re.sub(r"[^\w.-]+", "-", name.casefold()).strip("-_") or "someone"
