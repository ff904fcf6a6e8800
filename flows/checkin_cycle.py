"""A check-in's life, call after call: each participant asked in their morning with one reminder, the agenda posted
at the lead time, and at the call's time the next call planned and the organiser handed the minutes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import arguments
from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer
from bot.i18n import _
from bot.quiet_hours import morning, waking
from bot.registry import Routine
from flows import checkin_agenda as agenda
from flows import checkin_cards as cards
from flows.checkin_cadence import Cadence, next_call
from storage import checkins, communities, members
from storage.models import CallStatus, Checkin, CheckinCall, CheckinStatus, Community, Member

routine = Routine("checkin_cycle")
PREPARE, ASK, REMIND = "checkin.prepare", "checkin.ask", "checkin.remind"
AGENDA, HELD = "checkin.agenda", "checkin.held"
ASK_AHEAD = timedelta(days=2)  # participants are asked this long before the agenda, in their morning
MIN_NOTICE = timedelta(days=1)  # a call is planned only if its agenda is at least this far off


@dataclass(frozen=True)
class CallRef:
    call: int


@dataclass(frozen=True)
class MemberCall:
    call: int
    member: int


def cadence_of(checkin: Checkin) -> Cadence:
    return Cadence(checkin.rule, checkin.timezone, checkin.anchor)


def lead_of(checkin: Checkin) -> timedelta:
    return timedelta(minutes=checkin.lead_minutes)


def agenda_time(checkin: Checkin, call: CheckinCall) -> datetime:
    return call.starts_at - lead_of(checkin)


def first_start(checkin: Checkin, after: datetime, now: datetime) -> datetime:
    """The next call after `after` that leaves participants time to answer before its agenda."""
    start = next_call(cadence_of(checkin), after)
    while start - lead_of(checkin) < now + MIN_NOTICE:
        start = next_call(cadence_of(checkin), start)
    return start


async def plan_next(ctx: Context, checkin: Checkin, after: datetime) -> CheckinCall:
    """Make the next call and schedule its life."""
    call = await checkins.add_call(ctx.db, checkin.id, first_start(checkin, after, ctx.now))
    await schedule_call(ctx, checkin, call)
    return call


async def schedule_call(ctx: Context, checkin: Checkin, call: CheckinCall) -> None:
    """(Re)schedule a call's questions, agenda and start; moved, not doubled, when the check-in changes."""
    at = agenda_time(checkin, call)
    ref = CallRef(call.id)
    prepare_at = max(ctx.now, at - ASK_AHEAD - timedelta(days=1))  # a day early: mornings come first in the east
    await ctx.schedule(PREPARE, at=prepare_at, key=_key(call, "prepare"), payload=ref, replace=True)
    await ctx.schedule(AGENDA, at=at, key=_key(call, "agenda"), payload=ref, useful_for=lead_of(checkin), replace=True)
    await ctx.schedule(HELD, at=call.starts_at, key=_key(call, "held"), payload=ref, replace=True)


async def call_off(ctx: Context, call: CheckinCall) -> None:
    """The call will not happen (paused, cancelled, moved): nothing more is sent for it."""
    call.status = CallStatus.CANCELLED
    for step in ("prepare", "agenda", "held"):
        await ctx.cancel(_key(call, step))


def _key(call: CheckinCall, step: str) -> str:
    return f"checkin-call:{call.id}:{step}"


async def checkin_here(ctx: MemberContext, text: str) -> Checkin:
    """The check-in numbered at the start of `text`, if it is this community's."""
    number, _rest = arguments.number(text, missing=_("Which check-in? Give its number (see /cop checkin list)."))
    return await arguments.in_community(
        ctx.community.id, number, lambda n: checkins.by_id(ctx.db, n), _("There is no check-in #{id} here.")
    )


def not_cancelled(checkin: Checkin) -> Checkin:
    if checkin.status == CheckinStatus.CANCELLED:
        raise Answer(_("Check-in #{id} is cancelled.").format(id=checkin.id))
    return checkin


async def live(ctx: Context, call_id: int) -> tuple[Checkin, CheckinCall, Community] | None:
    """The call and its check-in if both are still on; the context then speaks for the check-in's community."""
    call = await checkins.call_by_id(ctx.db, call_id)
    checkin = await checkins.by_id(ctx.db, call.checkin_id) if call else None
    if call is None or checkin is None or call.status != CallStatus.UPCOMING or checkin.status != CheckinStatus.ACTIVE:
        return None
    community = await communities.by_id(ctx.db, checkin.community_id)
    assert community is not None
    ctx.community = community
    return checkin, call, community


@routine.delivery(PREPARE, payload=CallRef)
async def prepare(ctx: DeliveryContext, payload: CallRef) -> None:
    if (found := await live(ctx, payload.call)) is None:
        return
    checkin, call, _community = found
    call.prepared_at = ctx.now
    for member in await checkins.participants(ctx.db, checkin.id):
        await ask_in_their_morning(ctx, checkin, call, member)


async def ask_in_their_morning(ctx: Context, checkin: Checkin, call: CheckinCall, member: Member) -> None:
    """Ask the member in their morning two days before the agenda (or as soon as they are awake, if that has
    passed), and remind them once the morning before the agenda."""
    zone = ctx.zone_of(member)
    due = agenda_time(checkin, call)
    ask_at = _their_morning(ctx, due - ASK_AHEAD, zone)
    remind_at = _their_morning(ctx, due - timedelta(days=1), zone)
    until_call = call.starts_at - ask_at
    ref = MemberCall(call.id, member.id)
    await ctx.schedule(ASK, at=ask_at, key=f"{_key(call, 'ask')}:{member.id}", payload=ref, useful_for=until_call)
    if ask_at + timedelta(hours=12) <= remind_at < due:
        await ctx.schedule(REMIND, at=remind_at, key=f"{_key(call, 'remind')}:{member.id}", payload=ref)


def _their_morning(ctx: Context, moment: datetime, zone: str) -> datetime:
    quiet_from, quiet_until = (time(h) for h in ctx.services.settings.quiet_hours)
    at = morning(moment.astimezone(ZoneInfo(zone)).date(), zone, quiet_from, quiet_until)
    return at if at > ctx.now else waking(ctx.now, zone, quiet_from, quiet_until)


async def _participant(ctx: Context, checkin: Checkin, member_id: int) -> Member | None:
    """The member, if they are still a participant and still in the community (someone who left is not asked)."""
    if not await checkins.is_participant(ctx.db, checkin.id, member_id):
        return None
    return await members.by_id(ctx.db, member_id)


@routine.delivery(ASK, payload=MemberCall)
async def ask(ctx: DeliveryContext, payload: MemberCall) -> None:
    if (found := await live(ctx, payload.call)) is None:
        return
    checkin, call, _community = found
    if (member := await _participant(ctx, checkin, payload.member)) is None:
        return
    row = await checkins.answer_row(ctx.db, call.id, member.id)
    if row.answered_at is not None:
        return  # answered already, unasked
    row.asked_at = ctx.now
    await ctx.dm(member, lambda: cards.ask(checkin, call, ctx.zone_of(member), agenda_time(checkin, call)))


@routine.delivery(REMIND, payload=MemberCall)
async def remind(ctx: DeliveryContext, payload: MemberCall) -> None:
    if (found := await live(ctx, payload.call)) is None:
        return
    checkin, call, _community = found
    if (member := await _participant(ctx, checkin, payload.member)) is None:
        return
    row = await checkins.answer_row(ctx.db, call.id, member.id)
    if row.answered_at is not None or row.reminded_at is not None:
        return
    row.reminded_at = ctx.now
    await ctx.dm(
        member, lambda: cards.ask(checkin, call, ctx.zone_of(member), agenda_time(checkin, call), reminder=True)
    )


@routine.delivery(AGENDA, payload=CallRef)
async def post_agenda(ctx: DeliveryContext, payload: CallRef) -> None:
    if (found := await live(ctx, payload.call)) is None:
        return
    checkin, call, community = found
    for row in await checkins.answered(ctx.db, call.id):
        await agenda.offer_support(ctx, checkin, community, row)
    call.agenda_at = ctx.now
    with ctx.community_language(community):
        card = await agenda.build(ctx, checkin, call)
    call.agenda_cards = await ctx.post_home(card, community)
    await ctx.record("checkin.agenda", subject=str(call.id))


@routine.delivery(HELD, payload=CallRef)
async def held(ctx: DeliveryContext, payload: CallRef) -> None:
    """The call's time: answers close, the next call is planned, the organiser is handed the minutes."""
    if (found := await live(ctx, payload.call)) is None:
        return
    checkin, call, community = found
    call.status = CallStatus.HELD
    await agenda.refresh(ctx, checkin, call)
    await plan_next(ctx, checkin, call.starts_at)
    organiser = await members.by_id(ctx.db, checkin.created_by) if checkin.created_by else None
    if organiser is not None and await communities.role_of(ctx.db, community, organiser) is not None:
        await ctx.dm(organiser, lambda: cards.take_minutes(checkin, call))
