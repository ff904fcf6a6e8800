"""Migrations: an empty database reaches the models' schema, once, even when two processes start together."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from storage import migrate
from storage.db import create_engine
from storage.models import Base
from tests.databases import on_postgres

CULTIVATE = Path(sys.executable).parent / "cultivate"


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


# Search structures the ORM does not model: SQLite's FTS5 tables (and their shadow tables), PostgreSQL's
# expression indexes for text search. Migration 0003 makes them; the directory tests exercise them.
SEARCH_ONLY = (
    "directory_fts", "directory_vocab", "ix_directory_who", "ix_directory_learn", "knowledge_fts", "knowledge_vocab",
    "ix_knowledge_search",
)


def _diff(connection: Connection) -> list[Any]:
    def include(name: str | None, type_: str, _parent: Any) -> bool:
        return not (name or "").startswith(SEARCH_ONLY)

    context = MigrationContext.configure(connection, opts={"compare_type": False, "include_name": include})
    return compare_metadata(context, Base.metadata)


async def test_an_empty_database_is_migrated_to_exactly_the_models(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        assert await migrate.current_revision(engine) is None
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            tables = await conn.run_sync(_tables)
            diff = await conn.run_sync(_diff)
        assert set(Base.metadata.tables) <= tables
        assert diff == [], f"migrations and models disagree: {diff}"
        assert await migrate.current_revision(engine) == migrate.head_revision()
        await migrate.upgrade(engine)  # a second upgrade finds nothing to do
        assert await migrate.current_revision(engine) == migrate.head_revision()
    finally:
        await engine.dispose()


async def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'wal.db'}")
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    finally:
        await engine.dispose()


@pytest.mark.skipif(not on_postgres(), reason="concurrent migration is a PostgreSQL concern (SQLite runs one process)")
async def test_two_processes_starting_at_once_migrate_once(empty_database_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CULTIVATE_"))}
    env["DATABASE_URL"] = empty_database_url
    procs = [
        await asyncio.create_subprocess_exec(
            str(CULTIVATE), "db", "upgrade", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    results = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in procs)), timeout=120)
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err.decode()
        assert f"Database is at revision {migrate.head_revision()}." in out.decode()
    engine = create_engine(empty_database_url)
    try:
        async with engine.connect() as conn:
            versions = (await conn.execute(text("SELECT count(*) FROM alembic_version"))).scalar()
        assert versions == 1
    finally:
        await engine.dispose()


@pytest.mark.skipif(not on_postgres(), reason="PostgreSQL only")
async def test_concurrent_upgrades_in_one_process_also_serialise(empty_database_url: str) -> None:
    engines = [create_engine(empty_database_url) for _ in range(3)]
    try:
        await asyncio.gather(*(migrate.upgrade(e) for e in engines))
        assert await migrate.current_revision(engines[0]) == migrate.head_revision()
    finally:
        for e in engines:
            await e.dispose()
