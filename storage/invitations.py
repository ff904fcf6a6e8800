"""Invitations to silent members: who may be invited now, what was sent, and which ones converted."""

from __future__ import annotations

import bisect
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Act,
    AssistRequest,
    AssistStatus,
    Contribution,
    DirectoryEntry,
    Discussion,
    DiscussionStatus,
    Introduction,
    Invitation,
    Member,
    Membership,
    Role,
    Webinar,
    WebinarStatus,
)

OFF = "invitations_off"  # the member's profile switch


@dataclass(frozen=True)
class Candidate:
    """A silent member who may be invited, with what their introduction says."""

    member_id: int
    timezone: str | None
    introduced: bool
    skipped_intro: bool
    expertise: str
    offer: str
    learn: str


async def candidates(
    db: AsyncSession,
    community_id: int,
    *,
    silent_since: datetime,
    joined_before: datetime,
    invited_before: datetime,
    counted: Collection[Act],
) -> list[Candidate]:
    """Current members without a role who joined before `joined_before`, did nothing that counts since
    `silent_since`, were not invited since `invited_before`, and have not turned invitations off."""
    acted = exists().where(
        Contribution.member_id == Membership.member_id,
        Contribution.community_id == community_id,
        Contribution.at >= silent_since,
        Contribution.kind.in_(list(counted)),
    )
    invited = exists().where(
        Invitation.member_id == Membership.member_id,
        Invitation.community_id == community_id,
        Invitation.sent_at >= invited_before,
    )
    off = Member.profile[OFF].as_boolean()
    rows = await db.execute(
        select(
            Membership.member_id,
            Member.timezone,
            Introduction.status,
            DirectoryEntry.expertise,
            DirectoryEntry.offer,
            DirectoryEntry.learn,
        )
        .join(Member, Member.id == Membership.member_id)
        .outerjoin(
            Introduction,
            (Introduction.community_id == community_id) & (Introduction.member_id == Membership.member_id),
        )
        .outerjoin(
            DirectoryEntry,
            (DirectoryEntry.community_id == community_id) & (DirectoryEntry.member_id == Membership.member_id),
        )
        .where(
            Membership.community_id == community_id,
            Membership.left_at.is_(None),
            Membership.role == Role.MEMBER,  # moderators and coordinators run the community: not invited to it
            Membership.joined_at < joined_before,
            ~acted,
            ~invited,
            or_(off.is_(None), off.is_(False)),
        )
        .order_by(Membership.member_id)
    )
    return [
        Candidate(m, zone, status == "done", status == "skipped", expertise or "", offer or "", learn or "")
        for m, zone, status, expertise, offer, learn in rows.all()
    ]


async def ever_invited(db: AsyncSession, community_id: int, member_ids: Collection[int], kind: str) -> set[int]:
    """Which of these members were ever sent an invitation of `kind` here."""
    if not member_ids:
        return set()
    rows = await db.scalars(
        select(Invitation.member_id)
        .distinct()
        .where(
            Invitation.community_id == community_id, Invitation.kind == kind, Invitation.member_id.in_(list(member_ids))
        )
    )
    return set(rows)


async def members_by_id(db: AsyncSession, member_ids: Collection[int]) -> dict[int, Member]:
    """Members (with their identities) in one query, to send to."""
    if not member_ids:
        return {}
    found = await db.scalars(select(Member).where(Member.id.in_(list(member_ids))))
    return {m.id: m for m in found}


def sent(db: AsyncSession, community_id: int, member_id: int, kind: str, subject_id: int | None, at: datetime) -> None:
    db.add(Invitation(community_id=community_id, member_id=member_id, kind=kind, subject_id=subject_id, sent_at=at))


@dataclass(frozen=True)
class Conversions:
    sent: int
    converted: int


async def conversions(
    db: AsyncSession,
    community_id: int,
    since: datetime,
    until: datetime,
    *,
    within: timedelta,
    counted: Collection[Act],
) -> Conversions:
    """Invitations sent in (since, until], and how many were followed by an act of their member within `within`."""
    rows = (
        await db.execute(
            select(Invitation.member_id, Invitation.sent_at).where(
                Invitation.community_id == community_id, Invitation.sent_at > since, Invitation.sent_at <= until
            )
        )
    ).all()
    if not rows:
        return Conversions(0, 0)
    invited = select(Invitation.member_id).where(
        Invitation.community_id == community_id, Invitation.sent_at > since, Invitation.sent_at <= until
    )
    acts: dict[int, list[datetime]] = {}
    for member_id, at in (
        await db.execute(
            select(Contribution.member_id, Contribution.at).where(
                Contribution.community_id == community_id,
                Contribution.member_id.in_(invited),
                Contribution.at > since,
                Contribution.at <= until + within,
                Contribution.kind.in_(list(counted)),
            )
        )
    ).all():
        acts.setdefault(member_id, []).append(at)
    for times in acts.values():
        times.sort()
    converted = 0
    for member_id, sent_at in rows:
        times = acts.get(member_id, [])
        i = bisect.bisect_left(times, sent_at)
        converted += i < len(times) and times[i] <= sent_at + within
    return Conversions(len(rows), converted)


async def switched_off(db: AsyncSession, community_id: int) -> int:
    """How many current members have turned invitations off."""
    off = Member.profile[OFF].as_boolean()
    return (
        await db.scalar(
            select(func.count())
            .select_from(Membership)
            .join(Member, Member.id == Membership.member_id)
            .where(Membership.community_id == community_id, Membership.left_at.is_(None), off.is_(True))
        )
        or 0
    )


# -- what an invitation can point to -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Opening:
    """Something a silent member could take part in: an open request, an upcoming webinar or discussion."""

    id: int
    text: str  # what it is about, for matching and for the message
    topics: tuple[str, ...]
    at: datetime
    asker_id: int | None = None


async def open_requests(db: AsyncSession, community_id: int, since: datetime) -> list[Opening]:
    rows = await db.execute(
        select(
            AssistRequest.id,
            AssistRequest.question,
            AssistRequest.topics,
            AssistRequest.created_at,
            AssistRequest.asker_id,
        )
        .where(
            AssistRequest.community_id == community_id,
            AssistRequest.status == AssistStatus.OPEN,
            AssistRequest.created_at >= since,
        )
        .order_by(AssistRequest.created_at.desc(), AssistRequest.id.desc())
    )
    return [Opening(i, q, tuple(t or []), at, asker) for i, q, t, at, asker in rows.all()]


async def upcoming_webinars(db: AsyncSession, community_id: int, now: datetime, until: datetime) -> list[Opening]:
    rows = await db.execute(
        select(Webinar.id, Webinar.title, Webinar.description, Webinar.starts_at)
        .where(
            Webinar.community_id == community_id,
            Webinar.status == WebinarStatus.SCHEDULED,
            Webinar.starts_at > now,
            Webinar.starts_at < until,
        )
        .order_by(Webinar.starts_at, Webinar.id)
    )
    return [Opening(i, f"{title}\n{description}", (), at) for i, title, description, at in rows.all()]


async def upcoming_discussions(db: AsyncSession, community_id: int, until: datetime) -> list[Opening]:
    rows = await db.execute(
        select(Discussion.id, Discussion.topic, Discussion.question, Discussion.opens_at)
        .where(
            Discussion.community_id == community_id,
            Discussion.status.in_((DiscussionStatus.SCHEDULED, DiscussionStatus.OPEN)),
            Discussion.opens_at < until,
        )
        .order_by(Discussion.opens_at, Discussion.id)
    )
    return [Opening(i, f"{topic}\n{question}", (topic,), at) for i, topic, question, at in rows.all()]
