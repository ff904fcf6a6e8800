"""The webinar series: schedule a session, RSVP with live counts, reminders in each member's own time, and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from babel.dates import format_timedelta
from babel.lists import format_list

from bot import arguments
from bot.answers import clock_note
from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer, UsageError
from bot.forms import FormErrors
from bot.i18n import N_, _, babel_locale
from bot.messages import Button, Message, Section
from bot.registry import Routine
from bot.text import content, is_web_address, shorten
from flows import webinar_after as after
from flows import webinar_attendance as attendance
from flows import webinar_cards as cards
from flows.participation import contributed
from flows.webinar_series import MAX_SESSIONS, Repeat, describe, next_start
from storage import communities, members, webinars
from storage.models import Act, Role, Webinar, WebinarStatus

routine = Routine("webinars")
REMIND_MEMBER, REMIND_CHANNEL, NEXT = "webinar.remind_member", "webinar.remind_channel", "webinar.next"
REMIND_ONE = "webinar.remind_one"
USEFUL_MARGIN = timedelta(minutes=5)
CHOICES = {"going": N_("You are going"), "maybe": N_("You might come"), "no": N_("You are not going")}
COMING = ("going", "maybe")
LIST_BUTTONS = 5


@dataclass(frozen=True)
class WebinarRef:
    webinar: int


@dataclass(frozen=True)
class Reminder:
    """A reminder for a session as it was timed when scheduled: `starts` (UTC, ISO) and `before` (seconds)."""

    webinar: int
    starts: str = ""
    before: int = 0


@dataclass(frozen=True)
class MemberReminder(Reminder):
    member: int = 0


@routine.command(
    "webinar list",
    usage=N_("webinar [list]"),
    help=N_("The webinar series: the sessions coming up"),
    example="webinar list",
    default=True,
)
async def webinar_list(ctx: MemberContext, text: str) -> None:
    await _list(ctx)


@routine.command(
    "webinar add",
    usage=N_("webinar add"),
    help=N_("Schedule a session or a series (a form)"),
    example="webinar add",
    role=Role.MODERATOR,
)
async def webinar_add(ctx: MemberContext, text: str) -> None:
    await ctx.open_form(cards.add_form(ctx.timezone))


@routine.command(
    "webinar ics",
    usage=N_("webinar ics <id>"),
    help=N_("A session as a calendar file"),
    example="webinar ics 3",
)
async def webinar_ics(ctx: MemberContext, text: str) -> None:
    session = await _session(ctx, text)
    await ctx.reply(
        _("Add #{id} to your calendar (save as webinar.ics):\n{ics}").format(
            id=session.id, ics=cards.ics(session, ctx.now)
        )
    )


@routine.command(
    "webinar move",
    usage=N_("webinar move <id> <when>"),
    help=N_("Move a session to another time"),
    example="webinar move 3 friday 15:00",
    role=Role.MODERATOR,
)
async def webinar_move(ctx: MemberContext, text: str) -> None:
    await _move(ctx, text)


@routine.command(
    "webinar cancel",
    usage=N_("webinar cancel <id> [series]"),
    help=N_("Cancel a session, or it and the rest of its series"),
    example="webinar cancel 3",
    role=Role.MODERATOR,
)
async def webinar_cancel(ctx: MemberContext, text: str) -> None:
    await _cancel(ctx, text)


@routine.command(
    "webinar recording",
    usage=N_("webinar recording <id> <url> [slides]"),
    help=N_("Share a session's recording (and slides)"),
    example="webinar recording 3 https://example.org/rec https://example.org/slides.pdf",
    role=Role.MODERATOR,
)
async def webinar_recording(ctx: MemberContext, text: str) -> None:
    usage = _("Give the webinar's number and the recording's link (and the slides' link, if any).")
    number, rest = arguments.number(text, missing=usage)
    links = rest.split()
    if len(links) not in (1, 2) or not all(is_web_address(u) for u in links):
        raise UsageError(usage)
    session = await _session(ctx, str(number))
    if session.status == WebinarStatus.CANCELLED:
        raise Answer(_("Webinar #{id} was cancelled; there is no recording to share.").format(id=session.id))
    await after.recording(ctx, session, links[0], links[1] if len(links) == 2 else None)


@routine.command(
    "webinar feedback",
    usage=N_("webinar feedback <id>"),
    help=N_("What attendees said of a session"),
    example="webinar feedback 3",
    role=Role.MODERATOR,
)
async def webinar_feedback(ctx: MemberContext, text: str) -> None:
    await after.feedback_report(ctx, await _session(ctx, text))


@routine.form(cards.FORM_ID)
async def added(ctx: MemberContext, values: dict[str, Any]) -> None:
    community, me = ctx.community, ctx.member
    start: datetime = values["start"]
    errors = {}
    if start <= ctx.now:
        errors["start"] = _("That is in the past ({when}); choose a time ahead.").format(when=ctx.when(start))
    minutes = str(values["minutes"])
    if not minutes.isdigit() or not 15 <= int(minutes) <= 480:
        errors["minutes"] = _("A length between 15 and 480 minutes, please.")
    if not is_web_address(values["join_url"]):
        errors["join_url"] = _("A join link starts with https://")
    repeat = Repeat(values.get("repeats") or Repeat.ONCE)
    count = str(values.get("sessions") or cards.DEFAULT_SESSIONS).strip()
    if repeat != Repeat.ONCE and (not count.isdigit() or not 2 <= int(count) <= MAX_SESSIONS):
        errors["sessions"] = _("From 2 to {n} sessions, please.").format(n=MAX_SESSIONS)
    if errors:
        raise FormErrors(errors)
    session = await webinars.add(
        ctx.db,
        community_id=community.id,
        title=values["title"],
        presenters=values.get("presenters") or "",
        description=values.get("description") or "",
        starts_at=start,
        timezone=str(start.tzinfo),
        minutes=int(minutes),
        join_url=values["join_url"],
        status=WebinarStatus.SCHEDULED,
        cards=[],
        repeat=repeat,
        sessions_left=int(count) - 1 if repeat != Repeat.ONCE else 0,
        created_by=me.id,
        created_at=ctx.now,
    )
    session.series_id = session.id
    await _announce(ctx, session)
    await ctx.record("webinar.added", subject=str(session.id))
    lines = [
        _("Webinar #{id} is announced for {when}.").format(
            id=session.id, when=ctx.when(session.starts_at, session.timezone)
        )
    ]
    if session.sessions_left:
        lines.append(
            _("It repeats {rule}, {n} sessions in all; each is announced after the one before.").format(
                rule=describe(repeat, start, session.timezone), n=session.sessions_left + 1
            )
        )
    if note := clock_note(start):
        lines.append(note)
    await ctx.reply("\n".join(lines))


async def _announce(ctx: Context, session: Webinar) -> None:
    """Post the card home, schedule its reminders and, in a series, the next session after this one ends."""
    community = await communities.by_id(ctx.db, session.community_id)
    assert community is not None
    session.cards = await ctx.post_home(lambda: cards.card(session, {}, community.timezone), community)
    await _schedule_reminders(ctx, session)
    await attendance.schedule(ctx, session)
    if session.sessions_left:
        await ctx.schedule(
            NEXT,
            at=session.starts_at + timedelta(minutes=session.minutes),
            key=f"webinar:{session.id}:next",
            payload=WebinarRef(session.id),
        )


@routine.delivery(NEXT, payload=WebinarRef)
async def next_session(ctx: DeliveryContext, payload: WebinarRef) -> None:
    """A series goes on after each session (a cancelled session included), until the series is stopped."""
    session = await webinars.by_id(ctx.db, payload.webinar)
    if session is None or not session.sessions_left:
        return
    start = next_start(Repeat(session.repeat), session.slot_at or session.starts_at, session.timezone)
    following = await webinars.add(
        ctx.db,
        community_id=session.community_id,
        title=session.title,
        presenters=session.presenters,
        description=session.description,
        starts_at=start,
        timezone=session.timezone,
        minutes=session.minutes,
        join_url=session.join_url,
        status=WebinarStatus.SCHEDULED,
        cards=[],
        repeat=session.repeat,
        sessions_left=session.sessions_left - 1,
        series_id=session.series_id or session.id,
        created_by=session.created_by,
        created_at=ctx.now,
    )
    await _announce(ctx, following)


def _stamp(session: Webinar) -> str:
    return session.starts_at.astimezone(UTC).isoformat()  # the same whether the time came from a form or the db


def _keys(ctx: Context, session: Webinar) -> list[tuple[str, timedelta, str]]:
    settings = ctx.services.settings
    offsets = [(before, REMIND_MEMBER) for before in settings.webinar_member_reminders]
    offsets += [(before, REMIND_CHANNEL) for before in settings.webinar_channel_reminders]
    return [
        (f"webinar:{session.id}:{kind}:{int(before.total_seconds())}:{_stamp(session)}", before, kind)
        for before, kind in offsets
    ]


async def _schedule_reminders(ctx: Context, session: Webinar) -> None:
    for key, before, kind in _keys(ctx, session):
        at = session.starts_at - before
        if at > ctx.now:
            # Still worth sending late (after a restart, say) until just before the start; the text says the time left.
            await ctx.schedule(
                kind,
                at=at,
                key=key,
                useful_for=max(before - USEFUL_MARGIN, USEFUL_MARGIN),
                payload=Reminder(session.id, _stamp(session), int(before.total_seconds())),
            )


async def _cancel_reminders(ctx: Context, session: Webinar) -> None:
    for key, _before, _kind in _keys(ctx, session):
        await ctx.cancel(key)


async def _due(ctx: Context, payload: Reminder) -> Webinar | None:
    """The session a reminder is for, if it is still on at the time the reminder was made for."""
    session = await webinars.by_id(ctx.db, payload.webinar)
    if session is None or session.status != WebinarStatus.SCHEDULED:
        return None
    return session if (payload.starts or _stamp(session)) == _stamp(session) else None


@routine.action(cards.RSVP)
async def rsvp(ctx: MemberContext, value: str) -> None:
    ident, _sep, choice = value.partition(":")
    number = arguments.parse_id(ident)
    session = await webinars.by_id(ctx.db, number) if number else None
    if session is None or choice not in CHOICES:
        raise Answer(_("That webinar is no longer here."))
    if session.status != WebinarStatus.SCHEDULED or session.starts_at + timedelta(minutes=session.minutes) < ctx.now:
        raise Answer(_("Webinar #{id} is over or cancelled.").format(id=session.id))
    previous = await webinars.answer(ctx.db, session.id, ctx.member.id, choice, ctx.now)
    if choice in COMING and previous not in COMING:  # saying yes counts once, however often it is changed
        await contributed(ctx, Act.RSVP, session.id, community_id=session.community_id)
    await _refresh_cards(ctx, session)
    offsets = ctx.services.settings.webinar_member_reminders
    reminded = (
        _(" I will remind you {when} before.").format(
            when=format_list(
                [format_timedelta(o, threshold=1, locale=babel_locale()) for o in offsets], locale=babel_locale()
            )
        )
        if choice != "no" and offsets
        else ""
    )
    await ctx.reply(
        _("{choice} to “{title}” ({when}).{reminded}").format(
            choice=_(CHOICES[choice]), title=content(session.title), when=ctx.when(session.starts_at), reminded=reminded
        )
    )


async def _refresh_cards(ctx: Context, session: Webinar) -> None:
    community = await communities.by_id(ctx.db, session.community_id)
    zone = community.timezone if community else session.timezone
    counts = await webinars.counts(ctx.db, session.id)
    await ctx.update_posts(session.cards, lambda: cards.card(session, counts, zone))


@routine.delivery(REMIND_MEMBER, payload=Reminder)
async def remind_members(ctx: DeliveryContext, payload: Reminder) -> None:
    """Fan out: one delivery per member, so a failed send is retried for that member alone and nobody gets two."""
    if (session := await _due(ctx, payload)) is None:
        return
    before = timedelta(seconds=payload.before)
    for member_id in await webinars.attending(ctx.db, session.id):
        await ctx.schedule(
            REMIND_ONE,
            at=ctx.now,
            key=f"webinar:{session.id}:{REMIND_ONE}:{member_id}:{payload.before}:{_stamp(session)}",
            payload=MemberReminder(payload.webinar, payload.starts, payload.before, member_id),
            useful_for=max(before - USEFUL_MARGIN, USEFUL_MARGIN),
        )


@routine.delivery(REMIND_ONE, payload=MemberReminder)
async def remind_member(ctx: DeliveryContext, payload: MemberReminder) -> None:
    session, member = await _due(ctx, payload), await members.by_id(ctx.db, payload.member)
    if (
        session is None
        or member is None
        or await webinars.rsvp_of(ctx.db, session.id, member.id) not in ("going", "maybe")
    ):
        return
    await ctx.dm(member, lambda: cards.reminder(session, ctx.zone_of(member), ctx.now))


@routine.delivery(REMIND_CHANNEL, payload=Reminder)
async def remind_channel(ctx: DeliveryContext, payload: Reminder) -> None:
    if (session := await _due(ctx, payload)) is None:
        return
    await ctx.reply_in_threads(
        session.cards, lambda: cards.reminder(session, session.timezone, ctx.now), in_thread=False
    )


async def _list(ctx: MemberContext) -> None:
    community = ctx.community
    sessions = await webinars.upcoming(ctx.db, community.id, ctx.now)
    if not sessions:
        raise Answer(_("No webinar is scheduled. Moderators add one with `/cop webinar add`."))
    lines = [
        _("- #{id} {when} — {title}").format(id=s.id, when=ctx.when(s.starts_at), title=content(shorten(s.title, 80)))
        for s in sessions
    ]
    # Say you are going from the list itself, without finding each card in the channel.
    buttons = tuple(
        Button(_("Going to #{id}").format(id=s.id), cards.RSVP, f"{s.id}:going") for s in sessions[:LIST_BUTTONS]
    )
    await ctx.reply(
        Message(
            _("Upcoming webinars, in your time ({zone}):").format(zone=ctx.timezone),
            sections=(Section("\n".join(lines)),),
            buttons=buttons,
        )
    )


async def _session(ctx: MemberContext, text: str) -> Webinar:
    number, _rest = arguments.number(text, missing=_("Which webinar? Give its number (see /cop webinar list)."))
    return await arguments.in_community(
        ctx.community.id, number, lambda n: webinars.by_id(ctx.db, n), _("There is no webinar #{id} here.")
    )


async def _move(ctx: MemberContext, text: str) -> None:
    number, when = arguments.number(text)
    session = await _session(ctx, str(number))
    if session.status != WebinarStatus.SCHEDULED:
        raise Answer(_("Webinar #{id} is cancelled.").format(id=session.id))
    start = arguments.moment(when, ctx.timezone, ctx.now)
    if start <= ctx.now:
        raise Answer(_("That is in the past ({when}); choose a time ahead.").format(when=ctx.when(start)))
    await _cancel_reminders(ctx, session)
    await attendance.unschedule(ctx, session)
    # Only this session moves: the series keeps its slot and zone (the card shows the new instant in that zone).
    session.slot_at = session.slot_at or session.starts_at
    session.starts_at = start
    if not session.series_id and not session.sessions_left:
        session.timezone = str(start.tzinfo)
    await _schedule_reminders(ctx, session)
    await attendance.schedule(ctx, session)
    await _refresh_cards(ctx, session)
    for member_id in await webinars.attending(ctx.db, session.id):
        member = await members.by_id(ctx.db, member_id)
        if member is not None:
            with ctx.language_of(member):
                moved = _("“{title}” has moved to {when}.").format(
                    title=content(session.title), when=cards.starts_text(start, ctx.zone_of(member))
                )
            await ctx.dm(member, moved)
    await ctx.reply(
        _("Webinar #{id} now starts {when}; reminders follow the new time.").format(id=session.id, when=ctx.when(start))
    )


async def _cancel(ctx: MemberContext, text: str) -> None:
    number, scope = arguments.number(text)
    session = await _session(ctx, str(number))
    if scope.strip().casefold() in ("series", "all"):
        stopped = session.sessions_left
        session.sessions_left = 0  # no next session will be announced
        if session.status == WebinarStatus.CANCELLED or session.starts_at < ctx.now:
            await ctx.reply(
                _("The series ends with #{id}: no further session will be announced.").format(id=session.id)
                if stopped
                else _("Webinar #{id} has no sessions after it.").format(id=session.id)
            )
            return
    elif scope.strip():
        raise UsageError(_("Cancel one session (cancel <id>) or it and the rest of its series (cancel <id> series)."))
    if session.status == WebinarStatus.CANCELLED:
        raise Answer(_("Webinar #{id} is already cancelled.").format(id=session.id))
    if session.starts_at <= ctx.now:
        raise Answer(_("Webinar #{id} has already taken place; it cannot be cancelled.").format(id=session.id))
    session.status = WebinarStatus.CANCELLED
    await _cancel_reminders(ctx, session)
    await attendance.unschedule(ctx, session)
    await _refresh_cards(ctx, session)
    for member_id in await webinars.attending(ctx.db, session.id):
        member = await members.by_id(ctx.db, member_id)
        if member is not None:
            with ctx.language_of(member):
                cancelled = _("“{title}” is cancelled.").format(title=content(session.title))
            await ctx.dm(member, cancelled)
    follows = (
        _(" The series goes on: the next session is announced after this one's time.") if session.sessions_left else ""
    )
    await ctx.reply(_("Webinar #{id} is cancelled; those coming were told.").format(id=session.id) + follows)
