"""The community's knowledge items (the library searches them)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import KnowledgeItem


async def keep(db: AsyncSession, *, community_id: int, kind: str, title: str, body: str, tags: list[str],
               source: str, added_by: int | None, now: datetime, url: str | None = None) -> KnowledgeItem:
    item = KnowledgeItem(community_id=community_id, kind=kind, title=title[:300], body=body, tags=tags, source=source,
                         added_by=added_by, url=url, created_at=now)
    db.add(item)
    await db.flush()
    return item


async def by_source(db: AsyncSession, source: str) -> Sequence[KnowledgeItem]:
    return (await db.scalars(select(KnowledgeItem).where(KnowledgeItem.source == source))).all()
