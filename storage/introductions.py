"""Introductions: who has introduced themselves where, their cards, and who welcomed them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Introduction, IntroStatus


async def of(db: AsyncSession, community_id: int, member_id: int) -> Introduction | None:
    return await db.scalar(
        select(Introduction).where(Introduction.community_id == community_id, Introduction.member_id == member_id)
    )


async def by_id(db: AsyncSession, intro_id: int) -> Introduction | None:
    return await db.get(Introduction, intro_id)


async def expect(db: AsyncSession, community_id: int, member_id: int, now: datetime) -> tuple[Introduction, bool]:
    """The member's introduction, started as pending on first sight; True if it was new."""
    intro = await of(db, community_id, member_id)
    if intro is not None:
        return intro, False
    intro = Introduction(
        community_id=community_id,
        member_id=member_id,
        status=IntroStatus.PENDING,
        cards=[],
        welcomed_by=[],
        created_at=now,
    )
    db.add(intro)
    await db.flush()
    return intro, True


async def started_between(db: AsyncSession, community_id: int, since: datetime, until: datetime) -> list[int]:
    """Members whose introduction was started (they joined) in [since, until), in order."""
    rows = await db.scalars(
        select(Introduction.member_id)
        .where(
            Introduction.community_id == community_id, Introduction.created_at >= since, Introduction.created_at < until
        )
        .order_by(Introduction.created_at, Introduction.id)
    )
    return list(rows)


def introduced(intro: Introduction, now: datetime) -> None:
    intro.status = IntroStatus.DONE
    intro.introduced_at = intro.introduced_at or now


def skipped(intro: Introduction) -> None:
    intro.status = IntroStatus.SKIPPED


def welcome(intro: Introduction, member_id: int) -> bool:
    """Count a welcome once per member; False if they had welcomed already."""
    if member_id in intro.welcomed_by:
        return False
    intro.welcomed_by = [*intro.welcomed_by, member_id]
    return True
