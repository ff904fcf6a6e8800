"""The delivery outbox: schedule, claim (safe across processes), and record how each one ended."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Result, and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery, DeliveryStatus

def _on_postgres(db: AsyncSession) -> bool:
    return db.get_bind().dialect.name == "postgresql"


def _rowcount(result: Result[Any]) -> int:
    # DML results are cursor results; the declared type is the general Result.
    return int(getattr(result, "rowcount", 0) or 0)


async def schedule(
    db: AsyncSession, *, kind: str, key: str, due_at: datetime, now: datetime, payload: dict[str, Any] | None = None,
    community_id: int | None = None, useful_for: timedelta | None = None, replace: bool = False,
) -> bool:
    """Add a delivery unless one with the same key exists; with `replace`, a pending one is moved instead.

    Returns True if a delivery was added or moved."""
    values = dict(
        kind=kind, key=key, due_at=due_at, payload=payload or {}, community_id=community_id,
        useful_for=int(useful_for.total_seconds()) if useful_for else None, status=DeliveryStatus.PENDING,
        attempts=0, created_at=now,
    )
    insert = pg_insert if _on_postgres(db) else sqlite_insert
    statement = insert(Delivery).values(**values)
    if replace:
        statement = statement.on_conflict_do_update(
            index_elements=[Delivery.key],
            set_={k: statement.excluded[k] for k in ("due_at", "payload", "useful_for", "kind")}
            | {"status": DeliveryStatus.PENDING, "attempts": 0, "last_error": None, "lease_until": None},
            where=Delivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.CANCELLED)),
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=[Delivery.key])
    result = await db.execute(statement)
    return bool(_rowcount(result))


async def cancel(db: AsyncSession, key: str, now: datetime) -> bool:
    result = await db.execute(
        update(Delivery)
        .where(Delivery.key == key, Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.CANCELLED, finished_at=now)
    )
    return bool(_rowcount(result))


async def claim_due(db: AsyncSession, now: datetime, *, limit: int, lease: timedelta) -> Sequence[Delivery]:
    """Claim up to `limit` due deliveries for this process, and commit the claim.

    A claim is a lease: if the process dies mid-send, the row becomes claimable again when the lease runs out.
    On PostgreSQL, FOR UPDATE SKIP LOCKED lets several processes claim side by side without taking the same row."""
    due = or_(
        and_(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= now),
        and_(Delivery.status == DeliveryStatus.CLAIMED, Delivery.lease_until < now),
    )
    query = select(Delivery).where(due).order_by(Delivery.due_at, Delivery.id).limit(limit)
    if _on_postgres(db):
        query = query.with_for_update(skip_locked=True)
    rows = (await db.scalars(query)).all()
    for row in rows:
        row.status = DeliveryStatus.CLAIMED
        row.lease_until = now + lease
        row.attempts += 1
    await db.commit()
    return rows


async def _finish(db: AsyncSession, delivery_id: int, status: DeliveryStatus, now: datetime, error: str | None = None) -> None:
    await db.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(status=status, finished_at=now, lease_until=None, last_error=error)
    )


async def mark_sent(db: AsyncSession, delivery_id: int, now: datetime) -> None:
    await _finish(db, delivery_id, DeliveryStatus.SENT, now)


async def mark_failed(db: AsyncSession, delivery_id: int, now: datetime, error: str) -> None:
    await _finish(db, delivery_id, DeliveryStatus.FAILED, now, error)


async def mark_skipped(db: AsyncSession, delivery_id: int, now: datetime, reason: str) -> None:
    await _finish(db, delivery_id, DeliveryStatus.SKIPPED, now, reason)


async def retry_later(db: AsyncSession, delivery_id: int, at: datetime, error: str) -> None:
    await db.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(status=DeliveryStatus.PENDING, due_at=at, lease_until=None, last_error=error)
    )


async def by_key(db: AsyncSession, key: str) -> Delivery | None:
    return await db.scalar(select(Delivery).where(Delivery.key == key))


async def problems(db: AsyncSession, community_id: int | None, *, limit: int, offset: int = 0) -> Sequence[Delivery]:
    """Failed and skipped deliveries, newest first: what coordinators should know went wrong."""
    query = select(Delivery).where(Delivery.status.in_((DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)))
    if community_id is not None:
        query = query.where(or_(Delivery.community_id == community_id, Delivery.community_id.is_(None)))
    return (await db.scalars(query.order_by(Delivery.finished_at.desc(), Delivery.id.desc()).limit(limit).offset(offset))).all()

