"""The webinar series: schedule a session, RSVP with live counts, reminders in each member's own time, and after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from babel.dates import format_timedelta
from babel.lists import format_list

from bot.answers import InvalidAnswer, clock_note, parse_answer, read_datetime
from bot.context import Context
from bot.errors import Answer, UsageError
from bot.forms import FieldKind, FormErrors, FormField
from bot.i18n import N_, _
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import content, is_web_address, parse_id, shorten
from flows import webinar_after as after
from flows import webinar_cards as cards
from flows.webinar_series import MAX_SESSIONS, Repeat, describe, next_start
from storage import communities, members, webinars
from storage.models import Role, Webinar, WebinarStatus

routine = Routine("webinars")
REMIND_MEMBER, REMIND_CHANNEL, NEXT = "webinar.remind_member", "webinar.remind_channel", "webinar.next"
REMIND_ONE = "webinar.remind_one"
USEFUL_MARGIN = timedelta(minutes=5)
CHOICES = {"going": N_("You are going"), "maybe": N_("You might come"), "no": N_("You are not going")}


@routine.command(
    "webinar",
    usage=N_(
        "webinar add | list | ics <id> | move <id> <when> | cancel <id> "
        "[series] | recording <id> <url> [slides] | feedback <id>"
    ),
    help=N_("The webinar series: schedule, list, move, cancel, share the recording"),
    example="webinar list",
)
async def webinar(ctx: Context, text: str) -> None:
    verb, _sep, rest = text.strip().partition(" ")
    verb = verb.casefold() or "list"
    if verb in ("add", "move", "cancel", "recording", "feedback") and (ctx.role or 0) < Role.MODERATOR:
        raise Answer(_("Only a moderator or coordinator can do that. Ask one of them (see /cop community)."))
    match verb:
        case "add":
            await ctx.open_form(cards.add_form(ctx.timezone))
        case "list":
            await _list(ctx)
        case "move":
            await _move(ctx, rest)
        case "cancel":
            await _cancel(ctx, rest)
        case "recording":
            words = rest.split()
            if len(words) not in (2, 3) or not all(is_web_address(u) for u in words[1:]):
                raise UsageError(
                    _("Give the webinar's number and the recording's link (and the slides' link, if any).")
                )
            await after.recording(ctx, await _session(ctx, words[0]), words[1], words[2] if len(words) == 3 else None)
        case "feedback":
            await after.feedback_report(ctx, await _session(ctx, rest))
        case "ics":
            session = await _session(ctx, rest)
            await ctx.reply(
                _("Add #{id} to your calendar (save as webinar.ics):\n{ics}").format(
                    id=session.id, ics=cards.ics(session, ctx.now)
                )
            )
        case _:
            raise UsageError(_("I know add, list, ics, move, cancel, recording and feedback."))


@routine.form(cards.FORM_ID)
async def added(ctx: Context, values: dict[str, Any]) -> None:
    community, me = ctx.require_community(), ctx.member
    assert me is not None
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
    session.cards = await ctx.post_home(cards.card(session, {}), community)
    await _schedule_reminders(ctx, session)
    if session.sessions_left:
        await ctx.schedule(
            NEXT,
            at=session.starts_at + timedelta(minutes=session.minutes),
            key=f"webinar:{session.id}:next",
            payload={"webinar": session.id},
        )


@routine.delivery(NEXT)
async def next_session(ctx: Context, payload: dict[str, Any]) -> None:
    """A series goes on after each session (a cancelled session included), until the series is stopped."""
    session = await webinars.by_id(ctx.db, payload["webinar"])
    if session is None or not session.sessions_left:
        return
    start = next_start(Repeat(session.repeat), session.starts_at, session.timezone)
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
                payload={"webinar": session.id, "starts": _stamp(session), "before": int(before.total_seconds())},
            )


async def _cancel_reminders(ctx: Context, session: Webinar) -> None:
    for key, _before, _kind in _keys(ctx, session):
        await ctx.cancel(key)


async def _due(ctx: Context, payload: dict[str, Any]) -> Webinar | None:
    """The session a reminder is for, if it is still on at the time the reminder was made for."""
    session = await webinars.by_id(ctx.db, payload["webinar"])
    if session is None or session.status != WebinarStatus.SCHEDULED:
        return None
    return session if payload.get("starts", _stamp(session)) == _stamp(session) else None


@routine.action(cards.RSVP)
async def rsvp(ctx: Context, value: str) -> None:
    ident, _sep, choice = value.partition(":")
    session = await webinars.by_id(ctx.db, number) if (number := parse_id(ident)) else None
    if session is None or choice not in CHOICES:
        raise Answer(_("That webinar is no longer here."))
    if session.status != WebinarStatus.SCHEDULED or session.starts_at + timedelta(minutes=session.minutes) < ctx.now:
        raise Answer(_("Webinar #{id} is over or cancelled.").format(id=session.id))
    assert ctx.member is not None
    await webinars.answer(ctx.db, session.id, ctx.member.id, choice, ctx.now)
    await _refresh_cards(ctx, session)
    offsets = ctx.services.settings.webinar_member_reminders
    reminded = (
        _(" I will remind you {when} before.").format(
            when=format_list([format_timedelta(o, threshold=1, locale=ctx.locale) for o in offsets], locale=ctx.locale)
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
    await ctx.update_posts(session.cards, cards.card(session, await webinars.counts(ctx.db, session.id)))


@routine.delivery(REMIND_MEMBER)
async def remind_members(ctx: Context, payload: dict[str, Any]) -> None:
    """Fan out: one delivery per member, so a failed send is retried for that member alone and nobody gets two."""
    if (session := await _due(ctx, payload)) is None:
        return
    before = timedelta(seconds=payload.get("before", 0))
    for member_id in await webinars.attending(ctx.db, session.id):
        await ctx.schedule(
            REMIND_ONE,
            at=ctx.now,
            key=f"webinar:{session.id}:{REMIND_ONE}:{member_id}:{payload.get('before')}:{_stamp(session)}",
            payload={**payload, "member": member_id},
            useful_for=max(before - USEFUL_MARGIN, USEFUL_MARGIN),
        )


@routine.delivery(REMIND_ONE)
async def remind_member(ctx: Context, payload: dict[str, Any]) -> None:
    session, member = await _due(ctx, payload), await members.by_id(ctx.db, payload["member"])
    if (
        session is None
        or member is None
        or await webinars.rsvp_of(ctx.db, session.id, member.id) not in ("going", "maybe")
    ):
        return
    await ctx.dm(member, cards.reminder(session, ctx.zone_of(member), ctx.now))


@routine.delivery(REMIND_CHANNEL)
async def remind_channel(ctx: Context, payload: dict[str, Any]) -> None:
    if (session := await _due(ctx, payload)) is None:
        return
    await ctx.reply_in_threads(session.cards, cards.reminder(session, session.timezone, ctx.now), in_thread=False)


async def _list(ctx: Context) -> None:
    community = ctx.require_community()
    sessions = await webinars.upcoming(ctx.db, community.id, ctx.now)
    if not sessions:
        raise Answer(_("No webinar is scheduled. Moderators add one with `/cop webinar add`."))
    lines = [
        _("- #{id} {when} — {title}").format(id=s.id, when=ctx.when(s.starts_at), title=content(shorten(s.title, 80)))
        for s in sessions
    ]
    await ctx.reply(
        Message(
            _("Upcoming webinars, in your time ({zone}):").format(zone=ctx.timezone),
            sections=(Section("\n".join(lines)),),
        )
    )


async def _session(ctx: Context, ident: str) -> Webinar:
    ident = ident.strip().lstrip("#")
    session = await webinars.by_id(ctx.db, number) if (number := parse_id(ident)) else None
    if session is None or session.community_id != ctx.require_community().id:
        raise Answer(_("There is no webinar #{id} here.").format(id=content(ident[:12])))
    return session


async def _move(ctx: Context, rest: str) -> None:
    ident, _sep, when = rest.strip().partition(" ")
    session = await _session(ctx, ident)
    if session.status != WebinarStatus.SCHEDULED:
        raise Answer(_("Webinar #{id} is cancelled.").format(id=session.id))
    try:
        start = read_datetime(
            parse_answer(FormField("start", "start", FieldKind.DATETIME), when, ctx.timezone, ctx.now)
        )
    except InvalidAnswer as e:
        raise UsageError(str(e)) from None
    if start <= ctx.now:
        raise Answer(_("That is in the past ({when}); choose a time ahead.").format(when=ctx.when(start)))
    await _cancel_reminders(ctx, session)
    session.starts_at, session.timezone = start, str(start.tzinfo)
    await _schedule_reminders(ctx, session)
    await _refresh_cards(ctx, session)
    for member_id in await webinars.attending(ctx.db, session.id):
        member = await members.by_id(ctx.db, member_id)
        if member is not None:
            await ctx.dm(
                member,
                _("“{title}” has moved to {when}.").format(
                    title=content(session.title), when=cards.starts_text(start, ctx.zone_of(member))
                ),
            )
    await ctx.reply(
        _("Webinar #{id} now starts {when}; reminders follow the new time.").format(id=session.id, when=ctx.when(start))
    )


async def _cancel(ctx: Context, rest: str) -> None:
    ident, _sep, scope = rest.partition(" ")
    session = await _session(ctx, ident)
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
    session.status = WebinarStatus.CANCELLED
    await _cancel_reminders(ctx, session)
    await _refresh_cards(ctx, session)
    for member_id in await webinars.attending(ctx.db, session.id):
        member = await members.by_id(ctx.db, member_id)
        if member is not None:
            await ctx.dm(member, _("“{title}” is cancelled.").format(title=content(session.title)))
    follows = (
        _(" The series goes on: the next session is announced after this one's time.") if session.sessions_left else ""
    )
    await ctx.reply(_("Webinar #{id} is cancelled; those coming were told.").format(id=session.id) + follows)
