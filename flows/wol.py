"""Working out loud: members who opt in to a circle on a practice area share their work in progress each cycle, in two
or three lines; the shares are posted together in one thread, and "help welcome" lines go to peers who know."""

from __future__ import annotations

from bot import arguments
from bot.context import MemberContext
from bot.errors import Answer, UsageError
from bot.i18n import N_, _, ngettext
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import content
from flows import wol_cards as cards
from flows import wol_cycle
from storage import wol
from storage.models import CircleStatus, Role, WolCircle

routine = Routine("wol")
routine.group("wol", help=N_("Working out loud: share work in progress and ask for help early"))
EVERY = {"weekly": 7, "fortnightly": 14}


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
    await ctx.post_home(lambda: cards.invitation(circle, ctx.member.called))
    cycle = await wol_cycle.open_cycle(ctx, circle, ctx.now)
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
        await wol_cycle.ask_in_their_morning(ctx, cycle, ctx.member)
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


@routine.command(
    "wol share", usage=N_("wol share [number]"), help=N_("Share your work in progress now"), example="wol share"
)
async def wol_share(ctx: MemberContext, text: str) -> None:
    circle = await _circle(ctx, text)
    cycle = await wol.current_cycle(ctx.db, circle.id)
    if cycle is None:
        raise Answer(_("Circle #{id} has no cycle open.").format(id=circle.id))
    await wol_cycle.share_button(ctx, str(cycle.id))
