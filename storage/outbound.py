"""The outbound queue: every message Cultivate sends, written in the transaction that decided it and sent after
commit, in order per lane (see storage.claims); where a message landed is kept so later ones can refer to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, event, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

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


_UNWRITTEN = "outbound.unwritten"  # session.info key: messages queued without an id, written at commit


def queue(db: AsyncSession, **values: Any) -> None:
    """Queue one message nobody will refer to (values: the OutboundMessage columns). It is not written at once:
    the messages queued in a transaction are written together just before it commits (or before a message that
    needs its id), as one multi-row INSERT — a fan-out to N members is one statement, not N round trips."""
    db.info.setdefault(_UNWRITTEN, []).append({"status": WorkStatus.PENDING, "attempts": 0, **values})


def queued_mark(db: AsyncSession) -> int:
    """Where the unwritten messages stand, to drop those queued after it if a savepoint rolls back."""
    return len(db.info.get(_UNWRITTEN, ()))


def drop_queued_since(db: AsyncSession, mark: int) -> None:
    del db.info.get(_UNWRITTEN, [])[mark:]


def _write_unwritten(session: Session) -> None:
    rows = session.info.pop(_UNWRITTEN, None)
    if rows:
        session.execute(insert(OutboundMessage), rows)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    _write_unwritten(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous: SessionTransaction) -> None:
    # Only the whole transaction: a savepoint's own messages are dropped by whoever opened it (drop_queued_since).
    if previous.parent is None:
        session.info.pop(_UNWRITTEN, None)


async def add(db: AsyncSession, **values: Any) -> int:
    """Queue one message and write it now (after those queued before it); returns its id."""
    await db.run_sync(_write_unwritten)
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
    # `platform || ''`: not a column the planner may pick an index for (ix_outbound_platform_ref would make it read
    # and sort every pending message); the pick walks ix_outbound_work in order instead (storage.claims).
    ready = (OutboundMessage.not_before <= now) & OutboundMessage.platform.concat("").in_(platforms)
    return await claims.claim_heads(
        db, OutboundMessage, now, lease_until, limit=limit, ready=ready, order=(OutboundMessage.priority,)
    )


async def extend(db: AsyncSession, rows: Sequence[OutboundMessage], until: datetime) -> int:
    return await claims.extend(db, OutboundMessage, rows, until)


async def release(db: AsyncSession, rows: Sequence[OutboundMessage]) -> int:
    return await claims.release(db, OutboundMessage, rows)


@dataclass(frozen=True)
class Outcome:
    """How sending one claimed message went: "sent" (where it landed), "retry" (at `at`) or "failed"."""

    claim: OutboundMessage
    kind: str
    at: datetime
    ref: str | None = None
    channel: str | None = None
    error: str = ""


_TABLE = cast(Table, OutboundMessage.__table__)
_STILL_OURS = and_(
    _TABLE.c.id == bindparam("o_id"),
    _TABLE.c.status == WorkStatus.CLAIMED,
    _TABLE.c.attempts == bindparam("o_attempts"),
)
_RECORD = {
    "sent": update(_TABLE)
    .where(_STILL_OURS)
    .values(
        status=WorkStatus.DONE,
        sent_at=bindparam("o_at"),
        lease_until=None,
        platform_ref=bindparam("o_ref"),
        platform_channel=bindparam("o_channel"),
        error=None,
    ),
    "retry": update(_TABLE)
    .where(_STILL_OURS)
    .values(status=WorkStatus.PENDING, not_before=bindparam("o_at"), lease_until=None, error=bindparam("o_error")),
    "failed": update(_TABLE)
    .where(_STILL_OURS)
    .values(status=WorkStatus.FAILED, sent_at=bindparam("o_at"), lease_until=None, error=bindparam("o_error")),
}


async def record(db: AsyncSession, outcomes: Sequence[Outcome]) -> int | None:
    """Record many outcomes in one transaction, one executemany per kind (the sender's group commit), each only if
    still held by its claim (as storage.claims.still_ours). Returns how many were kept, None if the driver cannot
    say."""
    kept: int | None = 0
    for kind, statement in _RECORD.items():
        params = [
            {
                "o_id": o.claim.id,
                "o_attempts": o.claim.attempts,
                "o_at": o.at,
                "o_ref": o.ref,
                "o_channel": o.channel,
                "o_error": o.error[:1000],
            }
            for o in outcomes
            if o.kind == kind
        ]
        if not params:
            continue
        result = await db.execute(statement, params)
        count = int(getattr(result, "rowcount", -1))
        kept = None if kept is None or count < 0 else kept + count
    return kept


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
