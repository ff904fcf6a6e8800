"""The learning agenda: a community's prioritised topics."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AgendaItem


async def items(db: AsyncSession, community_id: int) -> Sequence[AgendaItem]:
    return (
        await db.scalars(
            select(AgendaItem)
            .where(AgendaItem.community_id == community_id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    ).all()


async def find(db: AsyncSession, community_id: int, topic: str) -> AgendaItem | None:
    return await db.scalar(
        select(AgendaItem).where(
            AgendaItem.community_id == community_id, func.lower(AgendaItem.topic) == topic.casefold()
        )
    )


async def add(
    db: AsyncSession, community_id: int, topic: str, position: int | None, added_by: int, now: datetime
) -> AgendaItem:
    """Add at `position` (1 = top), or at the end; the others move down."""
    current = list(await items(db, community_id))
    index = len(current) if position is None else max(0, min(position - 1, len(current)))
    item = AgendaItem(community_id=community_id, topic=topic, position=0, added_by=added_by, created_at=now)
    db.add(item)
    current.insert(index, item)
    for n, entry in enumerate(current, 1):
        entry.position = n
    await db.flush()
    return item


async def remove(db: AsyncSession, item: AgendaItem) -> None:
    community_id = item.community_id
    await db.delete(item)
    await db.flush()
    for n, entry in enumerate(await items(db, community_id), 1):
        entry.position = n
