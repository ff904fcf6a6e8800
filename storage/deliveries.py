"""The delivery outbox: schedule, claim (safe across processes), and record how each one ended."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Result, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import dialect
from storage.models import Delivery, DeliveryStatus


def _seconds(span: timedelta | None) -> int | None:
    # Zero is a real window ("only at its moment"), not "forever".
    return None if span is None else max(0, int(span.total_seconds()))


def _rowcount(result: Result[Any]) -> int:
    # DML results are cursor results; the declared type is the general Result.
    return int(getattr(result, "rowcount", 0) or 0)


async def schedule(
    db: AsyncSession,
    *,
    kind: str,
    key: str,
    due_at: datetime,
    now: datetime,
    payload: dict[str, Any] | None = None,
    community_id: int | None = None,
    useful_for: timedelta | None = None,
    replace: bool = False,
) -> bool:
    """Add a delivery unless one with the same key exists; with `replace`, a pending one is moved instead.

    Returns True if a delivery was added or moved."""
    values = {
        "kind": kind,
        "key": key,
        "due_at": due_at,
        "payload": payload or {},
        "community_id": community_id,
        "useful_for": _seconds(useful_for),
        "status": DeliveryStatus.PENDING,
        "attempts": 0,
        "created_at": now,
    }
    statement = dialect.insert(db, Delivery).values(**values)
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
    """Claim up to `limit` due deliveries for this process, oldest first, and commit the claim.

    A claim is a lease: if the process dies mid-send, the row becomes claimable again when the lease runs out.
    The claim is one UPDATE ... RETURNING, so two claimers never take the same row: on PostgreSQL the rows are
    picked with FOR UPDATE SKIP LOCKED (several processes claim side by side, none waits); on SQLite the
    statement holds the write lock from picking the rows to marking them. The pick is a MATERIALIZED CTE: as an
    `IN (subquery)` PostgreSQL may re-run the LIMIT for every row it scans and claim far more than `limit`."""
    due = or_(
        and_(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= now),
        and_(Delivery.status == DeliveryStatus.CLAIMED, Delivery.lease_until < now),
    )
    pick = select(Delivery.id).where(due).order_by(Delivery.due_at, Delivery.id).limit(limit)
    if dialect.on_postgres(db):
        pick = pick.with_for_update(skip_locked=True)
    picked = pick.cte("picked").prefix_with("MATERIALIZED")
    claim = (
        update(Delivery)
        .where(Delivery.id == picked.c.id, due)
        .values(status=DeliveryStatus.CLAIMED, lease_until=now + lease, attempts=Delivery.attempts + 1)
        .returning(Delivery)
    )
    rows = sorted((await db.scalars(claim)).all(), key=lambda row: (row.due_at, row.id))
    await db.commit()
    return rows


def _still_ours(claim: Delivery) -> ColumnElement[bool]:
    """The row is still held by this claim: not finished since, nor taken over after the lease ran out.

    `attempts` is the fencing token: every claim increments it, so a process that lost its lease while sending
    cannot overwrite what the process that took over recorded (and cannot revive a sent delivery)."""
    return and_(
        Delivery.id == claim.id,
        Delivery.status == DeliveryStatus.CLAIMED,
        Delivery.attempts == claim.attempts,
    )


async def _finish(
    db: AsyncSession,
    claim: Delivery,
    status: DeliveryStatus,
    now: datetime,
    error: str | None = None,
) -> bool:
    result = await db.execute(
        update(Delivery)
        .where(_still_ours(claim))
        .values(status=status, finished_at=now, lease_until=None, last_error=error)
    )
    return bool(_rowcount(result))


async def mark_sent(db: AsyncSession, claim: Delivery, now: datetime) -> bool:
    """Record a claimed delivery as sent; False if the claim was lost meanwhile (nothing is changed then)."""
    return await _finish(db, claim, DeliveryStatus.SENT, now)


async def mark_failed(db: AsyncSession, claim: Delivery, now: datetime, error: str) -> bool:
    return await _finish(db, claim, DeliveryStatus.FAILED, now, error)


async def mark_skipped(db: AsyncSession, claim: Delivery, now: datetime, reason: str) -> bool:
    return await _finish(db, claim, DeliveryStatus.SKIPPED, now, reason)


async def retry_later(
    db: AsyncSession,
    claim: Delivery,
    at: datetime,
    error: str,
    *,
    useful_for: timedelta | None = None,
) -> bool:
    """Put a claimed delivery back for another attempt at `at`; `useful_for` counts from `at`, so the caller keeps
    the original deadline by passing what is left of it."""
    result = await db.execute(
        update(Delivery)
        .where(_still_ours(claim))
        .values(
            status=DeliveryStatus.PENDING,
            due_at=at,
            lease_until=None,
            last_error=error,
            useful_for=_seconds(useful_for),
        )
    )
    return bool(_rowcount(result))


async def release(db: AsyncSession, claims: Sequence[Delivery]) -> int:
    """Give back claims that were never started: pending again, as if they had not been claimed."""
    released = 0
    for claim in claims:
        result = await db.execute(
            update(Delivery)
            .where(_still_ours(claim))
            .values(status=DeliveryStatus.PENDING, lease_until=None, attempts=Delivery.attempts - 1)
        )
        released += _rowcount(result)
    return released


def useful_until(delivery: Delivery) -> datetime | None:
    """After this moment the delivery is no longer worth sending; None: it always is."""
    return None if delivery.useful_for is None else delivery.due_at + timedelta(seconds=delivery.useful_for)


async def by_key(db: AsyncSession, key: str) -> Delivery | None:
    return await db.scalar(select(Delivery).where(Delivery.key == key))


async def problems(db: AsyncSession, community_id: int | None, *, limit: int, offset: int = 0) -> Sequence[Delivery]:
    """Failed and skipped deliveries, newest first: what coordinators should know went wrong."""
    query = select(Delivery).where(Delivery.status.in_((DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)))
    if community_id is not None:
        query = query.where(or_(Delivery.community_id == community_id, Delivery.community_id.is_(None)))
    return (
        await db.scalars(query.order_by(Delivery.finished_at.desc(), Delivery.id.desc()).limit(limit).offset(offset))
    ).all()


async def retry_failed(db: AsyncSession, delivery_id: int, community_id: int, now: datetime) -> bool:
    """A coordinator's retry of a scheduled delivery that failed: due again now, with fresh attempts; False if it is
    not a failed delivery of this community."""
    result = await db.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == DeliveryStatus.FAILED,
            Delivery.community_id == community_id,
        )
        .values(status=DeliveryStatus.PENDING, attempts=0, due_at=now, lease_until=None, finished_at=None)
    )
    return bool(_rowcount(result))
