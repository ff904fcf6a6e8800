"""The activity log: who did what, when — never what they wrote."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Activity


async def record(
    db: AsyncSession,
    kind: str,
    at: datetime,
    *,
    community_id: int | None = None,
    member_id: int | None = None,
    subject: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    db.add(Activity(kind=kind, at=at, community_id=community_id, member_id=member_id, subject=subject, data=data or {}))


async def count(db: AsyncSession, kind: str, community_id: int | None = None) -> int:
    query = select(func.count()).select_from(Activity).where(Activity.kind == kind)
    if community_id is not None:
        query = query.where(Activity.community_id == community_id)
    return await db.scalar(query) or 0
