"""Test databases: a fresh SQLite file per test, or PostgreSQL when CULTIVATE_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import create_engine
from storage.models import Base

POSTGRES_URL = os.environ.get("CULTIVATE_TEST_DATABASE_URL", "").strip() or None


def on_postgres() -> bool:
    return POSTGRES_URL is not None


def _admin_url() -> str:
    assert POSTGRES_URL is not None
    return make_url(POSTGRES_URL).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


async def _admin(statement: str) -> None:
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await admin.dispose()


async def create_postgres_database() -> str:
    """An empty PostgreSQL database of its own; returns its URL."""
    name = f"cultivate_test_{uuid.uuid4().hex[:12]}"
    await _admin(f'CREATE DATABASE "{name}"')
    return make_url(_admin_url()).set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(url: str) -> None:
    await _admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


@asynccontextmanager
async def new_postgres_database() -> AsyncIterator[str]:
    """An empty PostgreSQL database of its own, dropped afterwards."""
    url = await create_postgres_database()
    try:
        yield url
    finally:
        await drop_postgres_database(url)


async def truncate_all(url: str) -> None:
    """Empty every table of a migrated database, keeping the schema (much faster than migrating per test)."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()
