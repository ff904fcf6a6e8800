"""The log of exports containing personal data, which coordinators read with /cop audit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ExportLog


async def log_export(
    db: AsyncSession,
    *,
    what: str,
    actor: str,
    now: datetime,
    member_id: int | None = None,
    community_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> ExportLog:
    """Note that `actor` took `what` out of Cultivate (a community's, or everyone's when community_id is None)."""
    entry = ExportLog(
        what=what, actor=actor, at=now, member_id=member_id, community_id=community_id, detail=detail or {}
    )
    db.add(entry)
    await db.flush()
    return entry


async def entries(db: AsyncSession, community_id: int, *, limit: int, offset: int = 0) -> Sequence[ExportLog]:
    """Exports touching this community (and those of every community, from the command line), newest first."""
    return (
        await db.scalars(
            select(ExportLog)
            .where(or_(ExportLog.community_id == community_id, ExportLog.community_id.is_(None)))
            .order_by(ExportLog.at.desc(), ExportLog.id.desc())
            .limit(limit)
            .offset(offset)
        )
    ).all()
