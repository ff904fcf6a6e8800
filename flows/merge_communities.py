"""Merging one community into another from chat: what moves is shown first, then, once confirmed, everything
moves, duplicates are reconciled, and every member of either is told once, in their language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot import arguments
from bot.context import DeliveryContext, MemberContext
from bot.errors import Answer, UsageError
from bot.i18n import N_, _, ngettext
from bot.languages import language_for
from bot.messages import Button, ButtonStyle, Message, Section
from bot.registry import Routine
from bot.text import content
from flows.community_access import community_named, require_coordinator
from storage import communities, community_merge, members
from storage.community_merge import CommunityMerge
from storage.models import Community, Role

routine = Routine("merge_communities")
MERGE_YES, MERGE_NO = "community.merge.yes", "community.merge.no"
SWEEP = "community.sweep"
# Events that found the merged community just before the merge have long finished by then.
SWEEP_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class MergedCommunity:
    merged: int


@routine.command(
    "community merge",
    usage=N_("community merge <slug> into <slug>"),
    help=N_("Merge one community into another: members, library, agenda, stories and more move over"),
    example="community merge volunteers into staff",
    role=Role.COORDINATOR,
)
async def merge(ctx: MemberContext, text: str) -> None:
    merged, target = await _merge_pair(ctx, text)
    counts = await community_merge.preview(ctx.db, merged, target)
    await ctx.reply(
        Message(
            _("Merge *{merged}* into *{target}*?").format(merged=content(merged.name), target=content(target.name)),
            sections=(
                Section(
                    _(
                        "{members} members of *{merged}* ({both} of them also in *{target}*), its library, agenda, "
                        "stories, discussions, webinars, campaigns and channels move to *{target}*. Roles: the higher "
                        "wins. *{merged}* then only answers to say where it went. This cannot be undone."
                    ).format(
                        members=counts.members,
                        both=counts.shared,
                        merged=content(merged.name),
                        target=content(target.name),
                    )
                ),
            ),
            buttons=(
                Button(_("Merge"), MERGE_YES, f"{merged.id}:{target.id}", ButtonStyle.DANGER),
                Button(_("Cancel"), MERGE_NO, f"{merged.id}:{target.id}"),
            ),
        ),
        private=True,
    )


@routine.action(MERGE_YES)
async def merge_confirmed(ctx: MemberContext, value: str) -> None:
    first, _sep, second = (arguments.parse_id(v) for v in value.partition(":"))
    merged = await communities.by_id(ctx.db, first) if first is not None else None
    target = await communities.by_id(ctx.db, second) if second is not None else None
    if merged is None or target is None or merged.archived_at is not None or target.archived_at is not None:
        raise Answer(_("That merge is no longer possible; check with `/cop community`."))
    await require_coordinator(ctx, merged)
    await require_coordinator(ctx, target)
    report = await community_merge.merge(ctx.db, merged, target, ctx.now)
    ctx.community = target
    await ctx.schedule(
        SWEEP, at=ctx.now + SWEEP_AFTER, key=f"community-sweep:{merged.id}", payload=MergedCommunity(merged.id)
    )
    await ctx.record("community.merged", subject=merged.slug, into=target.slug, moved=report.moved)
    told = await tell_members_of_merge(ctx, merged, target, report)
    await ctx.reply(
        ngettext(
            "*{merged}* is now part of *{target}*. {n} other member was told.",
            "*{merged}* is now part of *{target}*. {n} other members were told, each once.",
            told,
        ).format(merged=content(merged.name), target=content(target.name), n=told)
    )


@routine.action(MERGE_NO)
async def merge_cancelled(ctx: MemberContext, value: str) -> None:
    await ctx.reply(_("Nothing was merged."))


@routine.delivery(SWEEP, payload=MergedCommunity)
async def sweep(ctx: DeliveryContext, payload: MergedCommunity) -> None:
    await community_merge.sweep(ctx.db, payload.merged, ctx.now)


async def _merge_pair(ctx: MemberContext, text: str) -> tuple[Community, Community]:
    words = text.split()
    if len(words) != 3 or words[1].casefold() != "into":
        raise UsageError(_("Say which community goes into which: `a into b`."))
    merged = await community_named(ctx, words[0])
    target = await community_named(ctx, words[2])
    if merged.id == target.id:
        raise Answer(_("A community cannot be merged into itself."))
    for community in (merged, target):
        if community.archived_at is not None:
            raise Answer(_("*{name}* is archived; unarchive it first.").format(name=content(community.name)))
        await require_coordinator(ctx, community)
    return merged, target


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
            locale = language_for(member, target)
            text = _(
                "*{merged}* has joined *{target}*: its members, library, agenda, stories, discussions and webinars "
                "are here now.",
                locale,
            )
        else:
            locale = language_for(member, merged)
            text = _(
                "*{merged}* is now part of *{target}*: you are a member there with the same role, and its library, "
                "agenda, stories, discussions, webinars and channels moved with you.",
                locale,
            )
        if await ctx.dm(member, text.format(merged=content(merged.name), target=content(target.name))):
            told += 1
    return told
