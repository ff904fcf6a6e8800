"""Several bot processes on one PostgreSQL drain the outbox side by side: each delivery is claimed exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.context import Context
from bot.registry import Routine
from flows import all_routines
from storage import deliveries
from storage.db import create_engine, session_factory
from storage.models import Delivery, DeliveryStatus
from tests.conftest import START
from tests.databases import on_postgres
from tests.harness import ConsoleBot

pytestmark = pytest.mark.skipif(not on_postgres(), reason="claims across processes need PostgreSQL (SKIP LOCKED)")
COUNT = 300

pings = Routine("pings")
seen: list[int] = []


@pings.delivery("ping")
async def ping(ctx: Context, payload: dict[str, Any]) -> None:
    await asyncio.sleep(0)  # let the other worker run between claims
    seen.append(payload["n"])


async def _schedule_all(url: str) -> None:
    engine = create_engine(url)
    async with session_factory(engine)() as db:
        for n in range(COUNT):
            await deliveries.schedule(db, kind="ping", key=f"ping:{n}", due_at=START, now=START, payload={"n": n})
        await db.commit()
    await engine.dispose()


async def _statuses(url: str) -> Counter[str]:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as db:
            return Counter((await db.scalars(select(Delivery.status))).all())
    finally:
        await engine.dispose()


async def test_concurrent_claimers_never_take_the_same_row(database_url: str) -> None:
    """Six processes' worth of engines claim small batches side by side: every row once, and all end sent."""
    await _schedule_all(database_url)
    claims: Counter[int] = Counter()
    by_worker: Counter[int] = Counter()

    async def worker(number: int) -> None:
        engine = create_engine(database_url)
        sessions = session_factory(engine)
        try:
            while True:
                async with sessions() as db:
                    rows = await deliveries.claim_due(
                        db, START + timedelta(seconds=1), limit=7, lease=timedelta(minutes=5)
                    )
                    if not rows:
                        return
                    assert len(rows) <= 7, f"a claim with limit 7 took {len(rows)} rows"
                    for row in rows:
                        claims[row.id] += 1
                        by_worker[number] += 1
                        assert await deliveries.mark_sent(db, row, START)
                    await db.commit()
        finally:
            await engine.dispose()

    await asyncio.gather(*(worker(n) for n in range(6)))
    assert len(claims) == COUNT and set(claims.values()) == {1}
    assert await _statuses(database_url) == {DeliveryStatus.SENT: COUNT}
    assert len(by_worker) > 1, "the claimers did not run side by side"


async def test_two_runtimes_deliver_each_delivery_once(database_url: str) -> None:
    """Two bots' outboxes drain one database at once; the routine's handler sees each delivery exactly once."""
    seen.clear()
    await _schedule_all(database_url)
    a = await ConsoleBot.open(database_url, START + timedelta(seconds=1), routines=all_routines() + [pings])
    b = await ConsoleBot.open(database_url, START + timedelta(seconds=1), routines=all_routines() + [pings])
    a.runtime.outbox.batch = b.runtime.outbox.batch = 10
    try:
        done = await asyncio.gather(a.runtime.outbox.run_due(), b.runtime.outbox.run_due())
        assert sum(done) == COUNT
        assert sorted(seen) == list(range(COUNT))
        assert await _statuses(database_url) == {DeliveryStatus.SENT: COUNT}
    finally:
        await a.close()
        await b.close()
