"""What working out loud looks like: the circle's invitation, the ask in DM, the share form, the cycle's card."""

from __future__ import annotations

from dataclasses import dataclass

from bot.forms import Form, FormField
from bot.i18n import _, ngettext
from bot.messages import Button, ButtonStyle, Message, Section
from bot.text import content, shorten
from flows.checkin_cards import routed
from flows.peer_assist_cards import OFFER
from storage.models import WolCircle, WolCycle

SHARE_FORM = "wol.share"
JOIN, SHARE, SKIP = "wol.join", "wol.share", "wol.skip"


def cadence(circle: WolCircle) -> str:
    return _("every week") if circle.every_days == 7 else _("every two weeks")


def invitation(circle: WolCircle, starter: str) -> Message:
    return Message(
        _("🗣 *Working out loud on “{topic}”*, {cadence}.").format(topic=content(circle.topic), cadence=cadence(circle)),
        sections=(
            Section(
                _(
                    "Members who join share two or three lines each time: what they are working on, what they have "
                    "learned, and where help would be welcome. The shares are posted together in one thread; help "
                    "requests go to peers who know the topic."
                )
            ),
        ),
        buttons=(Button(_("Join"), JOIN, str(circle.id), ButtonStyle.PRIMARY),),
        footer=_("Started by {name} · circle #{id} · /cop wol join {id}").format(name=content(starter), id=circle.id),
    )


def ask(circle: WolCircle, cycle: WolCycle, posted: str) -> Message:
    return Message(
        _(
            "🗣 Working out loud on “{topic}”: what are you working on, what have you learned, where would help "
            "be welcome?"
        ).format(topic=content(circle.topic)),
        buttons=(
            Button(_("Share"), SHARE, str(cycle.id), ButtonStyle.PRIMARY),
            Button(_("Skip this time"), SKIP, str(cycle.id)),
        ),
        footer=_("Two or three lines are plenty. The shares are posted together {when}.").format(when=posted),
    )


def share_form(circle: WolCircle, cycle: WolCycle, previous: dict[str, str]) -> Form:
    return Form(
        SHARE_FORM,
        shorten(_("Working out loud: {topic}").format(topic=circle.topic), 60),
        (
            FormField("working_on", _("What are you working on?"), max_length=300, initial=previous.get("working_on")),
            FormField(
                "learned",
                _("What have you learned?"),
                required=False,
                max_length=300,
                initial=previous.get("learned"),
            ),
            FormField(
                "help",
                _("Where would help be welcome?"),
                required=False,
                max_length=300,
                initial=previous.get("help"),
                help=_("Peers who know the topic are asked."),
            ),
        ),
        state={"cycle": cycle.id},
    )


@dataclass(frozen=True)
class Shared:
    name: str
    working_on: str
    learned: str
    help: str
    request: int | None = None
    asked: str = ""


def cycle_card(circle: WolCircle, when: str, shares: list[Shared]) -> Message:
    sections = []
    for s in shares:
        lines = [_("Working on: {text}").format(text=content(s.working_on))]
        if s.learned:
            lines.append(_("Learned: {text}").format(text=content(s.learned)))
        if s.help:
            lines.append(_("Help welcome: {text}").format(text=content(s.help)))
            if s.request:
                lines.append(routed(s.request, s.asked))
        sections.append(Section(title=content(s.name), text="\n".join(lines)))
    buttons = [
        Button(_("I can help {name}").format(name=shorten(s.name, 30)), OFFER, str(s.request))
        for s in shares
        if s.request
    ][:3]
    return Message(
        _("🗣 *Working out loud — {topic}*, {when}").format(topic=content(circle.topic), when=when),
        sections=tuple(sections),
        buttons=tuple(buttons),
        footer=ngettext(
            "{n} share · circle #{id} · talk about them in this thread",
            "{n} shares · circle #{id} · talk about them in this thread",
            len(shares),
        ).format(n=len(shares), id=circle.id),
    )
