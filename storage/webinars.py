"""Webinar sessions and who is coming."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Rsvp, Webinar, WebinarStatus


async def add(db: AsyncSession, **fields: object) -> Webinar:
    webinar = Webinar(**fields)
    db.add(webinar)
    await db.flush()
    return webinar


async def by_id(db: AsyncSession, webinar_id: int) -> Webinar | None:
    return await db.get(Webinar, webinar_id)


async def upcoming(db: AsyncSession, community_id: int, now: datetime, limit: int = 10) -> Sequence[Webinar]:
    return (
        await db.scalars(
            select(Webinar)
            .where(
                Webinar.community_id == community_id,
                Webinar.status == WebinarStatus.SCHEDULED,
                Webinar.starts_at >= now,
            )
            .order_by(Webinar.starts_at)
            .limit(limit)
        )
    ).all()


async def answer(db: AsyncSession, webinar_id: int, member_id: int, choice: str, now: datetime) -> str | None:
    """Record an RSVP (the last choice stands); returns the previous answer, if any."""
    rsvp = await db.scalar(select(Rsvp).where(Rsvp.webinar_id == webinar_id, Rsvp.member_id == member_id))
    if rsvp is None:
        db.add(Rsvp(webinar_id=webinar_id, member_id=member_id, answer=choice, at=now))
        await db.flush()
        return None
    previous, rsvp.answer, rsvp.at = rsvp.answer, choice, now
    return previous


async def rsvp_of(db: AsyncSession, webinar_id: int, member_id: int) -> str | None:
    return await db.scalar(select(Rsvp.answer).where(Rsvp.webinar_id == webinar_id, Rsvp.member_id == member_id))


async def counts(db: AsyncSession, webinar_id: int) -> dict[str, int]:
    rows = await db.execute(
        select(Rsvp.answer, func.count()).where(Rsvp.webinar_id == webinar_id).group_by(Rsvp.answer)
    )
    return {choice: int(n) for choice, n in rows.all()}


async def attending(db: AsyncSession, webinar_id: int) -> list[int]:
    """Members going or maybe: the ones reminded."""
    rows = await db.scalars(
        select(Rsvp.member_id)
        .where(Rsvp.webinar_id == webinar_id, Rsvp.answer.in_(("going", "maybe")))
        .order_by(Rsvp.id)
    )
    return list(rows)


async def give_feedback(db: AsyncSession, webinar_id: int, member_id: int, score: int, now: datetime) -> int | None:
    """Keep a member's 1-5 answer to the feedback question (the last stands), on their RSVP (made if they had none);
    returns the score it replaces, if any."""
    rsvp = await db.scalar(select(Rsvp).where(Rsvp.webinar_id == webinar_id, Rsvp.member_id == member_id))
    if rsvp is None:
        rsvp = Rsvp(webinar_id=webinar_id, member_id=member_id, answer="going", at=now)
        db.add(rsvp)
    previous, rsvp.feedback = rsvp.feedback, score
    await db.flush()
    return previous


async def feedback(db: AsyncSession, webinar_id: int) -> list[int]:
    return list(
        await db.scalars(select(Rsvp.feedback).where(Rsvp.webinar_id == webinar_id, Rsvp.feedback.is_not(None)))
    )
