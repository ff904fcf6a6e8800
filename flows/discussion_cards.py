"""What moderated discussions look like: the scheduling form, the opening post, the moderators' prompts, the summary."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_timedelta

from bot.forms import Choice, FieldKind, Form, FormField
from bot.i18n import _, babel_locale, channel_time, local_time, ngettext
from bot.messages import Button, ButtonStyle, Message, Section
from bot.text import content
from storage.models import Discussion, DiscussionStatus

FORM_ID, SUMMARY_FORM_ID, SUMMARISE = "discussion.schedule", "discussion.summary", "discussion.summarise"
HOME, HERE = "home", "here"
FOLLOW = "discussion.follow"  # a button that follows a discussion's topic (in an invitation, say)
MIN_DAYS, MAX_DAYS = 1, 30


def schedule_form(
    timezone: str,
    topics: list[str],
    *,
    here: bool,
    editing: Discussion | None = None,
    moderators: str = "",
    state: dict[str, object] | None = None,
) -> Form:
    days = (editing.closes_at - editing.opens_at).days if editing else 7
    opens = (
        editing.opens_at.astimezone(ZoneInfo(editing.timezone)).strftime("%Y-%m-%d %H:%M") + f" {editing.timezone}"
        if editing
        else None
    )
    fields = [
        FormField(
            "topic",
            _("Topic"),
            FieldKind.SINGLE_SELECT,
            choices=tuple(Choice(t, t) for t in topics),
            allow_other=True,
            max_length=200,
            initial=editing.topic if editing else None,
            help=_("A topic of the learning agenda (a number), or a new one in words.")
            if topics
            else _(
                "Name the topic in words (the learning agenda is empty; coordinators fill it with /cop agenda add)."
            ),
        ),
        FormField(
            "question",
            _("Opening question"),
            FieldKind.LONG_TEXT,
            max_length=1000,
            initial=editing.question if editing else None,
            help=_("The question members will answer in the thread."),
        ),
        FormField(
            "context",
            _("Context and links"),
            FieldKind.LONG_TEXT,
            required=False,
            max_length=1500,
            initial=(editing.context or None) if editing else None,
            help=_("Background, readings, links."),
        ),
    ]
    if here:  # asked only when there is a choice: typed in a channel that is not the community's home
        fields.append(
            FormField(
                "channel",
                _("Channel"),
                FieldKind.SINGLE_SELECT,
                initial=HOME,
                help=_("Where the discussion opens."),
                choices=(Choice(HOME, _("The community's home channel")), Choice(HERE, _("This channel"))),
            )
        )
    fields += [
        FormField(
            "opens",
            _("Opening time"),
            FieldKind.DATETIME,
            future=True,
            initial=opens,
            help=_(
                "Date and time, read in your timezone ({tz}) unless you add "
                "another, e.g. 2026-04-07 09:00 Africa/Nairobi."
            ).format(tz=timezone),
        ),
        FormField(
            "days",
            _("Length in days"),
            FieldKind.NUMBER,
            minimum=MIN_DAYS,
            maximum=MAX_DAYS,
            initial=str(days),
            help=_("From {low} to {high}.").format(low=MIN_DAYS, high=MAX_DAYS),
        ),
        FormField(
            "moderators",
            _("Co-moderators"),
            required=False,
            max_length=300,
            initial=moderators or None,
            help=_("Champions who moderate with you: names, separated by commas."),
        ),
    ]
    return Form(
        FORM_ID,
        _("Edit discussion #{id}").format(id=editing.id) if editing else _("Schedule a discussion"),
        tuple(fields),
        state=state or {},
    )


def summary_form(discussion: Discussion) -> Form:
    return Form(
        SUMMARY_FORM_ID,
        _("Summary of discussion #{id}").format(id=discussion.id),
        (
            FormField(
                "points",
                _("Key points"),
                FieldKind.LONG_TEXT,
                max_length=2000,
                help=_("What the discussion brought out."),
            ),
            FormField(
                "practices",
                _("Practices identified"),
                FieldKind.LONG_TEXT,
                required=False,
                max_length=1500,
                help=_("What people do that works, worth passing on."),
            ),
            FormField(
                "questions",
                _("Open questions"),
                FieldKind.LONG_TEXT,
                required=False,
                max_length=1000,
                help=_("What is still unanswered: material for a next discussion."),
            ),
        ),
        intro=_("The summary is posted in the thread and the channel, and kept in the library."),
        state={"discussion": discussion.id},
    )


def opening(discussion: Discussion, moderators: list[str], community_zone: str) -> Message:
    lines = [content(discussion.question)]
    if discussion.context:
        lines.append(content(discussion.context))
    return Message(
        _("💬 Discussion: *{topic}*").format(topic=content(discussion.topic)),
        sections=(Section("\n\n".join(lines)),),
        footer=_("#{id} · moderated by {who} · open until {until} · reply in this thread").format(
            id=discussion.id,
            who=content(", ".join(moderators)),
            until=channel_time(discussion.closes_at, community_zone, discussion.timezone),
        ),
    )


def closed(discussion: Discussion) -> Message:
    """The card once closed: it says the summary is in the thread only once someone has written it."""
    footer = (
        _("#{id} · closed {when} · the summary is in the thread (library #{item})")
        if discussion.status == DiscussionStatus.SUMMARISED
        else _("#{id} · closed {when} · the moderators' summary will follow in the thread")
    )
    return Message(
        _("💬 Discussion (closed): *{topic}*").format(topic=content(discussion.topic)),
        sections=(Section(content(discussion.question)),),
        footer=footer.format(
            id=discussion.id,
            when=local_time(discussion.closes_at, discussion.timezone),
            item=discussion.summary_item_id,
        ),
    )


def state_line(discussion: Discussion, replies: dict[int, int], now: datetime) -> str:
    total, people = sum(replies.values()), len(replies)
    left = format_timedelta(discussion.closes_at - now, threshold=1.1, locale=babel_locale())
    return (
        ngettext("{n} reply", "{n} replies", total).format(n=total)
        + " · "
        + ngettext("{n} person", "{n} people", people).format(n=people)
        + " · "
        + _("closes in {left}").format(left=left)
    )


def nudge(discussion: Discussion, replies: dict[int, int], quiet: timedelta, now: datetime) -> Message:
    silent = format_timedelta(quiet, threshold=1.1, locale=babel_locale())
    return Message(
        _("🔔 Discussion #{id} “{topic}” has been quiet for {silent}.").format(
            id=discussion.id, topic=content(discussion.topic), silent=silent
        ),
        sections=(Section(state_line(discussion, replies, now)),),
        footer=_("A follow-up question, an example of your own, or asking someone by name usually restarts it."),
    )


def midpoint(discussion: Discussion, replies: dict[int, int], now: datetime) -> Message:
    return Message(
        _("🧭 Discussion #{id} “{topic}” is half way.").format(id=discussion.id, topic=content(discussion.topic)),
        sections=(Section(state_line(discussion, replies, now)),),
        footer=_("Post a mid-point synthesis in the thread: what has been said so far, and what is still open."),
    )


def ask_summary(discussion: Discussion, replies: dict[int, int]) -> Message:
    total = sum(replies.values())
    return Message(
        _("📝 Discussion #{id} “{topic}” is closed ({n}). Please write its summary.").format(
            id=discussion.id,
            topic=content(discussion.topic),
            n=ngettext("{n} reply", "{n} replies", total).format(n=total),
        ),
        buttons=(Button(_("Write the summary"), SUMMARISE, str(discussion.id), ButtonStyle.PRIMARY),),
        footer=_("Or type /cop discuss summary {id}").format(id=discussion.id),
    )


def _summary_parts(points: str, practices: str | None, questions: str | None) -> list[tuple[str, str]]:
    parts = [(_("Key points"), points), (_("Practices identified"), practices), (_("Open questions"), questions)]
    return [(label, text) for label, text in parts if text]


def summary(discussion: Discussion, item_id: int, points: str, practices: str | None, questions: str | None) -> Message:
    return Message(
        _("📚 Summary of the discussion “{topic}”").format(topic=content(discussion.topic)),
        sections=tuple(
            Section(content(text), title=label) for label, text in _summary_parts(points, practices, questions)
        ),
        footer=_("Discussion #{id} · kept in the library as #{item} (/cop library show {item})").format(
            id=discussion.id, item=item_id
        ),
    )


def summary_text(points: str, practices: str | None, questions: str | None) -> str:
    return "\n".join(f"{label}: {text}" for label, text in _summary_parts(points, practices, questions))
