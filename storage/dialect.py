"""The little that differs between SQLite and PostgreSQL, in one place: which database a session is on, and the
INSERT that knows ON CONFLICT — the one way to add a row that may be there already (another process, a button
pressed twice) without a unique violation."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def on_postgres(db: AsyncSession) -> bool:
    return db.get_bind().dialect.name == "postgresql"


def insert(db: AsyncSession, model: Any) -> PostgresInsert | SqliteInsert:
    """INSERT INTO the model's table, in the session's dialect (both offer on_conflict_do_nothing/_do_update)."""
    return pg_insert(model) if on_postgres(db) else sqlite_insert(model)
