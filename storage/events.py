"""De-duplication of platform events: the same event id is processed once, whatever the retries."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedEvent


async def first_sight(db: AsyncSession, platform: str, event_id: str, now: datetime) -> bool:
    """Record the event; False if it was recorded before (by this process or another)."""
    try:
        async with db.begin_nested():
            db.add(ProcessedEvent(platform=platform, event_id=event_id, processed_at=now))
    except IntegrityError:
        return False
    return True


async def forget_older_than(db: AsyncSession, cutoff: datetime | timedelta, now: datetime | None = None) -> int:
    """Drop old records; platforms stop retrying within hours, so a few days is plenty."""
    if isinstance(cutoff, timedelta):
        assert now is not None
        cutoff = now - cutoff
    result = await db.execute(delete(ProcessedEvent).where(ProcessedEvent.processed_at < cutoff))
    return getattr(result, "rowcount", 0) or 0
