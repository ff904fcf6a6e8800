"""SQLite stays responsive under writes: WAL, a busy timeout that waits for the lock instead of failing, NORMAL
syncing and passive checkpoints. Every transaction takes the write lock as it begins (BEGIN IMMEDIATE: work reads
inside savepoints before it writes, and would otherwise fail with a stale snapshot), so they take turns — waiting,
never failing."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select, text

from storage.db import SQLITE_BUSY_TIMEOUT_MS, create_engine, session_factory
from storage.models import Community
from tests.conftest import START


async def test_each_connection_gets_the_settings(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'settings.db'}")
    try:
        async with engine.connect() as conn:

            async def pragma(name: str) -> object:
                return (await conn.execute(text(f"PRAGMA {name}"))).scalar()

            assert await pragma("journal_mode") == "wal"
            assert await pragma("busy_timeout") == SQLITE_BUSY_TIMEOUT_MS
            assert await pragma("synchronous") == 1  # NORMAL
            assert await pragma("foreign_keys") == 1
            assert await pragma("wal_autocheckpoint") == 1000
            assert await pragma("temp_store") == 2  # MEMORY
    finally:
        await engine.dispose()


async def test_a_second_writer_and_a_reader_wait_for_the_first_and_neither_fails(tmp_path: Path) -> None:
    """Amina's command holds the write lock; Baraka's write and Chidi's read wait their turn and succeed."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'busy.db'}"
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: Community.__table__.create(sync))
    sessions = session_factory(engine)

    async def count() -> int:
        async with sessions() as db:
            return int(await db.scalar(select(func.count()).select_from(Community)) or 0)

    async def write(slug: str) -> None:
        async with sessions() as db:
            db.add(Community(slug=slug, name=slug, created_at=START))
            await db.commit()

    try:
        async with sessions() as first:
            first.add(Community(slug="amina", name="Amina", created_at=START))
            await first.flush()  # the write lock is taken here and held until commit
            second = asyncio.create_task(write("baraka"))
            reader = asyncio.create_task(count())
            done, _ = await asyncio.wait([second, reader], timeout=0.3)
            assert not done, "the second writer and the reader wait for the lock, they do not fail"
            await first.commit()
        await asyncio.wait_for(second, timeout=10)
        assert await asyncio.wait_for(reader, timeout=10) in (1, 2), "the reader saw committed work only"
        async with sessions() as db:
            assert set((await db.scalars(select(Community.slug))).all()) == {"amina", "baraka"}
    finally:
        await engine.dispose()
