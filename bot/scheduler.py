"""APScheduler drives time: a short-interval job drains the outbox; routines may add cron jobs.

Nothing that must happen later lives here — it is a `delivery` row. APScheduler only decides when to look."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.outbox import Outbox
from bot.services import Services
from storage import retention

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(self, services: Services, outbox: Outbox) -> None:
        self.services = services
        self.outbox = outbox
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        self._busy = asyncio.Lock()
        self._draining: asyncio.Task[int] | None = None

    async def drain(self) -> int:
        """Run due deliveries now; one drain at a time, so shutdown can wait for the one in flight."""
        async with self._busy:
            try:
                return await self.outbox.run_due()
            except Exception:
                log.exception("draining the outbox failed; will try again")
                return 0

    async def _tick(self) -> None:
        """APScheduler's job. The drain runs in a task of our own: on shutdown APScheduler cancels the jobs it
        is running, and a send cut off half-way would be sent again when its lease runs out."""
        if self._draining is None or self._draining.done():
            self._draining = asyncio.create_task(self.drain(), name="outbox-drain")

    async def forget_old_work(self) -> None:
        """Apply the retention settings: handled events, unfinished conversations, finished deliveries and sent
        messages, and expired link codes go."""
        async with self.services.sessions() as db:
            purged = await retention.purge(db, self.services.settings.retention, self.services.clock.now())
            await db.commit()
        log.debug("retention: %s", purged)

    def cron(self, name: str, job: Callable[[], Awaitable[Any]], **fields: Any) -> None:
        """A recurring job (e.g. a campaign round) with cron fields: minute, hour, day_of_week, ..."""
        self._scheduler.add_job(job, CronTrigger(**fields), id=name, replace_existing=True, coalesce=True)

    def start(self) -> None:
        seconds = self.services.settings.dispatch_seconds
        # First run right away: deliveries that fell due while the bot was down are sent or skipped at start.
        self._scheduler.add_job(
            self._tick,
            IntervalTrigger(seconds=seconds),
            id="outbox",
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC),
        )
        self.cron("forget-old-work", self.forget_old_work, hour=3, minute=17)
        self._scheduler.start()

    async def stop(self) -> None:
        """Stop taking work, then wait for the drain in flight to finish."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        if self._draining is not None:
            await self._draining
        async with self._busy:
            pass
