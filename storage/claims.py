"""What the inbound journal and the outbound queue share: claiming the head of each lane with a lease.

A row is claimable when it is pending (and due), or claimed by a process whose lease ran out; and only when no
earlier row of its lane is still unfinished, so each lane is worked in order, one row at a time. The claim is one
UPDATE ... RETURNING over a MATERIALIZED pick: on PostgreSQL with FOR UPDATE SKIP LOCKED (replicas claim side by
side), on SQLite under its single writer. `attempts` is the fencing token: every claim increments it, and a process
whose lease ran out cannot record over the one that took over."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Result, and_, exists, or_, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import InboundEntry, OutboundMessage, WorkStatus

Row = TypeVar("Row", InboundEntry, OutboundMessage)
UNFINISHED = (WorkStatus.PENDING, WorkStatus.CLAIMED)


def on_postgres(db: AsyncSession) -> bool:
    return db.get_bind().dialect.name == "postgresql"


def rowcount(result: Result[Any]) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def claim_heads(
    db: AsyncSession,
    model: type[Row],
    now: datetime,
    lease_until: datetime,
    *,
    limit: int,
    ready: ColumnElement[bool] | None = None,
    order: Sequence[Any] = (),
) -> list[Row]:
    """Claim up to `limit` lane heads that are ready; commits the claim."""
    earlier = aliased(model)
    pending = model.status == WorkStatus.PENDING
    expired = and_(model.status == WorkStatus.CLAIMED, model.lease_until < now)
    claimable = or_(pending, expired)
    if ready is not None:
        claimable = and_(claimable, ready)
    head = ~exists().where(earlier.lane == model.lane, earlier.id < model.id, earlier.status.in_(UNFINISHED))

    # Pending rows and rows whose lease ran out are picked apart, each in index order (status, priority, id) so the
    # scan stops after `limit`; one pick over both (an OR) made the database sort every pending row on each claim —
    # thousands of rows per claim during a fan-out.
    def pick(status: ColumnElement[bool]) -> Any:
        query = select(model.id, *order).where(status, head, *(() if ready is None else (ready,)))
        query = query.order_by(*order, model.id).limit(limit)
        if on_postgres(db):
            query = query.with_for_update(skip_locked=True, of=model)
        return select(query.subquery())

    both = union_all(pick(pending), pick(expired)).subquery()
    keys = [both.c[column.key] for column in order]
    picked = select(both.c.id).order_by(*keys, both.c.id).limit(limit).cte("picked").prefix_with("MATERIALIZED")
    claim = (
        update(model)
        .where(model.id == picked.c.id, claimable)
        .values(status=WorkStatus.CLAIMED, lease_until=lease_until, attempts=model.attempts + 1)
        .returning(model)
    )
    rows = sorted((await db.scalars(claim)).all(), key=lambda row: row.id)
    await db.commit()
    return list(rows)


def still_ours(model: type[Row], claim: Row) -> ColumnElement[bool]:
    """The row is still held by this claim: not finished since, nor taken over after the lease ran out."""
    return and_(model.id == claim.id, model.status == WorkStatus.CLAIMED, model.attempts == claim.attempts)


async def extend(db: AsyncSession, model: type[Row], claims: Sequence[Row], until: datetime) -> int:
    """Renew the leases of claims still being worked (the heartbeat)."""
    renewed = 0
    for claim in claims:
        result = await db.execute(update(model).where(still_ours(model, claim)).values(lease_until=until))
        renewed += rowcount(result)
    return renewed


async def release(db: AsyncSession, model: type[Row], claims: Sequence[Row]) -> int:
    """Give back claims that will not be finished here: pending again, as if never claimed."""
    released = 0
    for claim in claims:
        result = await db.execute(
            update(model)
            .where(still_ours(model, claim))
            .values(status=WorkStatus.PENDING, lease_until=None, attempts=model.attempts - 1)
        )
        released += rowcount(result)
    return released
