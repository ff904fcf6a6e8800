"""Credit given to members, counted on their profiles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Recognition


async def credit(
    db: AsyncSession, *, community_id: int, member_id: int, by_id: int | None, kind: str, reason: str, now: datetime
) -> None:
    db.add(Recognition(community_id=community_id, member_id=member_id, by_id=by_id, kind=kind, reason=reason, at=now))


async def count(db: AsyncSession, community_id: int, member_id: int) -> int:
    return (
        await db.scalar(
            select(func.count())
            .select_from(Recognition)
            .where(Recognition.community_id == community_id, Recognition.member_id == member_id)
        )
        or 0
    )


async def recent_reasons(db: AsyncSession, community_id: int, member_id: int, limit: int = 3) -> list[str]:
    """What the member was most recently thanked or credited for, newest first."""
    rows = await db.scalars(
        select(Recognition.reason)
        .where(Recognition.community_id == community_id, Recognition.member_id == member_id, Recognition.reason != "")
        .order_by(Recognition.at.desc(), Recognition.id.desc())
        .limit(limit)
    )
    return list(rows)


async def most_thanked(db: AsyncSession, community_id: int, since: datetime, limit: int = 10) -> list[tuple[int, int]]:
    """(member id, credits) of the most recognised members since `since`."""
    rows = await db.execute(
        select(Recognition.member_id, func.count().label("n"))
        .where(Recognition.community_id == community_id, Recognition.at >= since)
        .group_by(Recognition.member_id)
        .order_by(func.count().desc(), Recognition.member_id)
        .limit(limit)
    )
    return [(member_id, int(n)) for member_id, n in rows.all()]
