"""Recognition: a public thanks that says what for, credited to the member and shown on their profile."""

from __future__ import annotations

from datetime import timedelta

from bot import arguments
from bot.context import MemberContext
from bot.errors import Answer, UsageError
from bot.i18n import N_, _, ngettext
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import content
from flows.participation import contributed
from storage import communities, directory, members, recognition
from storage.models import Act, Community, Role

routine = Routine("recognition")
REASON_LIMIT = 300


@routine.command(
    "thanks",
    usage=N_("thanks <member> <for what>"),
    help=N_("Thank a member, publicly, for something they did"),
    example="thanks Baraka for the Grafana alert templates",
)
async def thanks(ctx: MemberContext, text: str) -> None:
    community, me = ctx.community, ctx.member
    if not text.strip():
        raise UsageError(_("Say whom you thank, and what for."))
    member, reason = await arguments.member_then_text(ctx.db, community, text)
    if member.id == me.id:
        raise Answer(_("Thanking yourself does not count — but well done!"))
    reason = reason.strip()
    if reason.casefold().startswith("for "):
        reason = reason[4:].strip()
    if len(directory.words(reason)) < 2:
        raise UsageError(
            _("Say what you thank {name} for — thanks with a reason mean much more.").format(
                name=content(member.called)
            )
        )
    if len(reason) > REASON_LIMIT:
        raise Answer(_("Please keep the reason under {n} characters.").format(n=REASON_LIMIT))
    await recognition.credit(
        ctx.db, community_id=community.id, member_id=member.id, by_id=me.id, kind="thanks", reason=reason, now=ctx.now
    )
    await contributed(ctx, Act.THANKED, member.id)
    await contributed(ctx, Act.WAS_THANKED, me.id, member=member)
    posted = await ctx.post_home(
        lambda: _("🙏 {me} thanks {them} for {reason}").format(
            me=content(me.called), them=content(member.called), reason=content(reason)
        ),
        community,
    )
    await ctx.dm(
        member,
        lambda: _("{me} thanked you in *{community}* for {reason}").format(
            me=content(me.called), community=content(community.name), reason=content(reason)
        ),
    )
    await ctx.reply(
        _("Thank you for saying it. {them} has been told{where}.").format(
            them=content(member.called), where=_(" and it is posted in the community's channel") if posted else ""
        )
    )


@routine.command(
    "thanks board",
    usage=N_("thanks board [on|off]"),
    help=N_("Who was thanked most lately (coordinators switch it on or off)"),
    example="thanks board",
)
async def board(ctx: MemberContext, text: str) -> None:
    switch = arguments.one_of(text, ("on", "off"), default="")
    await _board(ctx, ctx.community, switch)


async def _board(ctx: MemberContext, community: Community, switch: str) -> None:
    """The leaderboard: off unless a coordinator turns it on (comparison can crowd out the thanks themselves)."""
    if switch in ("on", "off"):
        ctx.require_role(Role.COORDINATOR)
        communities.switch(community, "leaderboard", switch == "on")
        await ctx.reply(
            _("The thanks leaderboard is now {state}.").format(state=_("on") if switch == "on" else _("off"))
        )
        return
    if not (community.settings or {}).get("leaderboard"):
        raise Answer(
            _("There is no leaderboard in *{name}*; a coordinator can turn one on with `/cop thanks board on`.").format(
                name=community.name
            )
        )
    top = await recognition.most_thanked(ctx.db, community.id, ctx.now - timedelta(days=90))
    if not top:
        raise Answer(_("Nobody has been thanked in the last 90 days yet."))
    lines = []
    for member_id, n in top:
        member = await members.by_id(ctx.db, member_id)
        if member is not None:
            lines.append(
                ngettext("- {name}: thanked {n} time", "- {name}: thanked {n} times", n).format(
                    name=content(member.called), n=n
                )
            )
    await ctx.reply(Message(_("Most thanked in the last 90 days:"), sections=(Section("\n".join(lines)),)))
