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
from sqlalchemy import Connection, Float, event, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import TypeEngine

from storage import migrate
from storage.db import create_engine
from storage.models import Base
from tests.databases import on_postgres

CHECKOUT = str(Path(__file__).resolve().parents[2])
CULTIVATE = Path(sys.executable).parent / "cultivate"


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


# Search structures the ORM does not model: SQLite's FTS5 tables (and their shadow tables), PostgreSQL's
# expression indexes for text search. Migration 0003 makes them; the directory tests exercise them.
SEARCH_ONLY = (
    "directory_fts",
    "directory_vocab",
    "ix_directory_who",
    "ix_directory_learn",
    "knowledge_fts",
    "knowledge_vocab",
    "ix_knowledge_search",
)


def _same_type(_ctx: Any, _col: Any, _mcol: Any, inspected: TypeEngine[Any], modelled: TypeEngine[Any]) -> bool | None:
    """Alembic's own type comparison, except that Float and Double are one type here: SQLAlchemy 2.1 maps `float`
    to Double, migrations write sa.Float(); both are double precision on PostgreSQL and REAL on SQLite."""
    if isinstance(inspected, Float) and isinstance(modelled, Float):
        return False
    return None


def _diff(connection: Connection) -> list[Any]:
    def include(name: str | None, type_: str, _parent: Any) -> bool:
        return not (name or "").startswith(SEARCH_ONLY)

    context = MigrationContext.configure(connection, opts={"compare_type": _same_type, "include_name": include})
    return compare_metadata(context, Base.metadata)


def _record_ddl(engine: AsyncEngine) -> list[str]:
    """Every schema-changing statement the engine runs from now on."""
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("CREATE", "ALTER", "DROP")):
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    return statements


async def test_an_empty_database_is_migrated_to_exactly_the_models(empty_database_url: str) -> None:
    """Every model table exists, autogenerate finds no difference (types included), a second run changes nothing."""
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
        ddl = _record_ddl(engine)
        await migrate.upgrade(engine)
        assert ddl == [], "a second upgrade must find nothing to do"
        assert await migrate.current_revision(engine) == migrate.head_revision()
    finally:
        await engine.dispose()


async def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    """The embedded database lets the dispatcher read while the outbox writes."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'wal.db'}")
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    finally:
        await engine.dispose()


@pytest.mark.skipif(not on_postgres(), reason="concurrent migration is a PostgreSQL concern (SQLite runs one process)")
async def test_two_processes_starting_at_once_migrate_once(empty_database_url: str) -> None:
    """Three `cultivate db upgrade` started together: one migrates under the advisory lock, the others wait."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CULTIVATE_"))}
    env["DATABASE_URL"] = empty_database_url
    env["PYTHONPATH"] = CHECKOUT  # this checkout's migrations, not the installed ones
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
    """Three engines upgrading at once: the tables are created by exactly one of them."""
    engines = [create_engine(empty_database_url) for _ in range(3)]
    ddl = [_record_ddl(e) for e in engines]
    try:
        await asyncio.gather(*(migrate.upgrade(e) for e in engines))
        assert await migrate.current_revision(engines[0]) == migrate.head_revision()
        creators = [statements for statements in ddl if any("CREATE TABLE delivery" in s for s in statements)]
        assert len(creators) == 1 and sorted(map(len, ddl))[:2] == [0, 0]
    finally:
        for e in engines:
            await e.dispose()


async def test_a_failed_upgrade_reports_its_own_error_and_lets_go_of_the_lock(empty_database_url: str) -> None:
    """The operator sees why the migration failed, and the next process is not left waiting for a lock."""
    engine = create_engine(empty_database_url)
    other = create_engine(empty_database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE community (id INTEGER PRIMARY KEY)"))  # in the way of 0001
        with pytest.raises(DBAPIError, match="already exists"):
            await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) is None
        if on_postgres():
            async with other.connect() as conn:
                taken = await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": migrate._MIGRATION_LOCK})
                assert taken is True, "the failed upgrade still holds the migration lock"
                await conn.execute(text("SELECT pg_advisory_unlock_all()"))
            async with engine.connect() as conn:  # the wait-for-the-lock timeout stayed with the migration
                assert await conn.scalar(text("SHOW lock_timeout")) == "0"
        async with engine.begin() as conn:
            await conn.execute(text("DROP TABLE community"))
        await migrate.upgrade(engine)  # the same engine (and pooled connection) migrates once the way is clear
        assert await migrate.current_revision(other) == migrate.head_revision()
    finally:
        await engine.dispose()
        await other.dispose()
