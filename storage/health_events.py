"""Discussions and webinars as community health counts them: replies and participants, RSVPs, attendance and
feedback, in one window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Attendance,
    Discussion,
    DiscussionReply,
    DiscussionStatus,
    Rsvp,
    Webinar,
    WebinarStatus,
)


@dataclass(frozen=True)
class DiscussionRow:
    id: int
    topic: str
    opens_at: datetime
    status: str
    moderator_ids: list[int]
    replies: int
    participants: int


async def discussions(
    db: AsyncSession, community_id: int, since: datetime, until: datetime, *, moderator_id: int | None = None
) -> tuple[list[DiscussionRow], int]:
    """Discussions that were open at some time in (since, until] — all, or those `moderator_id` moderates — with
    their replies and participants; and how many different members replied in them altogether."""
    found = (
        await db.scalars(
            select(Discussion)
            .where(
                Discussion.community_id == community_id,
                Discussion.status.in_((DiscussionStatus.OPEN, DiscussionStatus.CLOSED, DiscussionStatus.SUMMARISED)),
                Discussion.opens_at <= until,
                Discussion.closes_at > since,
            )
            .order_by(Discussion.opens_at, Discussion.id)
        )
    ).all()
    if moderator_id is not None:
        found = [d for d in found if moderator_id in (d.moderator_ids or [])]
    ids = [d.id for d in found]
    if not ids:
        return [], 0
    counts = {
        d: (int(n), int(p))
        for d, n, p in (
            await db.execute(
                select(DiscussionReply.discussion_id, func.count(), func.count(DiscussionReply.member_id.distinct()))
                .where(DiscussionReply.discussion_id.in_(ids))
                .group_by(DiscussionReply.discussion_id)
            )
        ).all()
    }
    everyone = await db.scalar(
        select(func.count(DiscussionReply.member_id.distinct())).where(DiscussionReply.discussion_id.in_(ids))
    )
    rows = [
        DiscussionRow(d.id, d.topic, d.opens_at, d.status, list(d.moderator_ids or []), *counts.get(d.id, (0, 0)))
        for d in found
    ]
    return rows, int(everyone or 0)


@dataclass(frozen=True)
class WebinarRow:
    id: int
    title: str
    starts_at: datetime
    coming: int  # said going or maybe
    attended: int
    feedback: list[int]


async def webinars(
    db: AsyncSession, community_id: int, since: datetime, until: datetime, *, viewer_id: int | None = None
) -> list[WebinarRow]:
    """Sessions that took place in (since, until] — all, or those `viewer_id` scheduled or presented."""
    found = (
        await db.scalars(
            select(Webinar)
            .where(
                Webinar.community_id == community_id,
                Webinar.status == WebinarStatus.SCHEDULED,
                Webinar.starts_at > since,
                Webinar.starts_at <= until,
            )
            .order_by(Webinar.starts_at, Webinar.id)
        )
    ).all()
    if viewer_id is not None:
        found = [w for w in found if w.created_by == viewer_id or viewer_id in (w.presenter_ids or [])]
    ids = [w.id for w in found]
    if not ids:
        return []
    coming = dict(
        (
            await db.execute(
                select(Rsvp.webinar_id, func.count())
                .where(Rsvp.webinar_id.in_(ids), Rsvp.answer.in_(("going", "maybe")))
                .group_by(Rsvp.webinar_id)
            )
        ).all()
    )
    there = dict(
        (
            await db.execute(
                select(Attendance.webinar_id, func.count())
                .where(Attendance.webinar_id.in_(ids))
                .group_by(Attendance.webinar_id)
            )
        ).all()
    )
    scores: dict[int, list[int]] = {}
    for webinar_id, score in (
        await db.execute(
            select(Rsvp.webinar_id, Rsvp.feedback).where(Rsvp.webinar_id.in_(ids), Rsvp.feedback.is_not(None))
        )
    ).all():
        if score is not None:
            scores.setdefault(webinar_id, []).append(int(score))
    return [
        WebinarRow(w.id, w.title, w.starts_at, int(coming.get(w.id, 0)), int(there.get(w.id, 0)), scores.get(w.id, []))
        for w in found
    ]
