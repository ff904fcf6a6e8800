"""Working out loud: members who opt in to a circle on a practice area share their work in progress each cycle, in two
or three lines; the shares are posted together in one thread, and "help welcome" lines go to peers who know."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import arguments
from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer, UsageError
from bot.i18n import N_, _, ngettext
from bot.messages import Message, Section
from bot.quiet_hours import morning, waking
from bot.registry import Routine
from bot.text import content
from flows import wol_cards as cards
from flows.checkin_agenda import needs_support
from flows.peer_assist import bring_to_peers, who_was_asked
from storage import assists, communities, members, wol
from storage.models import CircleStatus, Community, Member, Role, WolCircle, WolCycle, WolShare

routine = Routine("wol")
routine.group("wol", help=N_("Working out loud: share work in progress and ask for help early"))
ASK, COMPILE, NEXT = "wol.ask", "wol.compile", "wol.next"
SHARE_FOR = timedelta(days=2)  # how long shares are gathered before they are posted together
EVERY = {"weekly": 7, "fortnightly": 14}


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


@routine.command(
    "wol list",
    usage=N_("wol [list]"),
    help=N_("The working-out-loud circles here"),
    example="wol",
    default=True,
)
async def wol_list(ctx: MemberContext, text: str) -> None:
    circles = await wol.active(ctx.db, ctx.community.id)
    if not circles:
        raise Answer(_("No working-out-loud circle yet. Moderators start one with `/cop wol start <topic>`."))
    lines = []
    for circle in circles:
        people = await wol.members(ctx.db, circle)
        mine = _(" · you are in") if any(m.id == ctx.member.id for m in people) else ""
        lines.append(
            _("- #{id} {topic} — {cadence} · {people}{mine}").format(
                id=circle.id,
                topic=content(circle.topic),
                cadence=cards.cadence(circle),
                people=ngettext("{n} member", "{n} members", len(people)).format(n=len(people)),
                mine=mine,
            )
        )
    await ctx.reply(
        Message(_("Working out loud:"), sections=(Section("\n".join(lines)),), footer=_("/cop wol join <number>"))
    )


@routine.command(
    "wol start",
    usage=N_("wol start <topic> [weekly|fortnightly]"),
    help=N_("Start a working-out-loud circle on a practice area"),
    example="wol start data quality weekly",
    role=Role.MODERATOR,
)
async def wol_start(ctx: MemberContext, text: str) -> None:
    words = text.split()
    every = EVERY["weekly"]
    if words and words[-1].casefold() in EVERY:
        every = EVERY[words.pop().casefold()]
    topic = " ".join(words)
    if not 2 <= len(topic) <= 200:
        raise UsageError(_("Say the topic or practice area, in 2 to 200 characters."))
    circle = await wol.start(
        ctx.db,
        community_id=ctx.community.id,
        topic=topic,
        every_days=every,
        status=CircleStatus.ACTIVE,
        started_by=ctx.member.id,
        created_at=ctx.now,
    )
    await wol.join(ctx.db, circle.id, ctx.member.id, ctx.now)
    await ctx.post_home(cards.invitation(circle, ctx.member.called))
    cycle = await _open_cycle(ctx, circle, ctx.now)
    await ctx.record("wol.started", subject=str(circle.id))
    await ctx.reply(
        _(
            "Circle #{id} on “{topic}” is started, {cadence}; you are its first member. Shares are posted together "
            "{when}."
        ).format(id=circle.id, topic=content(topic), cadence=cards.cadence(circle), when=ctx.when(cycle.compiles_at))
    )


@routine.command(
    "wol stop",
    usage=N_("wol stop <number>"),
    help=N_("Stop a working-out-loud circle"),
    example="wol stop 1",
    role=Role.MODERATOR,
)
async def wol_stop(ctx: MemberContext, text: str) -> None:
    circle = await _circle(ctx, text)
    circle.status = CircleStatus.STOPPED
    await ctx.reply(_("Circle #{id} on “{topic}” is stopped.").format(id=circle.id, topic=content(circle.topic)))


@routine.command(
    "wol join", usage=N_("wol join [number]"), help=N_("Join a working-out-loud circle"), example="wol join 1"
)
async def wol_join(ctx: MemberContext, text: str) -> None:
    await _join(ctx, await _circle(ctx, text))


@routine.action(cards.JOIN)
async def join_button(ctx: MemberContext, value: str) -> None:
    await _join(ctx, await _circle(ctx, value))


async def _join(ctx: MemberContext, circle: WolCircle) -> None:
    if not await wol.join(ctx.db, circle.id, ctx.member.id, ctx.now):
        raise Answer(_("You are already in circle #{id}.").format(id=circle.id))
    cycle = await wol.current_cycle(ctx.db, circle.id)
    if cycle is not None and cycle.compiled_at is None:
        await _ask_in_their_morning(ctx, cycle, ctx.member)
    await ctx.reply(
        _(
            "You are in circle #{id} on “{topic}”: I will ask you {cadence}, in your morning. "
            "`/cop wol leave {id}` to stop."
        ).format(id=circle.id, topic=content(circle.topic), cadence=cards.cadence(circle))
    )


@routine.command(
    "wol leave", usage=N_("wol leave [number]"), help=N_("Leave a working-out-loud circle"), example="wol leave 1"
)
async def wol_leave(ctx: MemberContext, text: str) -> None:
    if text.strip():
        circle = await _circle(ctx, text)
    else:
        mine = await wol.circles_of(ctx.db, ctx.community.id, ctx.member.id)
        if len(mine) != 1:
            raise UsageError(_("Say which circle, by its number (see /cop wol)."))
        circle = mine[0]
    if not await wol.leave(ctx.db, circle.id, ctx.member.id, ctx.now):
        raise Answer(_("You are not in circle #{id}.").format(id=circle.id))
    await ctx.reply(_("You have left circle #{id}; you will not be asked again.").format(id=circle.id))


async def _circle(ctx: MemberContext, text: str) -> WolCircle:
    """The circle numbered in `text`, or the only one running here when no number is given."""
    if not text.strip():
        circles = await wol.active(ctx.db, ctx.community.id)
        if len(circles) == 1:
            return circles[0]
        raise UsageError(
            _("Say which circle, by its number (see /cop wol).")
            if circles
            else _("No working-out-loud circle is running here.")
        )
    number, _rest = arguments.number(text, missing=_("Say which circle, by its number (see /cop wol)."))
    circle = await arguments.in_community(
        ctx.community.id, number, lambda n: wol.by_id(ctx.db, n), _("There is no circle #{id} here.")
    )
    if circle.status != CircleStatus.ACTIVE:
        raise Answer(_("Circle #{id} is stopped.").format(id=circle.id))
    return circle


# -- the cycle ------------------------------------------------------------------------------------------------


async def _open_cycle(ctx: Context, circle: WolCircle, opens_at: datetime) -> WolCycle:
    cycle = await wol.open_cycle(ctx.db, circle.id, opens_at, opens_at + SHARE_FOR)
    for member in await wol.members(ctx.db, circle):
        await _ask_in_their_morning(ctx, cycle, member)
    await ctx.schedule(COMPILE, at=cycle.compiles_at, key=f"wol-cycle:{cycle.id}:compile", payload=CycleRef(cycle.id))
    following = opens_at + timedelta(days=circle.every_days)
    await ctx.schedule(
        NEXT,
        at=following,
        key=f"wol-circle:{circle.id}:next:{following.isoformat()}",
        payload=NextCycle(circle.id, following.isoformat()),
    )
    return cycle


async def _ask_in_their_morning(ctx: Context, cycle: WolCycle, member: Member) -> None:
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
    await _open_cycle(ctx, circle, datetime.fromisoformat(payload.opens))


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
    await ctx.dm(member, cards.ask(circle, cycle, ctx.when(cycle.compiles_at, ctx.zone_of(member))))


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
        cycle.cards = await ctx.post_home(await _card(ctx, circle, cycle), community)
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
    day = cycle.opens_at.astimezone(ZoneInfo(ctx.zone_of(None))).strftime("%d %b %Y").lstrip("0")
    return cards.cycle_card(circle, _("cycle of {day}").format(day=day), shared)


@routine.action(cards.SHARE)
async def share_button(ctx: MemberContext, value: str) -> None:
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


@routine.command(
    "wol share", usage=N_("wol share [number]"), help=N_("Share your work in progress now"), example="wol share"
)
async def wol_share(ctx: MemberContext, text: str) -> None:
    circle = await _circle(ctx, text)
    cycle = await wol.current_cycle(ctx.db, circle.id)
    if cycle is None:
        raise Answer(_("Circle #{id} has no cycle open.").format(id=circle.id))
    await share_button(ctx, str(cycle.id))


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
    if cycle.compiled_at is None:
        await ctx.reply(
            _("Thank you! Your share is posted with the others {when}.").format(when=ctx.when(cycle.compiles_at))
        )
        return
    await _offer_help(ctx, circle, community, share)
    card = await _card(ctx, circle, cycle)
    if cycle.cards:
        await ctx.update_posts(cycle.cards, card)
    else:
        cycle.cards = await ctx.post_home(card, community)
    await ctx.reply(_("Thank you! Your share is in this cycle's post."))
