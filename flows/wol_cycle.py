"""A working-out-loud cycle: each member asked in their morning (share, or skip in one tap); after two days the shares
are posted together as one card whose thread is the cycle's, "help welcome" lines routed through peer assist; a late
share joins that card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import arguments
from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer
from bot.i18n import _
from bot.messages import Message
from bot.quiet_hours import morning, waking
from bot.registry import Routine
from flows import wol_cards as cards
from flows.checkin_agenda import needs_support
from flows.checkin_cards import day
from flows.participation import contributed
from flows.peer_assist import bring_to_peers, who_was_asked
from storage import assists, communities, members, wol
from storage.models import Act, CircleStatus, Community, Member, WolCircle, WolCycle, WolShare

routine = Routine("wol_cycle")
ASK, COMPILE, NEXT = "wol.ask", "wol.compile", "wol.next"
SHARE_FOR = timedelta(days=2)  # how long shares are gathered before they are posted together


@dataclass(frozen=True)
class CycleRef:
    cycle: int


@dataclass(frozen=True)
class MemberCycle:
    cycle: int
    member: int


@dataclass(frozen=True)
class NextCycle:
    circle: int
    opens: str  # ISO, UTC


async def open_cycle(ctx: Context, circle: WolCircle, opens_at: datetime) -> WolCycle:
    """A new cycle: everyone in the circle asked, the shares posted together later, the next cycle planned."""
    cycle = await wol.open_cycle(ctx.db, circle.id, opens_at, opens_at + SHARE_FOR)
    for member in await wol.members(ctx.db, circle):
        await ask_in_their_morning(ctx, cycle, member)
    await ctx.schedule(COMPILE, at=cycle.compiles_at, key=f"wol-cycle:{cycle.id}:compile", payload=CycleRef(cycle.id))
    following = opens_at + timedelta(days=circle.every_days)
    await ctx.schedule(
        NEXT,
        at=following,
        key=f"wol-circle:{circle.id}:next:{following.isoformat()}",
        payload=NextCycle(circle.id, following.isoformat()),
    )
    return cycle


async def ask_in_their_morning(ctx: Context, cycle: WolCycle, member: Member) -> None:
    """In the member's morning on the day the cycle opens, or as soon as they are awake if that has passed."""
    zone = ctx.zone_of(member)
    quiet_from, quiet_until = (time(h) for h in ctx.services.settings.quiet_hours)
    at = morning(cycle.opens_at.astimezone(ZoneInfo(zone)).date(), zone, quiet_from, quiet_until)
    if at <= ctx.now:
        at = waking(ctx.now, zone, quiet_from, quiet_until)
    await ctx.schedule(
        ASK,
        at=at,
        key=f"wol-cycle:{cycle.id}:ask:{member.id}",
        payload=MemberCycle(cycle.id, member.id),
        useful_for=max(cycle.compiles_at - at, timedelta(0)),
    )


async def _live(ctx: Context, cycle_id: int) -> tuple[WolCircle, WolCycle, Community] | None:
    cycle = await wol.cycle_by_id(ctx.db, cycle_id)
    circle = await wol.by_id(ctx.db, cycle.circle_id) if cycle else None
    if cycle is None or circle is None or circle.status != CircleStatus.ACTIVE:
        return None
    community = await communities.by_id(ctx.db, circle.community_id)
    assert community is not None
    ctx.community = community
    return circle, cycle, community


@routine.delivery(NEXT, payload=NextCycle)
async def next_cycle(ctx: DeliveryContext, payload: NextCycle) -> None:
    circle = await wol.by_id(ctx.db, payload.circle)
    if circle is None or circle.status != CircleStatus.ACTIVE:
        return
    ctx.community = await communities.by_id(ctx.db, circle.community_id)
    await open_cycle(ctx, circle, datetime.fromisoformat(payload.opens))


@routine.delivery(ASK, payload=MemberCycle)
async def ask(ctx: DeliveryContext, payload: MemberCycle) -> None:
    if (found := await _live(ctx, payload.cycle)) is None:
        return
    circle, cycle, _community = found
    member = await members.by_id(ctx.db, payload.member)
    if member is None or cycle.compiled_at is not None or not await wol.is_member(ctx.db, circle, member.id):
        return
    if await wol.share_of(ctx.db, cycle.id, member.id) is not None:
        return
    await ctx.dm(member, lambda: cards.ask(circle, cycle, ctx.when(cycle.compiles_at, ctx.zone_of(member))))


@routine.delivery(COMPILE, payload=CycleRef)
async def compile_cycle(ctx: DeliveryContext, payload: CycleRef) -> None:
    """The cycle's shares, posted together as one card: its thread is the cycle's."""
    if (found := await _live(ctx, payload.cycle)) is None:
        return
    circle, cycle, community = found
    cycle.compiled_at = ctx.now
    shares = await wol.shares(ctx.db, cycle.id)
    for share in shares:
        await _offer_help(ctx, circle, community, share)
    if shares:
        with ctx.community_language(community):
            card = await _card(ctx, circle, cycle)
        cycle.cards = await ctx.post_home(card, community)
    await ctx.record("wol.compiled", subject=str(cycle.id), shares=len(shares))


async def _offer_help(ctx: Context, circle: WolCircle, community: Community, share: WolShare) -> None:
    if share.help_request_id is not None or not share.help or not needs_support(share.help):
        return
    member = await members.by_id(ctx.db, share.member_id)
    if member is None:
        return
    context = _("Shared while working out loud on “{topic}”: working on {work}.").format(
        topic=circle.topic, work=share.working_on
    )
    request, _experts = await bring_to_peers(ctx, community, member, share.help, context=context, card=False)
    share.help_request_id = request.id


async def _card(ctx: Context, circle: WolCircle, cycle: WolCycle) -> Message:
    shared = []
    for share in await wol.shares(ctx.db, cycle.id):
        member = await members.by_id(ctx.db, share.member_id)
        if member is None:
            continue
        asked = ""
        if share.help_request_id is not None:
            people = [
                (m, reason)
                for member_id, reason in await assists.asked(ctx.db, share.help_request_id)
                if (m := await members.by_id(ctx.db, member_id)) is not None
            ]
            asked = who_was_asked(people)
        shared.append(
            cards.Shared(member.called, share.working_on, share.learned, share.help, share.help_request_id, asked)
        )
    opened = cycle.opens_at.astimezone(ZoneInfo(ctx.zone_of(None))).date()
    return cards.cycle_card(circle, _("cycle of {day}").format(day=day(opened)), shared)


@routine.action(cards.SHARE)
async def share_button(ctx: MemberContext, value: str) -> None:
    """Open the share form for the cycle (the button in the DM, or /cop wol share)."""
    circle, cycle = await _own_cycle(ctx, value)
    share = await wol.share_of(ctx.db, cycle.id, ctx.member.id)
    previous = {"working_on": share.working_on, "learned": share.learned, "help": share.help} if share else {}
    await ctx.open_form(cards.share_form(circle, cycle, {k: v for k, v in previous.items() if v}))


@routine.action(cards.SKIP)
async def skip_button(ctx: MemberContext, value: str) -> None:
    _circle, cycle = await _own_cycle(ctx, value)
    share = await wol.share_of(ctx.db, cycle.id, ctx.member.id)
    if share is not None and not share.skipped:
        raise Answer(_("You have shared this time already; your share stays."))
    await wol.save_share(ctx.db, cycle.id, ctx.member.id, ctx.now, skipped=True)
    await ctx.reply(_("Skipped — see you next time."))


async def _own_cycle(ctx: MemberContext, value: str) -> tuple[WolCircle, WolCycle]:
    cycle_id = arguments.parse_id(value)
    found = await _live(ctx, cycle_id) if cycle_id else None
    if found is None:
        raise Answer(_("That circle is stopped."))
    circle, cycle, _community = found
    latest = await wol.current_cycle(ctx.db, circle.id)
    if latest is None or latest.id != cycle.id:
        raise Answer(_("That cycle is over; a new one has started."))
    if not await wol.is_member(ctx.db, circle, ctx.member.id):
        raise Answer(_("Join circle #{id} first: /cop wol join {id}").format(id=circle.id))
    return circle, cycle


@routine.form(cards.SHARE_FORM)
async def shared(ctx: MemberContext, values: dict[str, Any]) -> None:
    try:
        circle, cycle = await _own_cycle(ctx, str(ctx.form_state.get("cycle", "")))
    except Answer as e:
        await ctx.reply(e.text)  # said, not raised: the form is done with either way
        return
    community = ctx.community
    first = await wol.share_of(ctx.db, cycle.id, ctx.member.id) is None
    share = await wol.save_share(
        ctx.db,
        cycle.id,
        ctx.member.id,
        ctx.now,
        working_on=str(values["working_on"]).strip(),
        learned=str(values.get("learned") or "").strip(),
        help=str(values.get("help") or "").strip(),
    )
    if first:
        await ctx.record("wol.shared", subject=str(cycle.id))
        await contributed(ctx, Act.CHECKIN, cycle.id)
    if cycle.compiled_at is None:
        await ctx.reply(
            _("Thank you! Your share is posted with the others {when}.").format(when=ctx.when(cycle.compiles_at))
        )
        return
    await _offer_help(ctx, circle, community, share)
    with ctx.community_language():  # the cycle's post is read by everyone
        card = await _card(ctx, circle, cycle)
    if cycle.cards:
        await ctx.update_posts(cycle.cards, card)
    else:
        cycle.cards = await ctx.post_home(card, community)
    await ctx.reply(_("Thank you! Your share is in this cycle's post."))
