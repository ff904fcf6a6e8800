"""Recognition: a public thanks that says what for, credited to the member and shown on their profile."""

from __future__ import annotations

from datetime import timedelta

from bot.context import Context
from bot.errors import Answer, UsageError
from bot.help import needs_role
from bot.i18n import N_, _, ngettext
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import content, shorten
from storage import communities, directory, members, recognition
from storage.models import Community, Member, Role

routine = Routine("recognition")
REASON_LIMIT = 300


@routine.command(
    "thanks",
    usage=N_("thanks <member> <for what> | thanks board [on|off]"),
    help=N_("Thank a member, publicly, for something they did"),
    example="thanks Baraka for the Grafana alert templates",
)
async def thanks(ctx: Context, text: str) -> None:
    community, me = ctx.require_community(), ctx.member
    assert me is not None
    words = text.split()
    if not words:
        raise UsageError(_("Say whom you thank, and what for."))
    if words[0].casefold() == "board" and len(words) <= 2:
        await _board(ctx, community, words[1].casefold() if len(words) == 2 else "")
        return
    member, reason = await _member_and_reason(ctx, community, words)
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
    await ctx.record("thanked", subject=str(member.id))
    message = _("🙏 {me} thanks {them} for {reason}").format(
        me=content(me.called), them=content(member.called), reason=content(reason)
    )
    posted = await ctx.post_home(message, community)
    await ctx.dm(
        member,
        _("{me} thanked you in *{community}* for {reason}").format(
            me=content(me.called), community=content(community.name), reason=content(reason)
        ),
    )
    await ctx.reply(
        _("Thank you for saying it. {them} has been told{where}.").format(
            them=content(member.called), where=_(" and it is posted in the community's channel") if posted else ""
        )
    )


async def _board(ctx: Context, community: Community, switch: str) -> None:
    """The leaderboard: off unless a coordinator turns it on (comparison can crowd out the thanks themselves)."""
    if switch in ("on", "off"):
        if (ctx.role or 0) < Role.COORDINATOR:
            raise Answer(needs_role(Role.COORDINATOR))
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


async def _member_and_reason(ctx: Context, community: Community, words: list[str]) -> tuple[Member, str]:
    """The longest run of leading words that names a member (names may have spaces); the rest is the reason."""
    for size in range(min(3, len(words)), 0, -1):
        name = " ".join(words[:size])
        found = list(await members.find_in_community(ctx.db, community.id, name))
        if len(found) == 1:
            return found[0], " ".join(words[size:])
    raise Answer(
        _("I don't know anyone called “{name}” in *{community}*.").format(
            name=content(shorten(words[0].lstrip("@"), 60)), community=community.name
        )
    )
