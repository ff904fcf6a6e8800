"""How many rows the database holds, all tables together: what an unauthenticated request must never change."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Base

_COUNT_ALL = "SELECT " + " + ".join(f'(SELECT count(*) FROM "{t.name}")' for t in Base.metadata.sorted_tables)


async def rows(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as db:
        return int(await db.scalar(text(_COUNT_ALL)) or 0)
