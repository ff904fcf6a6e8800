"""The digest's storage: its plan, the issues sent and what they carried, and its readers (chat and email). The
records a digest is written from are read in storage.digest_sections."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only

from storage.models import (
    Cadence,
    DigestIssue,
    DigestItem,
    DigestPlan,
    DigestSubscription,
    Member,
    Membership,
    OutboundMessage,
)


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
        # Only what a copy needs (zone, language, where to reach them): profiles stay unread for thousands of readers.
        .options(
            load_only(
                Member.id,
                Member.display_name,
                Member.timezone,
                Member.reach_on,
                Member.language,
                Member.platform_locale,
            )
        )
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
