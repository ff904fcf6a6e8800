"""Merging one community into another: everything moves to the target, duplicates are reconciled, and the merged
community stays only as its slug (archived, pointing at the target) so that old links and commands explain
themselves. A sweep a few minutes later moves what late events still wrote for the merged community."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.community_columns import COMMUNITY_COLUMNS, PAYLOAD_COMMUNITY
from storage.models import AgendaItem, Community, CommunityChannel, Member, Membership
from storage.reconcile import move, repoint_payloads


@dataclass
class CommunityMerge:
    """Rows moved and duplicates dropped by "table.column"; who was an active member of each side before."""

    moved: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    members_of_merged: list[int] = field(default_factory=list)
    members_of_target: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Preview:
    """What a merge would bring: the merged community's active members, and how many of them are in both."""

    members: int
    shared: int


async def preview(db: AsyncSession, merged: Community, target: Community) -> Preview:
    theirs = set(await _active_members(db, merged.id))
    ours = set(await _active_members(db, target.id))
    return Preview(len(theirs), len(theirs & ours))


async def merge(db: AsyncSession, merged: Community, target: Community, now: datetime) -> CommunityMerge:
    """Move everything of `merged` into `target`; `merged` is archived and points at `target`."""
    await db.execute(
        select(Community.id).where(Community.id.in_((merged.id, target.id))).order_by(Community.id).with_for_update()
    )
    report = CommunityMerge(
        members_of_merged=await _active_members(db, merged.id),
        members_of_target=await _active_members(db, target.id),
    )
    last_place = await db.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.community_id == target.id))
    arriving = [
        i.id
        for i in (
            await db.scalars(
                select(AgendaItem).where(AgendaItem.community_id == merged.id).order_by(AgendaItem.position)
            )
        ).all()
    ]
    await _move_everything(db, merged.id, target.id, now, report)
    await _follow_on(db, arriving, last_place or 0)
    # Channels moved by a merge were decided in chat: the configuration file does not take them back.
    await db.execute(update(CommunityChannel).where(CommunityChannel.community_id == target.id).values(from_chat=True))
    target.topics = _union(target.topics, merged.topics)
    merged.archived_at = merged.archived_at or now
    merged.merged_into_id = target.id
    await db.flush()
    await db.refresh(target, ["channels"])
    await db.refresh(merged, ["channels"])
    return report


async def sweep(db: AsyncSession, merged_id: int, now: datetime) -> CommunityMerge | None:
    """Move what was written for a merged community after its merge (an event already under way) to its target."""
    merged = await db.get(Community, merged_id)
    if merged is None or merged.merged_into_id is None:
        return None
    target = await db.get(Community, merged.merged_into_id)
    while target is not None and target.merged_into_id is not None:
        target = await db.get(Community, target.merged_into_id)
    if target is None:
        return None
    report = CommunityMerge()
    await _move_everything(db, merged.id, target.id, now, report)
    return report


async def _move_everything(db: AsyncSession, gone_id: int, keep_id: int, now: datetime, report: CommunityMerge) -> None:
    for spec in COMMUNITY_COLUMNS:
        moved = await move(db, spec.column, spec.on_merge, spec.unique, keep_id, gone_id)
        if moved.moved:
            report.moved[spec.name] = report.moved.get(spec.name, 0) + moved.moved
        if moved.dropped:
            report.dropped[spec.name] = report.dropped.get(spec.name, 0) + moved.dropped
    await repoint_payloads(db, PAYLOAD_COMMUNITY, gone_id, keep_id, now)


async def _follow_on(db: AsyncSession, arriving: Sequence[int], after: int) -> None:
    """Agenda topics that arrived take the places after the target's own, in their old order."""
    if not arriving:
        return
    items = {i.id: i for i in (await db.scalars(select(AgendaItem).where(AgendaItem.id.in_(arriving)))).all()}
    place = after
    for item_id in arriving:
        item = items.get(item_id)
        if item is not None:  # a topic both had kept the target's row
            place += 1
            item.position = place


async def _active_members(db: AsyncSession, community_id: int) -> list[int]:
    return list(
        (
            await db.scalars(
                select(Member.id)
                .join(Membership)
                .where(Membership.community_id == community_id, Membership.left_at.is_(None))
                .order_by(Member.id)
            )
        ).all()
    )


def _union(first: Sequence[str], second: Sequence[str]) -> list[str]:
    """Both topic lists, the first's order first, each topic once (case aside)."""
    seen: dict[str, str] = {}
    for topic in [*first, *second]:
        seen.setdefault(topic.casefold(), topic)
    return list(seen.values())
