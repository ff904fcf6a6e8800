"""The async engine and sessions: SQLite in WAL mode by default, PostgreSQL in production."""

from __future__ import annotations

import functools
import re
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.util.concurrency import await_only

from storage.write_turns import WriteTurns

DEFAULT_URL = "sqlite+aiosqlite:///cultivate.db"

# SQLite, per connection. A writer that finds the write lock taken waits (SQLite retries with short sleeps) for up
# to this long rather than failing at once with "database is locked"; transactions are meant to be far shorter.
SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_PRAGMAS = (
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    "PRAGMA foreign_keys=ON",
    # WAL: readers never wait for the writer. NORMAL syncs at checkpoints, not at every commit: a power cut can
    # lose the last commits but never corrupts the database.
    "PRAGMA synchronous=NORMAL",
    # Checkpoints stay automatic and PASSIVE (every 1,000 pages), so they never wait for a reader or block one;
    # afterwards the WAL file is cut back to this size instead of staying as large as its busiest moment.
    "PRAGMA wal_autocheckpoint=1000",
    "PRAGMA journal_size_limit=67108864",
    # Reads of large indexes (search over tens of thousands of entries) come from the OS page cache through mmap
    # rather than being copied per connection; sorts and temporary b-trees stay in memory.
    "PRAGMA mmap_size=268435456",
    "PRAGMA temp_store=MEMORY",
)


class DatabaseUrlError(ValueError):
    """The configured URL cannot be used; the message is one line for the operator."""


def _async_url(url: str) -> str:
    """Accept the plain forms operators usually paste and pick the async driver for them."""
    try:
        parsed = make_url(url)
        port = parsed.port  # a port that is not a number raises here
    except (ArgumentError, ValueError):
        raise DatabaseUrlError(f"DATABASE_URL is not a database URL: {_masked(url)!r} (e.g. {DEFAULT_URL})") from None
    if port is not None and not 0 < port < 65536:
        raise DatabaseUrlError(f"DATABASE_URL has port {port}; a port is a number from 1 to 65535")
    driver = parsed.drivername
    if driver in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif driver == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif driver not in ("postgresql+asyncpg", "sqlite+aiosqlite"):
        raise DatabaseUrlError(
            f"DATABASE_URL uses {driver!r}; Cultivate supports sqlite+aiosqlite:// and postgresql+asyncpg://"
        )
    return parsed.render_as_string(hide_password=False)


def _masked(url: str) -> str:
    """The URL as typed, but without what looks like a password (user:secret@host)."""
    return re.sub(r"(?<=:)[^:/@]+(?=@)", "***", url)


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for the URL; SQLite connections get WAL, foreign keys and a busy timeout (SQLITE_PRAGMAS).
    PostgreSQL connections are checked before use, so a database restart does not fail the next event (or health
    check)."""
    url = _async_url(url)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    else:
        kwargs.setdefault("pool_pre_ping", True)
    try:
        engine = create_async_engine(url, **kwargs)
    except (ArgumentError, ImportError) as e:
        raise DatabaseUrlError(f"DATABASE_URL cannot be used: {e}") from None
    if engine.dialect.name == "sqlite":
        turns = WriteTurns()
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", functools.partial(_sqlite_begin, turns))
        # The turn passes on when the connection goes back to the pool: after its COMMIT or ROLLBACK has finished
        # (the commit and rollback events come before them), whichever way the transaction ended.
        event.listen(engine.sync_engine.pool, "checkin", lambda dbapi, _record: turns.give_back(dbapi))
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own BEGIN is turned off: _sqlite_begin issues BEGIN IMMEDIATE instead. Work opens savepoints
    # (a deferred transaction that reads first), and such a transaction fails at once when it then writes after
    # another write committed (its snapshot is stale); one that takes the write lock as it begins waits its turn.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(SQLITE_PRAGMAS[0])  # first, so that switching to WAL below also waits rather than fails
    if ":memory:" not in str(getattr(dbapi_connection, "_database", "")):
        cursor.execute("PRAGMA journal_mode=WAL")
    for pragma in SQLITE_PRAGMAS[1:]:
        cursor.execute(pragma)
    cursor.close()


def _sqlite_begin(turns: WriteTurns, connection: Any) -> None:
    """Every transaction takes SQLite's one write lock when it begins, waiting its turn (busy timeout): a transaction
    that read first and wrote later would otherwise fail at once with "database is locked" whenever another wrote
    in between — which workers, the sender and the scheduler side by side make common. Connections of this process
    take turns first (storage.write_turns), so the lock passes from one to the next without SQLite's sleeps."""
    owner = connection.connection.dbapi_connection
    await_only(turns.take(owner))
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        turns.give_back(owner)
        raise


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def optimize(engine: AsyncEngine) -> None:
    """Refresh the query planner's statistics, e.g. after a bulk import; PostgreSQL's autovacuum (and its
    visibility map, which lets index-only scans skip the table) would catch up by itself a little later."""
    if engine.dialect.name == "postgresql":
        async with engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")  # VACUUM refuses a transaction
            await autocommit.execute(text("VACUUM ANALYZE"))
    else:
        async with engine.begin() as conn:
            await conn.execute(text("PRAGMA optimize"))


async def ping(engine: AsyncEngine) -> None:
    """Raise if the database does not answer."""
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
