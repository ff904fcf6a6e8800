"""Who was at a webinar (they said so, or rated it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Attendance


async def mark(db: AsyncSession, webinar_id: int, member_id: int, at: datetime) -> bool:
    """Note that the member was there; False if that was known already (a button pressed twice)."""
    if await was_there(db, webinar_id, member_id):
        return False
    try:
        async with db.begin_nested():
            db.add(Attendance(webinar_id=webinar_id, member_id=member_id, at=at))
    except IntegrityError:
        return False
    return True


async def was_there(db: AsyncSession, webinar_id: int, member_id: int) -> bool:
    found = await db.scalar(
        select(Attendance.id).where(Attendance.webinar_id == webinar_id, Attendance.member_id == member_id)
    )
    return found is not None


async def count(db: AsyncSession, webinar_id: int) -> int:
    return await db.scalar(select(func.count()).where(Attendance.webinar_id == webinar_id)) or 0
