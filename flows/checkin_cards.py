"""What check-ins look like: the forms (schedule, answer, minutes), the question in DM, the agenda, the minutes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from babel.dates import format_date

from bot.answers import InvalidAnswer
from bot.forms import FieldKind, Form, FormField
from bot.i18n import N_, _, babel_locale, local_time, ngettext
from bot.messages import Button, ButtonStyle, Message, Section
from bot.text import content, shorten
from flows.peer_assist_cards import OFFER
from storage.models import ActionItem, CallStatus, Checkin, CheckinCall

SCHEDULE_FORM, ANSWER_FORM, MINUTES_FORM = "checkin.schedule", "checkin.answer", "checkin.minutes"
ANSWER, MINUTES, DONE = "checkin.answer", "checkin.minutes", "checkin.done"
MAX_QUESTIONS = 6
DEFAULT_QUESTIONS = (
    {"text": N_("What progress since last time?"), "required": True, "support": False},
    {"text": N_("What challenges?"), "required": False, "support": False},
    {"text": N_("What support do you need?"), "required": False, "support": True},
)
_MARKS = re.compile(r"\s*\(([a-z ,]+)\)\s*$", re.IGNORECASE)


# -- the questions, as coordinators write them ----------------------------------------------------------------


def questions_text(questions: list[dict[str, Any]]) -> str:
    """One question a line, marked “(optional)” and “(support)” as in the form."""
    lines = []
    for q in questions:
        marks = [m for m, on in ((_("optional"), not q["required"]), (_("support"), q["support"])) if on]
        lines.append(q["text"] + (f" ({', '.join(marks)})" if marks else ""))
    return "\n".join(lines)


def read_questions(text: str) -> list[dict[str, Any]]:
    """Questions one a line; “(optional)” and “(support)” at the end of a line mark it. Raises InvalidAnswer."""
    questions: list[dict[str, Any]] = []
    for line in (raw.strip().lstrip("-•").strip() for raw in re.split(r"[\n;]", text)):
        if not line:
            continue
        marks: set[str] = set()
        if m := _MARKS.search(line):
            marks = {w.strip().casefold() for w in m[1].split(",")}
            if marks <= {_("optional").casefold(), _("support").casefold()}:
                line = line[: m.start()].strip()
            else:
                marks = set()
        if not 3 <= len(line) <= 200:
            raise InvalidAnswer(_("Each question takes 3 to 200 characters."))
        if any(q["text"].casefold() == line.casefold() for q in questions):
            raise InvalidAnswer(_("“{question}” is there twice.").format(question=content(line)))
        optional, support = _("optional").casefold(), _("support").casefold()
        questions.append({"text": line, "required": optional not in marks, "support": support in marks})
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise InvalidAnswer(_("Ask 1 to {n} questions, one a line (or separated by ;).").format(n=MAX_QUESTIONS))
    return questions


def default_questions() -> list[dict[str, Any]]:
    return [{**q, "text": _(str(q["text"]))} for q in DEFAULT_QUESTIONS]


# -- forms -----------------------------------------------------------------------------------------------------


def schedule_form(
    *, editing: Checkin | None, participants: str, cadence: str, questions: list[dict[str, Any]], lead: str
) -> Form:
    return Form(
        SCHEDULE_FORM,
        _("Change check-in #{id}").format(id=editing.id) if editing else _("Schedule a check-in"),
        (
            FormField("title", _("Name of the call"), initial=editing.title if editing else _("Coordination call")),
            FormField(
                "participants",
                _("Who takes part?"),
                FieldKind.LONG_TEXT,
                max_length=1000,
                initial=participants or None,
                help=_("Names separated by commas, and/or a role: moderators, coordinators."),
            ),
            FormField(
                "cadence",
                _("When is the call?"),
                initial=cadence or None,
                help=_("e.g. first Tuesday of every month 10:00 Africa/Nairobi · every other Thursday 14:00"),
            ),
            FormField(
                "call_url",
                _("Call link"),
                FieldKind.WEB_ADDRESS,
                required=False,
                max_length=1000,
                initial=(editing.call_url if editing else None),
                help=_("Where people join (https://…)."),
            ),
            FormField(
                "questions",
                _("The questions"),
                FieldKind.LONG_TEXT,
                max_length=1500,
                initial=questions_text(questions),
                help=_(
                    "One a line (or separated by ;). Mark one (optional) if it may be left empty, and (support) "
                    "the one whose answers are offered to peers who know the topic."
                ),
            ),
            FormField(
                "lead",
                _("How long before the call is the agenda posted?"),
                max_length=20,
                initial=lead,
                help=_("e.g. 2 days. Participants are asked two days before that, in their morning."),
            ),
        ),
        state={"edit": editing.id if editing else None},
    )


def answer_form(checkin: Checkin, call: CheckinCall, previous: dict[str, str], when: str) -> Form:
    fields = tuple(
        FormField(
            f"q{i}",
            shorten(q["text"], 150),
            FieldKind.LONG_TEXT,
            required=bool(q["required"]),
            max_length=1000,
            initial=previous.get(q["text"]),
        )
        for i, q in enumerate(checkin.questions, 1)
    )
    return Form(
        ANSWER_FORM,
        shorten(_("Recap for {title}").format(title=checkin.title), 60),
        fields,
        intro=_(
            "For the call {when}. The community reads your answers in the agenda; change them until the call."
        ).format(when=when),
        state={"call": call.id},
    )


def minutes_form(checkin: Checkin, call: CheckinCall, when: str, actions: str) -> Form:
    return Form(
        MINUTES_FORM,
        shorten(_("Minutes: {title}").format(title=checkin.title), 60),
        (
            FormField(
                "minutes",
                _("What was said and decided?"),
                FieldKind.LONG_TEXT,
                max_length=3000,
                initial=call.minutes,
            ),
            FormField(
                "actions",
                _("Action items"),
                FieldKind.LONG_TEXT,
                required=False,
                max_length=2000,
                initial=actions or None,
                help=_(
                    "One a line (or separated by ;): who: what [by when], e.g. Amina: share the dashboard by 20 March."
                ),
            ),
        ),
        intro=_("For the call of {when}. Posted in the agenda's thread and kept in the library.").format(when=when),
        state={"call": call.id},
    )


# -- messages --------------------------------------------------------------------------------------------------


def ask(checkin: Checkin, call: CheckinCall, zone: str, agenda_at: datetime, *, reminder: bool = False) -> Message:
    lead = _("A gentle reminder — ") if reminder else "📝 "
    names = ", ".join(q["text"].rstrip("?").casefold() for q in checkin.questions)
    return Message(
        lead
        + _("*{title}* is {when}. Your recap for the agenda: {questions}.").format(
            title=content(checkin.title), when=local_time(call.starts_at, zone), questions=content(names)
        ),
        buttons=(Button(_("Answer"), ANSWER, str(call.id), ButtonStyle.PRIMARY),),
        footer=(_("This is the only reminder.") + " " if reminder else "")
        + _("The agenda is posted {when}; you can change your answers until the call.").format(
            when=local_time(agenda_at, zone)
        ),
    )


@dataclass(frozen=True)
class Recap:
    """One participant's answers, and where their support need went."""

    name: str
    answers: dict[str, str]
    request: int | None = None
    asked: str = ""  # who was asked to help, and why
    offer_to: str = ""  # the name on the "I can help" button


@dataclass(frozen=True)
class Agenda:
    checkin: Checkin
    call: CheckinCall
    recaps: list[Recap]
    silent: list[str]
    carried: list[tuple[ActionItem, str]] = field(default_factory=list)  # open items from earlier calls, owner
    today: date | None = None


def agenda(a: Agenda) -> Message:
    checkin, call = a.checkin, a.call
    lead = _("📋 *Agenda — {title}*, {when}").format(
        title=content(checkin.title), when=local_time(call.starts_at, checkin.timezone)
    )
    if checkin.call_url:
        lead += "\n" + _("Join: {url}").format(url=content(checkin.call_url))
    sections = []
    # Answers to a question since changed keep their own heading rather than vanish.
    asked = {q["text"] for q in checkin.questions}
    earlier = [{"text": t, "support": False} for r in a.recaps for t in r.answers if t not in asked]
    questions = checkin.questions + list({q["text"]: q for q in earlier}.values())
    for q in questions if a.recaps else ():
        lines = []
        for recap in a.recaps:
            if answer := recap.answers.get(q["text"]):
                lines.append(f"*{content(recap.name)}*: {content(answer)}")
                if q["support"] and recap.request:
                    lines.append(routed(recap.request, recap.asked))
        title = ("🆘 " if q["support"] else "") + content(q["text"])
        sections.append(Section(title=title, text="\n".join(lines) or _("No answer yet.")))
    if not a.recaps:
        sections.append(Section(text=_("No recap yet.")))
    if a.carried:
        lines = [_action_line(item, owner, a.today) for item, owner in a.carried]
        sections.append(Section(title=_("Open action items from earlier calls"), text="\n".join(lines)))
    if a.silent:
        sections.append(Section(text=_("Not answered yet: {names}").format(names=content(", ".join(a.silent)))))
    buttons = []
    if call.status == CallStatus.UPCOMING:
        buttons.append(Button(_("Add or change my answers"), ANSWER, str(call.id)))
    buttons.append(Button(_("Take minutes"), MINUTES, str(call.id)))
    for recap in [r for r in a.recaps if r.request and r.offer_to][:3]:
        buttons.append(
            Button(_("I can help {name}").format(name=shorten(recap.offer_to, 30)), OFFER, str(recap.request))
        )
    answered = len(a.recaps)
    footer = ngettext(
        "Check-in #{id} · {n} of {total} participant answered",
        "Check-in #{id} · {n} of {total} participants answered",
        answered + len(a.silent),
    ).format(id=checkin.id, n=answered, total=answered + len(a.silent))
    footer += " · " + (
        _("answers can change until the call") if call.status == CallStatus.UPCOMING else _("the call has started")
    )
    return Message(lead, sections=tuple(sections), buttons=tuple(buttons), footer=footer)


def routed(request: int, asked: str) -> str:
    """Where a need went: “→ peer assist #3: I asked Tomás (listed data quality)”."""
    if asked:
        return "   → " + _("peer assist #{id}: I asked {people}").format(id=request, people=asked)
    return "   → " + _("peer assist #{id}: nobody lists this topic yet; anyone who can help, say so").format(id=request)


def day(when: date | str) -> str:
    """A day as members read it: Mon 20 Apr 2026."""
    return format_date(
        date.fromisoformat(when) if isinstance(when, str) else when, "EEE d MMM yyyy", locale=babel_locale()
    )


def _action_line(item: ActionItem, owner: str, today: date | None) -> str:
    line = _("- #{id} {owner}: {text}").format(id=item.id, owner=content(owner), text=content(item.text))
    if item.due_on:
        line += " · " + _("due {day}").format(day=day(item.due_on))
        if today is not None and date.fromisoformat(item.due_on) < today:
            line += " · " + _("overdue")
    return line


def minutes(checkin: Checkin, when: str, text: str, items: list[tuple[ActionItem, str]], *, again: bool) -> Message:
    sections = [Section(text=content(text))]
    if items:
        sections.append(
            Section(title=_("Action items"), text="\n".join(_action_line(i, owner, None) for i, owner in items))
        )
    lead = _("🗒 Minutes of {title}, {when}") if not again else _("🗒 Minutes of {title}, {when} (corrected)")
    return Message(
        lead.format(title=content(checkin.title), when=when),
        sections=tuple(sections),
        footer=_("Kept in the library: /cop library search {title}").format(title=content(checkin.title)),
    )


def your_actions(checkin: Checkin, items: list[ActionItem], zone: str) -> Message:
    lines = [_action_line(item, _("you"), None) for item in items]
    return Message(
        _("From the minutes of *{title}*, for you:").format(title=content(checkin.title)),
        sections=(Section(text="\n".join(lines)),),
        buttons=tuple(Button(_("Done: #{id}").format(id=i.id), DONE, str(i.id)) for i in items[:5]),
        footer=_("I will remind you the day before each due date. `/cop checkin done <number>` marks one done."),
    )


def action_reminder(checkin: Checkin, item: ActionItem) -> Message:
    return Message(
        _("⏰ Due tomorrow, from *{title}*: {text}").format(title=content(checkin.title), text=content(item.text)),
        buttons=(Button(_("Done"), DONE, str(item.id), ButtonStyle.PRIMARY),),
        footer=_("Action item #{id}").format(id=item.id),
    )


def take_minutes(checkin: Checkin, call: CheckinCall) -> Message:
    return Message(
        _("📞 *{title}* starts now. Afterwards, take the minutes and action items here.").format(
            title=content(checkin.title)
        ),
        buttons=(Button(_("Take minutes"), MINUTES, str(call.id), ButtonStyle.PRIMARY),),
        footer=_("Or type /cop checkin minutes {id}").format(id=checkin.id),
    )
