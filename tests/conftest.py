"""Fixtures: a database per test (SQLite, or PostgreSQL via CULTIVATE_TEST_DATABASE_URL), a clock, a console bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import migrate
from storage.db import create_engine
from tests.databases import (
    create_postgres_database,
    drop_postgres_database,
    new_postgres_database,
    on_postgres,
    truncate_all,
)
from tests.harness import ConsoleBot

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def _postgres_database() -> Iterator[str | None]:
    """One migrated PostgreSQL database for the whole run; tests empty it before they start."""
    if not on_postgres():
        yield None
        return

    async def create() -> str:
        url = await create_postgres_database()
        engine = create_engine(url)
        await migrate.upgrade(engine)
        await engine.dispose()
        return url

    url = asyncio.run(create())
    yield url
    asyncio.run(drop_postgres_database(url))


@pytest.fixture
async def database_url(tmp_path: Path, _postgres_database: str | None) -> str:
    """A migrated, empty database."""
    if _postgres_database is not None:
        await truncate_all(_postgres_database)
        return _postgres_database
    return f"sqlite+aiosqlite:///{tmp_path / 'cultivate.db'}"


@pytest.fixture
async def empty_database_url(tmp_path: Path) -> AsyncIterator[str]:
    """A database with no schema at all, for migration tests."""
    if on_postgres():
        async with new_postgres_database() as url:
            yield url
    else:
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"


@pytest.fixture
async def bot(database_url: str) -> AsyncIterator[ConsoleBot]:
    """The bot on the console adapter with a manual clock; Ada coordinates the built-in community."""
    harness = await ConsoleBot.open(database_url, START)
    yield harness
    await harness.close()
