"""The participation ledger: who did what, when, in which community — written once per act, read in windows.

Rows are narrow (ids, a short kind, a time) and every window query is answered from one covering index
(community, at, member, kind), so counting a quarter of two million rows stays a single index scan. Windows are
(since, until]: what happened at the moment a report is asked for is in it, and consecutive windows share no act."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Act, Contribution, Membership


@dataclass(frozen=True)
class Tally:
    """One member's acts in a window: all that count, and those that lead others."""

    acts: int
    leading: int


async def add(
    db: AsyncSession, *, community_id: int, member_id: int, act: Act, at: datetime, subject_id: int | None = None
) -> None:
    """Keep one act. Callers record an act once (a second RSVP change or a profile edit is not a new act)."""
    db.add(Contribution(community_id=community_id, member_id=member_id, kind=act, at=at, subject_id=subject_id))


async def tallies(
    db: AsyncSession,
    community_id: int,
    since: datetime,
    until: datetime,
    *,
    counted: Collection[Act],
    leading: Collection[Act],
) -> dict[int, Tally]:
    """Each member with at least one counted act in (since, until], with their counts."""
    lead = func.sum(case((Contribution.kind.in_(list(leading)), 1), else_=0))
    rows = await db.execute(
        select(Contribution.member_id, func.count(), lead)
        .where(
            Contribution.community_id == community_id,
            Contribution.at > since,
            Contribution.at <= until,
            Contribution.kind.in_(list(counted)),
        )
        .group_by(Contribution.member_id)
    )
    return {member_id: Tally(int(n), int(led or 0)) for member_id, n, led in rows.all()}


async def by_kind(db: AsyncSession, community_id: int, since: datetime, until: datetime) -> dict[str, int]:
    """How many acts of each kind in (since, until]."""
    rows = await db.execute(
        select(Contribution.kind, func.count())
        .where(Contribution.community_id == community_id, Contribution.at > since, Contribution.at <= until)
        .group_by(Contribution.kind)
    )
    return {kind: int(n) for kind, n in rows.all()}


@dataclass(frozen=True)
class Bucket:
    """A slice of a window (a week, say): acts counted and how many members made them."""

    acts: int
    members: int


async def buckets(
    db: AsyncSession, community_id: int, edges: Sequence[datetime], *, counted: Collection[Act]
) -> list[Bucket]:
    """Counted acts and distinct members between consecutive `edges` (n edges make n-1 buckets), in one scan."""
    if len(edges) < 2:
        return []
    slot = case(*((Contribution.at <= edge, i) for i, edge in enumerate(edges[1:])), else_=len(edges) - 1)
    inner = (
        select(slot.label("slot"), Contribution.member_id)
        .where(
            Contribution.community_id == community_id,
            Contribution.at > edges[0],
            Contribution.at <= edges[-1],
            Contribution.kind.in_(list(counted)),
        )
        .subquery()
    )
    rows = await db.execute(
        select(inner.c.slot, func.count(), func.count(inner.c.member_id.distinct())).group_by(inner.c.slot)
    )
    found = {int(slot): Bucket(int(n), int(people)) for slot, n, people in rows.all()}
    return [found.get(i, Bucket(0, 0)) for i in range(len(edges) - 1)]


async def first_acts_of_newcomers(
    db: AsyncSession, community_id: int, joined_since: datetime, joined_until: datetime, *, counted: Collection[Act]
) -> dict[int, datetime]:
    """For members who joined in (joined_since, joined_until]: when they first did something that counts."""
    newcomers = select(Membership.member_id).where(
        Membership.community_id == community_id,
        Membership.joined_at > joined_since,
        Membership.joined_at <= joined_until,
    )
    rows = await db.execute(
        select(Contribution.member_id, func.min(Contribution.at))
        .where(
            Contribution.community_id == community_id,
            Contribution.member_id.in_(newcomers),
            Contribution.at > joined_since,
            Contribution.kind.in_(list(counted)),
        )
        .group_by(Contribution.member_id)
    )
    return dict(rows.all())


async def acts_of(
    db: AsyncSession, community_id: int, member_ids: Iterable[int], since: datetime, until: datetime
) -> list[tuple[int, str, int | None]]:
    """(member, kind, subject) of a few members' acts in a window: the material of a champion's reason."""
    ids = list(member_ids)
    if not ids:
        return []
    rows = await db.execute(
        select(Contribution.member_id, Contribution.kind, Contribution.subject_id).where(
            Contribution.community_id == community_id,
            Contribution.member_id.in_(ids),
            Contribution.at > since,
            Contribution.at <= until,
        )
    )
    return [(m, k, s) for m, k, s in rows.all()]


async def contributed_since(
    db: AsyncSession, community_id: int, member_id: int, since: datetime, *, counted: Collection[Act]
) -> bool:
    """Whether the member did anything that counts since `since`."""
    found = await db.scalar(
        select(Contribution.id)
        .where(
            Contribution.member_id == member_id,
            Contribution.community_id == community_id,
            Contribution.at >= since,
            Contribution.kind.in_(list(counted)),
        )
        .limit(1)
    )
    return found is not None


async def count(db: AsyncSession, community_id: int, act: Act, *, subject_id: int | None = None) -> int:
    query = select(func.count()).where(Contribution.community_id == community_id, Contribution.kind == act)
    if subject_id is not None:
        query = query.where(Contribution.subject_id == subject_id)
    return await db.scalar(query) or 0
