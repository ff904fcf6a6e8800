"""The records a digest is written from, one query per section, each leaving out what an earlier issue of the
community already carried in that section (storage.digests keeps what was carried)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AssistRequest,
    AssistStatus,
    Consent,
    DigestIssue,
    DigestItem,
    Discussion,
    DiscussionStatus,
    Introduction,
    IntroStatus,
    KnowledgeItem,
    Member,
    Membership,
    Recognition,
    Story,
    Webinar,
    WebinarStatus,
)

# Library items that another section already tells (a discussion's summary, a webinar's slides, ...).
TOLD_ELSEWHERE = ("discussion:", "webinar:", "assist:", "story:")
SHARED = (Consent.COMMUNITY, Consent.PUBLIC_ANONYMOUS, Consent.PUBLIC_NAMED)


def _carried(community_id: int, section: str) -> Select[Any]:
    """The ids an earlier issue of the community carried in `section`."""
    return (
        select(DigestItem.item_id)
        .join(DigestIssue, DigestIssue.id == DigestItem.issue_id)
        .where(DigestIssue.community_id == community_id, DigestItem.section == section)
    )


@dataclass(frozen=True)
class Newcomer:
    member_id: int
    name: str
    profile: dict[str, object]


async def newcomers(
    db: AsyncSession, community_id: int, since: datetime, until: datetime, limit: int
) -> list[Newcomer]:
    """Members who introduced themselves in the period and are still members."""
    rows = await db.execute(
        select(Member.id, Member.display_name, Member.profile)
        .join(Introduction, Introduction.member_id == Member.id)
        .join(Membership, and_(Membership.member_id == Member.id, Membership.community_id == community_id))
        .where(
            Introduction.community_id == community_id,
            Introduction.status == IntroStatus.DONE,
            Introduction.introduced_at >= since,
            Introduction.introduced_at <= until,
            Membership.left_at.is_(None),
            Member.id.not_in(_carried(community_id, "members")),
        )
        .order_by(Introduction.introduced_at, Member.id)
        .limit(limit)
    )
    return [Newcomer(i, name, dict(profile or {})) for i, name, profile in rows]


@dataclass(frozen=True)
class Closed:
    id: int
    topic: str
    summary: str
    url: str | None


async def discussions_closed(
    db: AsyncSession, community_id: int, since: datetime, until: datetime, limit: int
) -> list[Closed]:
    """Discussions summarised in the period (the summary is what the library keeps)."""
    rows = await db.execute(
        select(Discussion.id, Discussion.topic, KnowledgeItem.body, KnowledgeItem.url)
        .join(KnowledgeItem, KnowledgeItem.id == Discussion.summary_item_id)
        .where(
            Discussion.community_id == community_id,
            Discussion.status == DiscussionStatus.SUMMARISED,
            KnowledgeItem.created_at >= since,
            KnowledgeItem.created_at <= until,
            Discussion.id.not_in(_carried(community_id, "discussions")),
        )
        .order_by(KnowledgeItem.created_at, Discussion.id)
        .limit(limit)
    )
    return [Closed(i, topic, body or "", url) for i, topic, body, url in rows]


async def webinars_held(
    db: AsyncSession, community_id: int, since: datetime, until: datetime, limit: int
) -> list[tuple[Webinar, list[str]]]:
    """Webinars that took place in the period, with the links the library keeps for them (slides, notes)."""
    sessions = (
        await db.scalars(
            select(Webinar)
            .where(
                Webinar.community_id == community_id,
                Webinar.status == WebinarStatus.SCHEDULED,
                Webinar.starts_at >= since,
                Webinar.starts_at <= until,
                Webinar.id.not_in(_carried(community_id, "held")),
            )
            .order_by(Webinar.starts_at, Webinar.id)
            .limit(limit)
        )
    ).all()
    links: dict[int, list[str]] = {s.id: [] for s in sessions}
    if sessions:
        items = await db.execute(
            select(KnowledgeItem.source, KnowledgeItem.url).where(
                KnowledgeItem.community_id == community_id,
                KnowledgeItem.source.in_([f"webinar:{s.id}" for s in sessions]),
                KnowledgeItem.url.is_not(None),
            )
        )
        for source, url in items:
            links[int(str(source).removeprefix("webinar:"))].append(str(url))
    return [(s, [u for u in links[s.id] if u != s.recording_url]) for s in sessions]


async def webinars_coming(
    db: AsyncSession, community_id: int, now: datetime, until: datetime, limit: int
) -> list[Webinar]:
    """Webinars still to come before `until`, not announced by an earlier issue."""
    return list(
        (
            await db.scalars(
                select(Webinar)
                .where(
                    Webinar.community_id == community_id,
                    Webinar.status == WebinarStatus.SCHEDULED,
                    Webinar.starts_at > now,
                    Webinar.starts_at <= until,
                    Webinar.id.not_in(_carried(community_id, "coming")),
                )
                .order_by(Webinar.starts_at, Webinar.id)
                .limit(limit)
            )
        ).all()
    )


async def requests_resolved(
    db: AsyncSession, community_id: int, since: datetime, until: datetime, limit: int
) -> list[AssistRequest]:
    return list(
        (
            await db.scalars(
                select(AssistRequest)
                .where(
                    AssistRequest.community_id == community_id,
                    AssistRequest.status == AssistStatus.RESOLVED,
                    AssistRequest.closed_at >= since,
                    AssistRequest.closed_at <= until,
                    AssistRequest.id.not_in(_carried(community_id, "resolved")),
                )
                .order_by(AssistRequest.closed_at, AssistRequest.id)
                .limit(limit)
            )
        ).all()
    )


async def requests_open(db: AsyncSession, community_id: int, until: datetime, limit: int) -> list[AssistRequest]:
    """Requests still open, oldest first, that no earlier issue asked the community about."""
    return list(
        (
            await db.scalars(
                select(AssistRequest)
                .where(
                    AssistRequest.community_id == community_id,
                    AssistRequest.status == AssistStatus.OPEN,
                    AssistRequest.created_at <= until,
                    AssistRequest.id.not_in(_carried(community_id, "open")),
                )
                .order_by(AssistRequest.created_at, AssistRequest.id)
                .limit(limit)
            )
        ).all()
    )


async def stories_shared(
    db: AsyncSession, community_id: int, since: datetime, until: datetime, limit: int
) -> list[Story]:
    """Stories told in the period that their tellers let the community read."""
    return list(
        (
            await db.scalars(
                select(Story)
                .where(
                    Story.community_id == community_id,
                    Story.consent.in_(SHARED),
                    Story.created_at >= since,
                    Story.created_at <= until,
                    Story.id.not_in(_carried(community_id, "stories")),
                )
                .order_by(Story.created_at, Story.id)
                .limit(limit)
            )
        ).all()
    )


async def library_added(
    db: AsyncSession, community_id: int, since: datetime, until: datetime, limit: int
) -> list[KnowledgeItem]:
    """What was added to the library in the period, except what another section tells already."""
    told = [KnowledgeItem.source.startswith(prefix) for prefix in TOLD_ELSEWHERE]
    return list(
        (
            await db.scalars(
                select(KnowledgeItem)
                .where(
                    KnowledgeItem.community_id == community_id,
                    KnowledgeItem.created_at >= since,
                    KnowledgeItem.created_at <= until,
                    or_(KnowledgeItem.source.is_(None), ~or_(*told)),
                    KnowledgeItem.id.not_in(_carried(community_id, "library")),
                )
                .order_by(KnowledgeItem.created_at, KnowledgeItem.id)
                .limit(limit)
            )
        ).all()
    )


async def thanks_given(
    db: AsyncSession, community_id: int, since: datetime, until: datetime, limit: int
) -> list[Recognition]:
    return list(
        (
            await db.scalars(
                select(Recognition)
                .where(
                    Recognition.community_id == community_id,
                    Recognition.kind == "thanks",
                    Recognition.at >= since,
                    Recognition.at <= until,
                    Recognition.id.not_in(_carried(community_id, "thanks")),
                )
                .order_by(Recognition.at, Recognition.id)
                .limit(limit)
            )
        ).all()
    )


async def names(db: AsyncSession, member_ids: Iterable[int]) -> dict[int, str]:
    wanted = set(member_ids)
    if not wanted:
        return {}
    rows = await db.execute(select(Member.id, Member.display_name).where(Member.id.in_(wanted)))
    return {int(row[0]): str(row[1]) for row in rows}
