"""Working-out-loud circles: who opted in, each cycle, and each member's share (or skip) in it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CircleStatus, Member, Membership, WolCircle, WolCycle, WolMember, WolShare


async def start(db: AsyncSession, **fields: object) -> WolCircle:
    circle = WolCircle(**fields)
    db.add(circle)
    await db.flush()
    return circle


async def by_id(db: AsyncSession, circle_id: int) -> WolCircle | None:
    return await db.get(WolCircle, circle_id)


async def active(db: AsyncSession, community_id: int) -> Sequence[WolCircle]:
    return (
        await db.scalars(
            select(WolCircle)
            .where(WolCircle.community_id == community_id, WolCircle.status == CircleStatus.ACTIVE)
            .order_by(WolCircle.id)
        )
    ).all()


async def join(db: AsyncSession, circle_id: int, member_id: int, now: datetime) -> bool:
    """Opt the member in; False if they already were in."""
    row = await db.scalar(select(WolMember).where(WolMember.circle_id == circle_id, WolMember.member_id == member_id))
    if row is None:
        db.add(WolMember(circle_id=circle_id, member_id=member_id, joined_at=now))
        await db.flush()
        return True
    if row.left_at is not None:
        row.left_at, row.joined_at = None, now
        return True
    return False


async def leave(db: AsyncSession, circle_id: int, member_id: int, now: datetime) -> bool:
    row = await db.scalar(
        select(WolMember).where(
            WolMember.circle_id == circle_id, WolMember.member_id == member_id, WolMember.left_at.is_(None)
        )
    )
    if row is None:
        return False
    row.left_at = now
    return True


async def members(db: AsyncSession, circle: WolCircle) -> Sequence[Member]:
    """Who is in the circle and still a member of its community, by name."""
    return (
        await db.scalars(
            select(Member)
            .join(WolMember, WolMember.member_id == Member.id)
            .join(Membership, (Membership.member_id == Member.id) & (Membership.community_id == circle.community_id))
            .where(WolMember.circle_id == circle.id, WolMember.left_at.is_(None), Membership.left_at.is_(None))
            .order_by(Member.display_name, Member.id)
        )
    ).all()


async def is_member(db: AsyncSession, circle: WolCircle, member_id: int) -> bool:
    return any(m.id == member_id for m in await members(db, circle))


async def circles_of(db: AsyncSession, community_id: int, member_id: int) -> Sequence[WolCircle]:
    return (
        await db.scalars(
            select(WolCircle)
            .join(WolMember)
            .where(
                WolCircle.community_id == community_id,
                WolCircle.status == CircleStatus.ACTIVE,
                WolMember.member_id == member_id,
                WolMember.left_at.is_(None),
            )
            .order_by(WolCircle.id)
        )
    ).all()


async def open_cycle(db: AsyncSession, circle_id: int, opens_at: datetime, compiles_at: datetime) -> WolCycle:
    cycle = WolCycle(circle_id=circle_id, opens_at=opens_at, compiles_at=compiles_at, cards=[])
    db.add(cycle)
    await db.flush()
    return cycle


async def cycle_by_id(db: AsyncSession, cycle_id: int) -> WolCycle | None:
    return await db.get(WolCycle, cycle_id)


async def current_cycle(db: AsyncSession, circle_id: int) -> WolCycle | None:
    return await db.scalar(select(WolCycle).where(WolCycle.circle_id == circle_id).order_by(WolCycle.opens_at.desc()))


async def share_of(db: AsyncSession, cycle_id: int, member_id: int) -> WolShare | None:
    return await db.scalar(select(WolShare).where(WolShare.cycle_id == cycle_id, WolShare.member_id == member_id))


async def save_share(
    db: AsyncSession,
    cycle_id: int,
    member_id: int,
    now: datetime,
    *,
    working_on: str = "",
    learned: str = "",
    help: str = "",
    skipped: bool = False,
) -> WolShare:
    """Keep the member's share (or skip) for the cycle, replacing what they gave before."""
    share = await share_of(db, cycle_id, member_id)
    if share is None:
        share = WolShare(cycle_id=cycle_id, member_id=member_id, shared_at=now)
        db.add(share)
    share.working_on, share.learned, share.help, share.skipped, share.shared_at = (
        working_on,
        learned,
        help,
        skipped,
        now,
    )
    await db.flush()
    return share


async def shares(db: AsyncSession, cycle_id: int) -> Sequence[WolShare]:
    """What was shared in a cycle (skips left out), in the order it came."""
    return (
        await db.scalars(
            select(WolShare)
            .where(WolShare.cycle_id == cycle_id, WolShare.skipped.is_(False))
            .order_by(WolShare.shared_at, WolShare.id)
        )
    ).all()
