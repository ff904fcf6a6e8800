"""The digest's storage: its plan, the issues sent and what they carried, and its readers (chat and email).

The records a digest is written from are read here too, one query per section, each leaving out what an earlier
issue already carried in that section."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only

from storage.models import (
    AssistRequest,
    AssistStatus,
    Cadence,
    Consent,
    DigestIssue,
    DigestItem,
    DigestPlan,
    DigestSubscription,
    Discussion,
    DiscussionStatus,
    Introduction,
    IntroStatus,
    KnowledgeItem,
    Member,
    Membership,
    OutboundMessage,
    Recognition,
    Story,
    Webinar,
    WebinarStatus,
)

# Library items that another section already tells (a discussion's summary, a webinar's slides, ...).
TOLD_ELSEWHERE = ("discussion:", "webinar:", "assist:", "story:")
SHARED = (Consent.COMMUNITY, Consent.PUBLIC_ANONYMOUS, Consent.PUBLIC_NAMED)


# -- the plan ------------------------------------------------------------------------------------------------------
async def plan_of(db: AsyncSession, community_id: int, now: datetime) -> DigestPlan:
    """The community's plan, made (monthly, no note) the first time it is asked for."""
    plan = await db.scalar(select(DigestPlan).where(DigestPlan.community_id == community_id))
    if plan is None:
        plan = DigestPlan(community_id=community_id, cadence=Cadence.MONTHLY, note="", updated_at=now)
        db.add(plan)
        await db.flush()
    return plan


# -- issues --------------------------------------------------------------------------------------------------------
async def last_issue(db: AsyncSession, community_id: int) -> DigestIssue | None:
    return await db.scalar(
        select(DigestIssue)
        .where(DigestIssue.community_id == community_id)
        .order_by(DigestIssue.sent_at.desc(), DigestIssue.id.desc())
        .limit(1)
    )


async def record_issue(
    db: AsyncSession,
    community_id: int,
    *,
    since: datetime,
    sent_at: datetime,
    note: str,
    carried: Mapping[str, Collection[int]],
) -> DigestIssue:
    """Keep an issue and every record it carried, so the next one leaves them out."""
    issue = DigestIssue(community_id=community_id, since=since, sent_at=sent_at, note=note)
    db.add(issue)
    await db.flush()
    rows = [
        {"issue_id": issue.id, "section": section, "item_id": item}
        for section, items in carried.items()
        for item in items
    ]
    if rows:
        await db.execute(insert(DigestItem), rows)
    return issue


def _carried(community_id: int, section: str) -> Select[Any]:
    """The ids an earlier issue of the community carried in `section`."""
    return (
        select(DigestItem.item_id)
        .join(DigestIssue, DigestIssue.id == DigestItem.issue_id)
        .where(DigestIssue.community_id == community_id, DigestItem.section == section)
    )


# -- the records of a period ---------------------------------------------------------------------------------------
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


# -- readers -------------------------------------------------------------------------------------------------------
async def subscription(db: AsyncSession, community_id: int, member_id: int, now: datetime) -> DigestSubscription:
    """The member's subscription row, made (reading nothing) the first time."""
    row = await db.scalar(
        select(DigestSubscription).where(
            DigestSubscription.community_id == community_id, DigestSubscription.member_id == member_id
        )
    )
    if row is None:
        row = DigestSubscription(
            community_id=community_id,
            member_id=member_id,
            chat=False,
            email_failures=0,
            code_attempts=0,
            updated_at=now,
        )
        db.add(row)
        await db.flush()
    return row


async def subscription_by_id(db: AsyncSession, subscription_id: int) -> DigestSubscription | None:
    return await db.get(DigestSubscription, subscription_id)


async def find_subscription(db: AsyncSession, community_id: int, member_id: int) -> DigestSubscription | None:
    return await db.scalar(
        select(DigestSubscription).where(
            DigestSubscription.community_id == community_id, DigestSubscription.member_id == member_id
        )
    )


@dataclass(frozen=True)
class Reader:
    """A subscriber, as the send needs them: where to write and in which zone."""

    member: Member
    chat: bool
    email: str | None


async def readers(db: AsyncSession, community_id: int) -> list[Reader]:
    """Current members who read the digest by DM or by a confirmed email address not set aside."""
    mailable = and_(DigestSubscription.email.is_not(None), DigestSubscription.set_aside_at.is_(None))
    rows = await db.execute(
        select(Member, DigestSubscription.chat, DigestSubscription.email, DigestSubscription.set_aside_at)
        # Only what a copy needs (zone, where to reach them): profiles stay unread for thousands of readers.
        .options(load_only(Member.id, Member.display_name, Member.timezone, Member.reach_on))
        .join(DigestSubscription, DigestSubscription.member_id == Member.id)
        .join(Membership, and_(Membership.member_id == Member.id, Membership.community_id == community_id))
        .where(
            DigestSubscription.community_id == community_id,
            Membership.left_at.is_(None),
            or_(DigestSubscription.chat.is_(True), mailable),
        )
        .order_by(Member.id)
    )
    return [Reader(member, chat, email if aside is None else None) for member, chat, email, aside in rows]


async def count_readers(db: AsyncSession, community_id: int) -> tuple[int, int]:
    """(by direct message, by email) for the coordinators' preview."""
    chat = await db.scalar(
        select(func.count())
        .select_from(DigestSubscription)
        .where(DigestSubscription.community_id == community_id, DigestSubscription.chat.is_(True))
    )
    mail = await db.scalar(
        select(func.count())
        .select_from(DigestSubscription)
        .where(
            DigestSubscription.community_id == community_id,
            DigestSubscription.email.is_not(None),
            DigestSubscription.set_aside_at.is_(None),
        )
    )
    return int(chat or 0), int(mail or 0)


async def by_ids(db: AsyncSession, subscription_ids: Sequence[int]) -> list[DigestSubscription]:
    if not subscription_ids:
        return []
    return list((await db.scalars(select(DigestSubscription).where(DigestSubscription.id.in_(subscription_ids)))).all())


def stop(row: DigestSubscription, now: datetime) -> None:
    """No more digests by direct message or email (a pending address is dropped too)."""
    row.chat = False
    stop_email(row, now)


def stop_email(row: DigestSubscription, now: datetime) -> None:
    row.email = row.pending_email = row.code_hash = None
    row.code_expires_at = row.set_aside_at = None
    row.email_failures = 0
    row.updated_at = now


@dataclass(frozen=True)
class MailResult:
    member_id: int
    status: str
    error: str | None


async def mail_results(db: AsyncSession, community_id: int, since: datetime, origin: str) -> list[MailResult]:
    """How the digest's emails queued since `since` fared, per member (the queue names them in `to_user`)."""
    rows = await db.execute(
        select(OutboundMessage.to_user, OutboundMessage.status, OutboundMessage.error).where(
            OutboundMessage.community_id == community_id,
            OutboundMessage.origin == origin,
            OutboundMessage.created_at >= since,
        )
    )
    return [MailResult(int(to), status, error) for to, status, error in rows if to and str(to).isdigit()]


async def subscriptions_of(
    db: AsyncSession, community_id: int, member_ids: Collection[int]
) -> list[DigestSubscription]:
    if not member_ids:
        return []
    return list(
        (
            await db.scalars(
                select(DigestSubscription).where(
                    DigestSubscription.community_id == community_id, DigestSubscription.member_id.in_(member_ids)
                )
            )
        ).all()
    )
