"""Peer-assist requests and everyone's part in them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AssistParticipant, AssistRequest, AssistStatus

ASKED, OFFERED, FOLLOWING, CREDITED = "asked", "offered", "following", "credited"


async def open_request(
    db: AsyncSession,
    *,
    community_id: int,
    asker_id: int,
    question: str,
    context: str,
    topics: list[str],
    needed_by: str | None,
    now: datetime,
) -> AssistRequest:
    request = AssistRequest(
        community_id=community_id,
        asker_id=asker_id,
        question=question,
        context=context,
        topics=topics,
        needed_by=needed_by,
        status=AssistStatus.OPEN,
        cards=[],
        created_at=now,
    )
    db.add(request)
    await db.flush()
    return request


async def by_id(db: AsyncSession, request_id: int) -> AssistRequest | None:
    return await db.get(AssistRequest, request_id)


async def recent_duplicate(db: AsyncSession, asker_id: int, question: str, since: datetime) -> AssistRequest | None:
    """The same member's open request with the same words, asked since `since`."""
    return await db.scalar(
        select(AssistRequest).where(
            AssistRequest.asker_id == asker_id,
            AssistRequest.status == AssistStatus.OPEN,
            AssistRequest.created_at >= since,
            func.lower(AssistRequest.question) == question.casefold(),
        )
    )


async def listing(
    db: AsyncSession,
    community_id: int,
    *,
    asker_id: int | None = None,
    only_open: bool = True,
    limit: int = 10,
    offset: int = 0,
) -> Sequence[AssistRequest]:
    query = select(AssistRequest).where(AssistRequest.community_id == community_id)
    if asker_id is not None:
        query = query.where(AssistRequest.asker_id == asker_id)
    if only_open:
        query = query.where(AssistRequest.status == AssistStatus.OPEN)
    return (
        await db.scalars(
            query.order_by(AssistRequest.created_at.desc(), AssistRequest.id.desc()).limit(limit).offset(offset)
        )
    ).all()


async def take_part(
    db: AsyncSession, request_id: int, member_id: int, part: str, now: datetime, reason: str = ""
) -> bool:
    """Record a part once; False if the member already had it (a button pressed twice)."""
    try:
        async with db.begin_nested():
            db.add(
                AssistParticipant(request_id=request_id, member_id=member_id, part=part, reason=reason[:300], at=now)
            )
    except IntegrityError:
        return False
    return True


async def members_with(db: AsyncSession, request_id: int, part: str) -> list[int]:
    rows = await db.scalars(
        select(AssistParticipant.member_id)
        .where(AssistParticipant.request_id == request_id, AssistParticipant.part == part)
        .order_by(AssistParticipant.at, AssistParticipant.id)
    )
    return list(rows)


async def asked(db: AsyncSession, request_id: int) -> list[tuple[int, str]]:
    """Who was asked to help with a request, and why, in the order they were asked."""
    rows = await db.execute(
        select(AssistParticipant.member_id, AssistParticipant.reason)
        .where(AssistParticipant.request_id == request_id, AssistParticipant.part == ASKED)
        .order_by(AssistParticipant.at, AssistParticipant.id)
    )
    return [(member_id, reason) for member_id, reason in rows.all()]


async def times_asked(db: AsyncSession, member_ids: Sequence[int], since: datetime) -> dict[int, int]:
    """How often each member was asked as an expert lately: the least asked go first."""
    if not member_ids:
        return {}
    rows = await db.execute(
        select(AssistParticipant.member_id, func.count())
        .where(
            AssistParticipant.member_id.in_(member_ids), AssistParticipant.part == ASKED, AssistParticipant.at >= since
        )
        .group_by(AssistParticipant.member_id)
    )
    return dict(rows.all())


def closed(request: AssistRequest, status: AssistStatus, now: datetime, what_worked: str | None = None) -> None:
    request.status = status
    request.closed_at = now
    if what_worked is not None:
        request.what_worked = what_worked


RECENT = timedelta(days=30)
