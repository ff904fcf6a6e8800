"""After a call: its minutes and action items, posted in the agenda's thread and kept in the library; each owner told
their items and reminded the day before they are due; open items carried into the next agenda."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import arguments
from bot.answers import InvalidAnswer, day_in_words
from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer
from bot.forms import FormErrors
from bot.i18n import N_, _, ngettext
from bot.messages import Message, Section
from bot.quiet_hours import morning
from bot.registry import Routine
from bot.text import content, shorten
from flows import checkin_cards as cards
from flows import checkin_cycle as cycle
from flows.participation import contributed
from storage import checkins, communities, knowledge, members
from storage.models import Act, ActionItem, CallStatus, Checkin, CheckinCall, Member, Role

routine = Routine("checkin_minutes")
ACTION_REMINDER = "checkin.action_reminder"
MAX_ITEMS = 20
_OWNER = re.compile(r"^(.{1,60}?)\s*(?::|—|–| - )\s*(.+)$")
_DUE = re.compile(r"\s+(?:by|before|due)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class ActionRef:
    item: int


@routine.command(
    "checkin minutes",
    usage=N_("checkin minutes <number>"),
    help=N_("Take the minutes and action items of a check-in's last call"),
    example="checkin minutes 1",
)
async def minutes_command(ctx: MemberContext, text: str) -> None:
    checkin = await cycle.checkin_here(ctx, text)
    call = await checkins.last_call(ctx.db, checkin.id, ctx.now)
    if call is None:
        upcoming = await checkins.upcoming_call(ctx.db, checkin.id)
        when = _(" Its next call is {when}.").format(when=ctx.when(upcoming.starts_at)) if upcoming else ""
        raise Answer(
            _("Check-in #{id} has not had a call yet: minutes are taken after one.").format(id=checkin.id) + when
        )
    await _open(ctx, checkin, call)


@routine.action(cards.MINUTES)
async def minutes_button(ctx: MemberContext, value: str) -> None:
    call_id = arguments.parse_id(value)
    call = await checkins.call_by_id(ctx.db, call_id) if call_id else None
    checkin = await checkins.by_id(ctx.db, call.checkin_id) if call else None
    if call is None or checkin is None or call.status == CallStatus.CANCELLED:
        raise Answer(_("That call did not take place."))
    if call.starts_at > ctx.now:
        raise Answer(
            _("That call has not happened yet ({when}): minutes are taken after it.").format(
                when=ctx.when(call.starts_at)
            )
        )
    await _open(ctx, checkin, call)


async def _may_write(ctx: MemberContext, checkin: Checkin) -> None:
    """Minutes are taken by a participant, the organiser or a coordinator of the check-in's community."""
    if checkin.community_id != ctx.community.id:
        found = await communities.by_id(ctx.db, checkin.community_id)
        assert found is not None
        ctx.community, ctx.role = found, await communities.role_of(ctx.db, found, ctx.member)
    if (
        ctx.has_role(Role.COORDINATOR)
        or checkin.created_by == ctx.member.id
        or await checkins.is_participant(ctx.db, checkin.id, ctx.member.id)
    ):
        return
    raise Answer(_("The minutes of “{title}” are taken by its participants.").format(title=content(checkin.title)))


async def _open(ctx: MemberContext, checkin: Checkin, call: CheckinCall) -> None:
    await _may_write(ctx, checkin)
    lines = []
    for item in await checkins.actions_of_call(ctx.db, call.id):
        owner = await members.by_id(ctx.db, item.owner_id)
        due = _(" by {day}").format(day=item.due_on) if item.due_on else ""
        lines.append(f"{owner.called if owner else '?'}: {item.text}{due}")
    when = ctx.when(call.starts_at, checkin.timezone)
    await ctx.open_form(cards.minutes_form(checkin, call, when, "\n".join(lines)))


@routine.form(cards.MINUTES_FORM)
async def taken(ctx: MemberContext, values: dict[str, Any]) -> None:
    call_id = arguments.parse_id(str(ctx.form_state.get("call", "")))
    call = await checkins.call_by_id(ctx.db, call_id) if call_id else None
    checkin = await checkins.by_id(ctx.db, call.checkin_id) if call else None
    if call is None or checkin is None:
        await ctx.reply(_("That call is no longer here."))
        return
    await _may_write(ctx, checkin)
    wanted = await _read_actions(ctx, str(values.get("actions") or ""))
    again = call.minutes is not None
    call.minutes, call.minutes_by, call.minutes_at = values["minutes"], ctx.member.id, ctx.now
    items, new = await _replace_actions(ctx, call, wanted)
    named = [(item, owner.called) for item, owner in items]
    with ctx.community_language():  # the minutes are posted for everyone
        when = ctx.when(call.starts_at, checkin.timezone)
        message = cards.minutes(checkin, when, call.minutes, named, again=again)
    if call.agenda_cards:
        await ctx.reply_in_threads(call.agenda_cards, message)
    else:
        call.agenda_cards = await ctx.post_home(message)
    item_id = await _keep(ctx, checkin, call, named)
    await ctx.record("checkin.minutes", subject=str(call.id))
    await contributed(ctx, Act.SUMMARISED, checkin.id)  # the minutes: leading work, like a discussion's summary
    told = await _tell_owners(ctx, checkin, new)
    lines = [
        _("The minutes are posted in the agenda's thread and kept in the library as #{id}.").format(id=item_id),
        ngettext("{n} action item", "{n} action items", len(items)).format(n=len(items))
        + (" · " + ngettext("{n} owner told", "{n} owners told", told).format(n=told) if told else ""),
    ]
    await ctx.reply("\n".join(lines))


async def _read_actions(ctx: MemberContext, text: str) -> list[tuple[Member, str, date | None]]:
    """`who: what [by when]`, one a line; every line that cannot be read is said at once."""
    found: list[tuple[Member, str, date | None]] = []
    errors = []
    # One a line; where a message is one line (a console, a chat answer), a semicolon separates them too.
    lines = [line.strip().lstrip("-•*").strip() for line in re.split(r"[\n;]", text) if line.strip()]
    if len(lines) > MAX_ITEMS:
        raise FormErrors({"actions": _("At most {n} action items, please.").format(n=MAX_ITEMS)})
    for n, line in enumerate(lines, 1):
        try:
            found.append(await _read_action(ctx, line))
        except InvalidAnswer as e:
            errors.append(_("Line {n}: {reason}").format(n=n, reason=e))
    if errors:
        raise FormErrors({"actions": " ".join(errors)})
    return found


async def _read_action(ctx: MemberContext, line: str) -> tuple[Member, str, date | None]:
    m = _OWNER.match(line)
    if not m:
        raise InvalidAnswer(_("write who, a colon, then what: “Amina: share the dashboard by 20 March”."))
    name, what = m[1].strip().lstrip("@"), m[2].strip()
    owners = await members.find_in_community(ctx.db, ctx.community.id, name)
    if len(owners) != 1:
        raise InvalidAnswer(
            _("I don't know anyone called “{name}” here.").format(name=content(name))
            if not owners
            else _("more than one member is called “{name}”; use their user id.").format(name=content(name))
        )
    what, due = _due(ctx, what)
    if not 3 <= len(what) <= 300:
        raise InvalidAnswer(_("say what is to be done, in 3 to 300 characters."))
    return owners[0], what, due


def _due(ctx: MemberContext, what: str) -> tuple[str, date | None]:
    """“share the dashboard by 20 March” -> the task and its day. The last “by” that is followed by a day wins, so
    “reviewed by peers by Friday” keeps “reviewed by peers”."""
    for m in reversed(list(_DUE.finditer(what))):
        try:
            due = day_in_words(what[m.end() :], ctx.timezone, ctx.now)
        except InvalidAnswer:
            continue
        if due < ctx.now.astimezone(ZoneInfo(ctx.timezone)).date():
            raise InvalidAnswer(_("{day} has passed.").format(day=due.isoformat()))
        return what[: m.start()].strip(), due
    return what, None


async def _replace_actions(
    ctx: MemberContext, call: CheckinCall, wanted: list[tuple[Member, str, date | None]]
) -> tuple[list[tuple[ActionItem, Member]], list[tuple[ActionItem, Member]]]:
    """The call's items become `wanted`: items already there stay (done or not), others go, new ones are made.
    Returns all the call's items and the new ones."""
    old = {(i.owner_id, i.text, i.due_on): i for i in await checkins.actions_of_call(ctx.db, call.id)}
    items, new = [], []
    for owner, what, due in wanted:
        day = due.isoformat() if due else None
        item = old.pop((owner.id, what, day), None)
        if item is None:
            item = await checkins.add_action(ctx.db, call=call, owner_id=owner.id, text=what, due_on=day, now=ctx.now)
            new.append((item, owner))
            await _schedule_reminder(ctx, item, owner)
        items.append((item, owner))
    for gone in old.values():
        await ctx.cancel(_reminder_key(gone))
        await checkins.remove_action(ctx.db, gone)
    return items, new


def _reminder_key(item: ActionItem) -> str:
    return f"checkin-action:{item.id}:remind"


async def _schedule_reminder(ctx: Context, item: ActionItem, owner: Member) -> None:
    """The morning before the due day, in the owner's zone; no reminder when that is already past."""
    if not item.due_on:
        return
    quiet_from, quiet_until = (time(h) for h in ctx.services.settings.quiet_hours)
    day = date.fromisoformat(item.due_on) - timedelta(days=1)
    at = morning(day, ctx.zone_of(owner), quiet_from, quiet_until)
    if at > ctx.now:
        await ctx.schedule(ACTION_REMINDER, at=at, key=_reminder_key(item), payload=ActionRef(item.id))


async def _tell_owners(ctx: MemberContext, checkin: Checkin, new: list[tuple[ActionItem, Member]]) -> int:
    by_owner: dict[int, tuple[Member, list[ActionItem]]] = {}
    for item, owner in new:
        by_owner.setdefault(owner.id, (owner, []))[1].append(item)
    for owner, items in by_owner.values():
        with ctx.language_of(owner):
            text = cards.your_actions(checkin, items, ctx.zone_of(owner))
        await ctx.dm(owner, text)
    return len(by_owner)


async def _keep(ctx: MemberContext, checkin: Checkin, call: CheckinCall, items: list[tuple[ActionItem, str]]) -> int:
    """The minutes as a library item (a summary), replaced when they are corrected."""
    day = call.starts_at.astimezone(ZoneInfo(checkin.timezone)).date().isoformat()
    title = _("Minutes: {title}, {day}").format(title=checkin.title, day=day)
    actions = [f"- {owner}: {i.text}" + (f" ({i.due_on})" if i.due_on else "") for i, owner in items]
    body = "\n".join([call.minutes or "", *([_("Action items:"), *actions] if actions else [])])
    existing = await knowledge.by_id(ctx.db, call.knowledge_item_id) if call.knowledge_item_id else None
    if existing is not None:
        existing.title, existing.body = title[:300], body
        return existing.id
    item = await knowledge.keep(
        ctx.db,
        community_id=checkin.community_id,
        kind="summary",
        title=title,
        body=body,
        tags=[],
        source=f"checkin-call:{call.id}",
        added_by=ctx.member.id,
        now=ctx.now,
    )
    call.knowledge_item_id = item.id
    return item.id


@routine.delivery(ACTION_REMINDER, payload=ActionRef)
async def remind_owner(ctx: DeliveryContext, payload: ActionRef) -> None:
    item = await checkins.action_by_id(ctx.db, payload.item)
    if item is None or item.done_at is not None:
        return
    checkin = await checkins.by_id(ctx.db, item.checkin_id)
    owner = await members.by_id(ctx.db, item.owner_id)
    if checkin is not None and owner is not None:
        await ctx.dm(owner, lambda: cards.action_reminder(checkin, item))


@routine.command(
    "checkin done",
    usage=N_("checkin done <action item number>"),
    help=N_("Mark an action item done"),
    example="checkin done 3",
)
async def done_command(ctx: MemberContext, text: str) -> None:
    number, _rest = arguments.number(text, missing=_("Which action item? Give its number (see /cop checkin actions)."))
    await _done(ctx, number)


@routine.action(cards.DONE)
async def done_button(ctx: MemberContext, value: str) -> None:
    number = arguments.parse_id(value)
    if number is None:
        raise Answer(_("That action item is no longer here."))
    await _done(ctx, number)


async def _done(ctx: MemberContext, number: int) -> None:
    item = await checkins.action_by_id(ctx.db, number)
    checkin = await checkins.by_id(ctx.db, item.checkin_id) if item else None
    if item is None or checkin is None:
        raise Answer(_("There is no action item #{id}.").format(id=number))
    if item.owner_id != ctx.member.id:
        await _may_write(ctx, checkin)
        if not ctx.has_role(Role.COORDINATOR):
            raise Answer(_("Action item #{id} is someone else's to mark done.").format(id=item.id))
    if item.done_at is not None:
        raise Answer(_("Action item #{id} is already done.").format(id=item.id))
    item.done_at = ctx.now
    await ctx.cancel(_reminder_key(item))
    await ctx.record("checkin.action_done", subject=str(item.id))
    await ctx.reply(_("Action item #{id} is done: “{text}”. Thank you!").format(id=item.id, text=content(item.text)))


@routine.command(
    "checkin actions",
    usage=N_("checkin actions [number]"),
    help=N_("Open action items: yours, or a check-in's"),
    example="checkin actions",
)
async def actions_command(ctx: MemberContext, text: str) -> None:
    if text.strip():
        checkin = await cycle.checkin_here(ctx, text)
        items = await checkins.open_actions(ctx.db, checkin.id)
        lead = _("Open action items of “{title}”:").format(title=content(checkin.title))
    else:
        items = await checkins.actions_owned(ctx.db, ctx.community.id, ctx.member.id)
        lead = _("Your open action items:")
    if not items:
        raise Answer(_("No open action items."))
    lines = []
    for item in items[:20]:
        owner = await members.by_id(ctx.db, item.owner_id)
        due = " · " + _("due {day}").format(day=cards.day(item.due_on)) if item.due_on else ""
        lines.append(f"- #{item.id} {content(owner.called if owner else '?')}: {content(shorten(item.text, 120))}{due}")
    await ctx.reply(Message(lead, sections=(Section("\n".join(lines)),)))
