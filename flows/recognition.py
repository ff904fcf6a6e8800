"""Recognition: a public thanks that says what for, credited to the member and shown on their profile."""
from __future__ import annotations

from bot.context import Context
from bot.errors import Answer, UsageError
from bot.i18n import N_, _
from bot.registry import Routine
from bot.text import content, shorten
from storage import communities, directory, members, recognition
from storage.models import Community, Member

routine = Routine("recognition")
REASON_LIMIT = 300


@routine.command("thanks", usage=N_("thanks <member> <for what>"), help=N_("Thank a member, publicly, for something they did"),
                 example="thanks Baraka for the Grafana alert templates")
async def thanks(ctx: Context, text: str) -> None:
    community, me = ctx.require_community(), ctx.member
    assert me is not None
    words = text.split()
    if not words:
        raise UsageError(_("Say whom you thank, and what for."))
    member, reason = await _member_and_reason(ctx, community, words)
    if member.id == me.id:
        raise Answer(_("Thanking yourself does not count — but well done!"))
    reason = reason.strip()
    if reason.casefold().startswith("for "):
        reason = reason[4:].strip()
    if len(directory.words(reason)) < 2:
        raise UsageError(_("Say what you thank {name} for — thanks with a reason mean much more.").format(name=content(member.called)))
    if len(reason) > REASON_LIMIT:
        raise Answer(_("Please keep the reason under {n} characters.").format(n=REASON_LIMIT))
    await recognition.credit(ctx.db, community_id=community.id, member_id=member.id, by_id=me.id, kind="thanks",
                             reason=reason, now=ctx.now)
    await ctx.record("thanked", subject=str(member.id))
    message = _("🙏 {me} thanks {them} for {reason}").format(me=content(me.called), them=content(member.called), reason=content(reason))
    posted = await ctx.post_home(message, community)
    await ctx.dm(member, _("{me} thanked you in *{community}* for {reason}").format(
        me=content(me.called), community=content(community.name), reason=content(reason)))
    await ctx.reply(_("Thank you for saying it. {them} has been told{where}.").format(
        them=content(member.called), where=_(" and it is posted in the community's channel") if posted else ""))


async def _member_and_reason(ctx: Context, community: Community, words: list[str]) -> tuple[Member, str]:
    """The longest run of leading words that names a member (names may have spaces); the rest is the reason."""
    for size in range(min(3, len(words)), 0, -1):
        name = " ".join(words[:size])
        found = [m for m in await members.find_in_community(ctx.db, community.id, name)
                 if await communities.role_of(ctx.db, community, m) is not None]
        if len(found) == 1:
            return found[0], " ".join(words[size:])
    raise Answer(_("I don't know anyone called “{name}” in *{community}*.").format(
        name=content(shorten(words[0].lstrip("@"), 60)), community=community.name))
