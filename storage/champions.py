"""Champions: what rising members did (the topics behind their acts), what they could lead next, and the offers
made to them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AssistRequest,
    ChampionOffer,
    DirectoryEntry,
    Discussion,
    DiscussionStatus,
    Webinar,
    WebinarStatus,
)

DISCUSSION, WEBINAR = "discussion", "webinar"
YES, NO = "yes", "no"


async def request_topics(db: AsyncSession, request_ids: Collection[int]) -> dict[int, list[str]]:
    if not request_ids:
        return {}
    rows = await db.execute(select(AssistRequest.id, AssistRequest.topics).where(AssistRequest.id.in_(request_ids)))
    return {i: list(t or []) for i, t in rows.all()}


async def discussion_topics(db: AsyncSession, discussion_ids: Collection[int]) -> dict[int, str]:
    if not discussion_ids:
        return {}
    rows = await db.execute(select(Discussion.id, Discussion.topic).where(Discussion.id.in_(discussion_ids)))
    return dict(rows.all())


async def expertise(db: AsyncSession, community_id: int, member_ids: Collection[int]) -> dict[int, str]:
    if not member_ids:
        return {}
    rows = await db.execute(
        select(DirectoryEntry.member_id, DirectoryEntry.expertise).where(
            DirectoryEntry.community_id == community_id, DirectoryEntry.member_id.in_(member_ids)
        )
    )
    return {m: e or "" for m, e in rows.all()}


@dataclass(frozen=True)
class Lead:
    """Something a champion could lead: a discussion not yet open, a webinar to come."""

    kind: str  # discussion | webinar
    id: int
    title: str
    at: datetime
    leaders: tuple[int, ...]  # its moderators, or presenters known as members


async def leads(db: AsyncSession, community_id: int, now: datetime) -> list[Lead]:
    """The discussions still to open and the webinars to come, soonest first (a few dozen at most)."""
    found = [
        Lead(DISCUSSION, d.id, d.topic, d.opens_at, tuple(d.moderator_ids or []))
        for d in (
            await db.scalars(
                select(Discussion)
                .where(
                    Discussion.community_id == community_id,
                    Discussion.status == DiscussionStatus.SCHEDULED,
                    Discussion.opens_at > now,
                )
                .order_by(Discussion.opens_at, Discussion.id)
                .limit(50)
            )
        ).all()
    ]
    found += [
        Lead(WEBINAR, w.id, w.title, w.starts_at, tuple(w.presenter_ids or []))
        for w in (
            await db.scalars(
                select(Webinar)
                .where(
                    Webinar.community_id == community_id,
                    Webinar.status == WebinarStatus.SCHEDULED,
                    Webinar.starts_at > now,
                )
                .order_by(Webinar.starts_at, Webinar.id)
                .limit(50)
            )
        ).all()
    ]
    return found


async def offer(
    db: AsyncSession, *, community_id: int, member_id: int, kind: str, subject_id: int, by: int, now: datetime
) -> ChampionOffer | None:
    """A new offer; None if this member already has an unanswered one for the same discussion or webinar."""
    pending = await db.scalar(
        select(ChampionOffer.id).where(
            ChampionOffer.member_id == member_id,
            ChampionOffer.kind == kind,
            ChampionOffer.subject_id == subject_id,
            ChampionOffer.answer.is_(None),
        )
    )
    if pending is not None:
        return None
    made = ChampionOffer(
        community_id=community_id, member_id=member_id, kind=kind, subject_id=subject_id, offered_by=by, offered_at=now
    )
    db.add(made)
    await db.flush()
    return made


async def offer_by_id(db: AsyncSession, offer_id: int) -> ChampionOffer | None:
    return await db.get(ChampionOffer, offer_id)


def answered(made: ChampionOffer, answer: str, now: datetime) -> None:
    made.answer, made.answered_at = answer, now
