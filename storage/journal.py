"""The inbound journal: each authenticated platform event written once, before the platform is acknowledged, then
handled in order per member by claims safe across processes (see storage.claims)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage import claims
from storage.models import InboundEntry, WorkStatus


async def add(
    db: AsyncSession, *, platform: str, event_id: str, lane: str, event: dict[str, Any], now: datetime
) -> int | None:
    """Write the event unless its id was seen before (a retry, a replay); returns its entry id, None if a duplicate."""
    insert = pg_insert if claims.on_postgres(db) else sqlite_insert
    statement = (
        insert(InboundEntry)
        .values(
            platform=platform,
            event_id=event_id,
            lane=lane,
            event=event,
            status=WorkStatus.PENDING,
            attempts=0,
            received_at=now,
        )
        .on_conflict_do_nothing(index_elements=[InboundEntry.platform, InboundEntry.event_id])
        .returning(InboundEntry.id)
    )
    return await db.scalar(statement)


async def claim(db: AsyncSession, now: datetime, lease_until: datetime, *, limit: int) -> list[InboundEntry]:
    """Claim up to `limit` entries, each the oldest unfinished one of its member's lane; commits."""
    return await claims.claim_heads(db, InboundEntry, now, lease_until, limit=limit)


async def finish(db: AsyncSession, entry: InboundEntry, now: datetime, *, error: str | None = None) -> bool:
    """Record the entry as handled (in the handler's own transaction), or failed with the reason."""
    status = WorkStatus.DONE if error is None else WorkStatus.FAILED
    result = await db.execute(
        update(InboundEntry)
        .where(claims.still_ours(InboundEntry, entry))
        .values(status=status, finished_at=now, lease_until=None, error=error)
    )
    return bool(claims.rowcount(result))


async def extend(db: AsyncSession, entries: Sequence[InboundEntry], until: datetime) -> int:
    return await claims.extend(db, InboundEntry, entries, until)


async def release(db: AsyncSession, entries: Sequence[InboundEntry]) -> int:
    return await claims.release(db, InboundEntry, entries)


async def unfinished(db: AsyncSession) -> int:
    """How many entries wait or are being handled (for tests and /metrics)."""
    query = select(func.count()).select_from(InboundEntry).where(InboundEntry.status.in_(claims.UNFINISHED))
    return int(await db.scalar(query) or 0)


async def forget_finished_before(db: AsyncSession, cutoff: datetime) -> int:
    """Drop handled entries: platforms stop retrying within hours, so a few days of ids is plenty."""
    result = await db.execute(
        delete(InboundEntry).where(
            InboundEntry.status.in_((WorkStatus.DONE, WorkStatus.FAILED)), InboundEntry.received_at < cutoff
        )
    )
    return claims.rowcount(result)
