"""The participation ledger: who did what, when, in which community — written once per act, read in windows.

Rows are narrow (ids, a short kind, a time) and every window query is answered from one covering index
(community, at, member, kind), so counting a quarter of two million rows stays a single index scan. Windows are
(since, until]: what happened at the moment a report is asked for is in it, and consecutive windows share no act."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Subquery, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Act, Contribution, Level, Membership, Role


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


@dataclass(frozen=True)
class Bar:
    """What each level asks for in one window, in acts (the rules and their reasons are in flows/levels.py)."""

    core: int
    leading: int
    active: int
    newcomer: timedelta


def _window_tallies(
    community_id: int,
    before: datetime,
    since: datetime,
    until: datetime,
    counted: Collection[Act],
    leading: Collection[Act],
) -> Subquery:
    """Per member, in one scan of (before, until]: acts and leading acts in (since, until] and in (before, since]."""
    recent = Contribution.at > since
    leads = Contribution.kind.in_(list(leading))
    return (
        select(
            Contribution.member_id.label("member_id"),
            func.sum(case((recent, 1), else_=0)).label("acts_now"),
            func.sum(case((recent & leads, 1), else_=0)).label("lead_now"),
            func.sum(case((recent, 0), else_=1)).label("acts_before"),
            func.sum(case((recent, 0), (leads, 1), else_=0)).label("lead_before"),
        )
        .where(
            Contribution.community_id == community_id,
            Contribution.at > before,
            Contribution.at <= until,
            Contribution.kind.in_(list(counted)),
        )
        .group_by(Contribution.member_id)
        .subquery()
    )


def _level(joined: Any, end: datetime, acts: Any, lead: Any, bar: Bar) -> ColumnElement[str]:
    """flows.levels.level, in SQL: the same rules in the same order, so millions of rows never leave the database."""
    return case(
        (joined > end - bar.newcomer, Level.NEWCOMER.value),
        (func.coalesce(acts, 0) == 0, Level.SILENT.value),
        ((acts >= bar.core) & (lead >= bar.leading), Level.CORE.value),
        (acts >= bar.active, Level.ACTIVE.value),
        else_=Level.OCCASIONAL.value,
    )


async def level_counts(
    db: AsyncSession,
    community_id: int,
    *,
    before: datetime,
    since: datetime,
    until: datetime,
    now: Bar,
    then: Bar,
    counted: Collection[Act],
    leading: Collection[Act],
) -> tuple[dict[Level, int], dict[Level, int]]:
    """How many current members are at each level at `until` (over (since, until]) and were at `since` (over
    (before, since]; members who joined later are left out of that one)."""
    tally = _window_tallies(community_id, before, since, until, counted, leading)
    joined = Membership.joined_at
    levels = (
        select(
            _level(joined, until, tally.c.acts_now, tally.c.lead_now, now).label("now"),
            case(
                (joined > since, None), else_=_level(joined, since, tally.c.acts_before, tally.c.lead_before, then)
            ).label("then"),
        )
        .outerjoin(tally, tally.c.member_id == Membership.member_id)
        .where(Membership.community_id == community_id, Membership.left_at.is_(None), joined <= until)
        .subquery()
    )
    rows = await db.execute(select(levels.c.now, levels.c.then, func.count()).group_by(levels.c.now, levels.c.then))
    found_now: dict[Level, int] = dict.fromkeys(Level, 0)
    found_then: dict[Level, int] = dict.fromkeys(Level, 0)
    for level_now, level_then, n in rows.all():
        found_now[Level(level_now)] += int(n)
        if level_then is not None:
            found_then[Level(level_then)] += int(n)
    return found_now, found_then


@dataclass(frozen=True)
class Rise:
    member_id: int
    now: Tally
    before: Tally


async def rising(
    db: AsyncSession,
    community_id: int,
    *,
    before: datetime,
    since: datetime,
    until: datetime,
    at_least: int,
    counted: Collection[Act],
    leading: Collection[Act],
    limit: int,
) -> list[Rise]:
    """Members without a role who did at least `at_least` acts in (since, until] and more than in (before, since]:
    those who lead others most first, then those who rose most."""
    tally = _window_tallies(community_id, before, since, until, counted, leading)
    earlier = func.coalesce(tally.c.acts_before, 0)
    rows = await db.execute(
        select(tally.c.member_id, tally.c.acts_now, tally.c.lead_now, earlier, func.coalesce(tally.c.lead_before, 0))
        .join(Membership, Membership.member_id == tally.c.member_id)
        .where(
            Membership.community_id == community_id,
            Membership.left_at.is_(None),
            Membership.role == Role.MEMBER,
            tally.c.acts_now >= at_least,
            tally.c.acts_now > earlier,
        )
        .order_by(
            tally.c.lead_now.desc(), (tally.c.acts_now - earlier).desc(), tally.c.acts_now.desc(), tally.c.member_id
        )
        .limit(limit)
    )
    return [Rise(m, Tally(int(n), int(led)), Tally(int(b), int(bl))) for m, n, led, b, bl in rows.all()]


async def by_kind(db: AsyncSession, community_id: int, since: datetime, until: datetime) -> dict[str, int]:
    """How many acts of each kind in (since, until]."""
    rows = await db.execute(
        select(Contribution.kind, func.count())
        .where(Contribution.community_id == community_id, Contribution.at > since, Contribution.at <= until)
        .group_by(Contribution.kind)
    )
    return {kind: int(n) for kind, n in rows.all()}


def slot_of(column: Any, edges: Sequence[datetime]) -> ColumnElement[int]:
    """Which of the buckets between consecutive `edges` a time falls in ((edge, next edge]), as SQL."""
    return case(*((column <= edge, i) for i, edge in enumerate(edges[1:])), else_=len(edges) - 1)


async def buckets(
    db: AsyncSession, community_id: int, edges: Sequence[datetime], *, counted: Collection[Act]
) -> list[int]:
    """Counted acts between consecutive `edges` (n edges make n-1 buckets), in one scan of the window index.
    (How many different members acted in each would need a sort of the whole window: not worth its time.)"""
    if len(edges) < 2:
        return []
    slot = slot_of(Contribution.at, edges)
    inner = (
        select(slot.label("slot"))
        .where(
            Contribution.community_id == community_id,
            Contribution.at > edges[0],
            Contribution.at <= edges[-1],
            Contribution.kind.in_(list(counted)),
        )
        .subquery()
    )
    rows = await db.execute(select(inner.c.slot, func.count()).group_by(inner.c.slot))
    found = {int(slot): int(n) for slot, n in rows.all()}
    return [found.get(i, 0) for i in range(len(edges) - 1)]


async def first_acts_of_newcomers(
    db: AsyncSession, community_id: int, joined_since: datetime, joined_until: datetime, *, counted: Collection[Act]
) -> dict[int, datetime]:
    """For members who joined in (joined_since, joined_until]: when they first did something that counts. One
    look-up in the member index per newcomer, never a scan of the window."""
    first = (
        select(func.min(Contribution.at))
        .where(
            Contribution.member_id == Membership.member_id,
            Contribution.community_id == community_id,
            Contribution.at >= Membership.joined_at,
            Contribution.kind.in_(list(counted)),
        )
        .scalar_subquery()
    )
    rows = await db.execute(
        select(Membership.member_id, first).where(
            Membership.community_id == community_id,
            Membership.joined_at > joined_since,
            Membership.joined_at <= joined_until,
        )
    )
    return {member_id: at for member_id, at in rows.all() if at is not None}


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


async def count(db: AsyncSession, community_id: int, act: Act, *, subject_id: int | None = None) -> int:
    query = select(func.count()).where(Contribution.community_id == community_id, Contribution.kind == act)
    if subject_id is not None:
        query = query.where(Contribution.subject_id == subject_id)
    return await db.scalar(query) or 0
