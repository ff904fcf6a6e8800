"""The outbound queue: every message Cultivate sends, written in the transaction that decided it and sent after
commit, in order per lane (see storage.claims); where a message landed is kept so later ones can refer to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import claims
from storage.models import OutboundMessage, WorkStatus

LOGICAL = "o:"  # "o:<id>": a message of this queue, resolved to the platform's reference when it is needed


def logical(message_id: int) -> str:
    return f"{LOGICAL}{message_id}"


def logical_id(ref: str | None) -> int | None:
    """The queue id inside "o:<id>", or None for a platform's own reference."""
    if ref is None or not ref.startswith(LOGICAL) or not ref[len(LOGICAL) :].isdigit():
        return None
    return int(ref[len(LOGICAL) :])


async def add(db: AsyncSession, **values: Any) -> int:
    """Queue one message (values: the OutboundMessage columns); returns its id."""
    row = OutboundMessage(status=WorkStatus.PENDING, attempts=0, **values)
    db.add(row)
    await db.flush()
    return row.id


async def add_many(db: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Queue many messages in one statement (a newsletter's fan-out); their ids are not needed back."""
    if rows:
        await db.execute(insert(OutboundMessage), [{"status": WorkStatus.PENDING, "attempts": 0, **r} for r in rows])


async def claim(
    db: AsyncSession, now: datetime, lease_until: datetime, *, limit: int, platforms: Sequence[str]
) -> list[OutboundMessage]:
    """Claim up to `limit` lane heads that are due, answers to people first; commits."""
    ready = (OutboundMessage.not_before <= now) & OutboundMessage.platform.in_(platforms)
    return await claims.claim_heads(
        db, OutboundMessage, now, lease_until, limit=limit, ready=ready, order=(OutboundMessage.priority,)
    )


async def mark_sent(
    db: AsyncSession, claim: OutboundMessage, now: datetime, ref: str | None, channel: str | None
) -> bool:
    result = await db.execute(
        update(OutboundMessage)
        .where(claims.still_ours(OutboundMessage, claim))
        .values(
            status=WorkStatus.DONE,
            sent_at=now,
            lease_until=None,
            platform_ref=ref,
            platform_channel=channel,
            error=None,
        )
    )
    return bool(claims.rowcount(result))


async def mark_failed(db: AsyncSession, claim: OutboundMessage, now: datetime, error: str) -> bool:
    result = await db.execute(
        update(OutboundMessage)
        .where(claims.still_ours(OutboundMessage, claim))
        .values(status=WorkStatus.FAILED, sent_at=now, lease_until=None, error=error[:1000])
    )
    return bool(claims.rowcount(result))


async def retry_at(db: AsyncSession, claim: OutboundMessage, at: datetime, error: str) -> bool:
    """Back to pending, to be tried again at `at` (its lane waits behind it, keeping order)."""
    result = await db.execute(
        update(OutboundMessage)
        .where(claims.still_ours(OutboundMessage, claim))
        .values(status=WorkStatus.PENDING, not_before=at, lease_until=None, error=error[:1000])
    )
    return bool(claims.rowcount(result))


async def extend(db: AsyncSession, rows: Sequence[OutboundMessage], until: datetime) -> int:
    return await claims.extend(db, OutboundMessage, rows, until)


async def release(db: AsyncSession, rows: Sequence[OutboundMessage]) -> int:
    return await claims.release(db, OutboundMessage, rows)


@dataclass(frozen=True)
class Landed:
    """Where an earlier message of the queue ended up, if it was sent."""

    status: str
    ref: str | None
    channel: str | None


async def landed(db: AsyncSession, message_id: int) -> Landed | None:
    row = (
        await db.execute(
            select(OutboundMessage.status, OutboundMessage.platform_ref, OutboundMessage.platform_channel).where(
                OutboundMessage.id == message_id
            )
        )
    ).first()
    return None if row is None else Landed(row[0], row[1], row[2])


async def logical_refs(db: AsyncSession, platform: str, channel: str, platform_ref: str) -> list[str]:
    """The queue's names ("o:<id>") for a message the platform knows as `platform_ref` in `channel`: a thread a
    member replies in is found whichever name a routine kept for its root."""
    rows = await db.scalars(
        select(OutboundMessage.id).where(
            OutboundMessage.platform == platform,
            OutboundMessage.platform_ref == platform_ref,
            or_(OutboundMessage.channel == channel, OutboundMessage.platform_channel == channel),
        )
    )
    return [logical(i) for i in rows]


async def waiting(db: AsyncSession) -> int:
    """How many messages wait or are being sent (for tests and /metrics)."""
    query = select(func.count()).select_from(OutboundMessage).where(OutboundMessage.status.in_(claims.UNFINISHED))
    return int(await db.scalar(query) or 0)


async def due(db: AsyncSession, now: datetime) -> int:
    """How many messages are being sent or may be sent now."""
    query = (
        select(func.count())
        .select_from(OutboundMessage)
        .where(
            or_(
                OutboundMessage.status == WorkStatus.CLAIMED,
                (OutboundMessage.status == WorkStatus.PENDING) & (OutboundMessage.not_before <= now),
            )
        )
    )
    return int(await db.scalar(query) or 0)


async def next_due(db: AsyncSession) -> datetime | None:
    """When the earliest pending message may be tried."""
    return await db.scalar(
        select(func.min(OutboundMessage.not_before)).where(OutboundMessage.status == WorkStatus.PENDING)
    )


async def failures(
    db: AsyncSession, community_id: int | None, *, limit: int, offset: int = 0
) -> Sequence[OutboundMessage]:
    """Messages that could not be sent, newest first: what coordinators should know went wrong."""
    query = select(OutboundMessage).where(OutboundMessage.status == WorkStatus.FAILED)
    if community_id is not None:
        query = query.where(or_(OutboundMessage.community_id == community_id, OutboundMessage.community_id.is_(None)))
    query = query.order_by(OutboundMessage.sent_at.desc(), OutboundMessage.id.desc()).limit(limit).offset(offset)
    return (await db.scalars(query)).all()


async def forget_sent_before(db: AsyncSession, cutoff: datetime) -> int:
    result = await db.execute(
        delete(OutboundMessage).where(
            OutboundMessage.status.in_((WorkStatus.DONE, WorkStatus.FAILED)), OutboundMessage.created_at < cutoff
        )
    )
    return claims.rowcount(result)


async def retry_failed(db: AsyncSession, message_id: int, community_id: int, now: datetime) -> bool:
    """A coordinator's retry of a message that failed: pending again now, with fresh attempts; False if it is not a
    failed message of this community."""
    result = await db.execute(
        update(OutboundMessage)
        .where(
            OutboundMessage.id == message_id,
            OutboundMessage.status == WorkStatus.FAILED,
            OutboundMessage.community_id == community_id,
        )
        .values(status=WorkStatus.PENDING, attempts=0, not_before=now, lease_until=None, error=None, sent_at=None)
    )
    return bool(claims.rowcount(result))
