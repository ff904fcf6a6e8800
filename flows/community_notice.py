"""Telling members that their community was merged: each member once, in their language."""

from __future__ import annotations

from bot.context import MemberContext
from bot.i18n import _
from bot.text import content
from storage import members
from storage.community_merge import CommunityMerge
from storage.models import Community, Member


def language_of(member: Member, community: Community) -> str:
    """The language a member reads: their own if they chose one, else their community's."""
    chosen = (member.profile or {}).get("language")
    return str(chosen) if chosen else community.language


async def tell_members_of_merge(
    ctx: MemberContext, merged: Community, target: Community, report: CommunityMerge
) -> int:
    """One direct message to everyone who was an active member of either community (but the coordinator who merged,
    who is answered); returns how many were told."""
    ours = set(report.members_of_target)
    everyone = list(dict.fromkeys([*report.members_of_target, *report.members_of_merged]))
    told = 0
    people = await members.by_ids(ctx.db, everyone)
    for member_id in everyone:
        member = people.get(member_id)
        if member is None or member.id == ctx.member.id:
            continue
        if member_id in ours:
            locale = language_of(member, target)
            text = _(
                "*{merged}* has joined *{target}*: its members, library, agenda, stories, discussions and webinars "
                "are here now.",
                locale,
            )
        else:
            locale = language_of(member, merged)
            text = _(
                "*{merged}* is now part of *{target}*: you are a member there with the same role, and its library, "
                "agenda, stories, discussions, webinars and channels moved with you.",
                locale,
            )
        if await ctx.dm(member, text.format(merged=content(merged.name), target=content(target.name))):
            told += 1
    return told
