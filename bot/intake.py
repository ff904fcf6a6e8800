"""The way in: platform events are journaled before they are acknowledged, then worked by a pool of workers —
in order per member, safe across replicas, taken again after a short lease if a worker died."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.clock import wall
from bot.dispatcher import Dispatcher, Outcome
from bot.events import CommandInvoked, Event
from bot.outage import OutageLog
from bot.serialize import UnknownEvent, event_from_json, event_to_json
from bot.services import Services
from storage import journal, write_turns
from storage.models import InboundEntry

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0  # how often idle workers look for entries journaled by other processes


class DatabaseUnavailable(Exception):
    """The journal cannot be written: the platform must be told to try again (nothing was acknowledged)."""


@dataclass(frozen=True)
class Receipt:
    """What the journal says of a submitted event: its entry, or None when it was a duplicate."""

    entry: int | None

    @property
    def duplicate(self) -> bool:
        return self.entry is None


def lane_of(event: Event) -> str:
    """One member's events are handled in the order they came."""
    actor = event.actor
    return f"{actor.platform}:{actor.tenant}:{actor.user_id}"


def event_id_of(event: Event) -> str:
    """The platform's id for de-duplication: its event id, a slash command's trigger id, else one of ours."""
    if event.event_id:
        return event.event_id
    if isinstance(event, CommandInvoked) and event.trigger:
        return f"trigger:{event.trigger}"
    return f"local:{uuid.uuid4().hex}"


class Intake:
    def __init__(self, services: Services, dispatcher: Dispatcher, *, workers: int = 2) -> None:
        self.services = services
        self.dispatcher = dispatcher
        self.workers = workers
        self.outage = OutageLog("the inbound journal")
        self._wake = asyncio.Event()
        self._working: dict[asyncio.Task[None], InboundEntry] = {}
        self._outcomes: dict[int, asyncio.Future[Outcome]] = {}
        self._loop: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._stopping = False
        # A process that died holds its work this long at most (live ones renew it).
        self._lease = timedelta(seconds=services.settings.lease_seconds)

    # -- in ------------------------------------------------------------------------------------
    async def submit(self, event: Event, *, want_outcome: bool = False) -> Receipt:
        """Journal an authenticated event; raises DatabaseUnavailable if it cannot be kept (then the platform must
        not be acknowledged). With `want_outcome`, `outcome()` can wait for this process to handle it."""
        platform = event.actor.platform
        try:
            # The platform waits for this write: it goes before handlers' and the sender's (on SQLite, one writer).
            with write_turns.urgent():
                async with self.services.sessions() as db:
                    entry = await journal.add(
                        db,
                        platform=platform,
                        event_id=event_id_of(event),
                        lane=lane_of(event),
                        event=event_to_json(event),
                        now=self.services.clock.now(),
                    )
                    await db.commit()
        except (SQLAlchemyError, OSError) as e:
            self.outage.failed(e)
            self.services.metrics.ack_refused.labels(platform).inc()
            raise DatabaseUnavailable(str(e)) from None
        self.outage.recovered()
        if entry is None:
            self.services.metrics.duplicates.labels(platform).inc()
            return Receipt(None)
        self.services.metrics.journaled.labels(platform).inc()
        if want_outcome:
            self._outcomes[entry] = asyncio.get_running_loop().create_future()
        self._wake.set()
        return Receipt(entry)

    async def outcome(self, receipt: Receipt, timeout: float) -> Outcome | None:
        """How the event turned out, if this process handles it within `timeout` seconds."""
        future = self._outcomes.get(receipt.entry) if receipt.entry is not None else None
        if future is None:
            return None
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            return None
        finally:
            if future.done():
                self._outcomes.pop(receipt.entry, None)  # type: ignore[arg-type]

    # -- work ----------------------------------------------------------------------------------
    async def run_pending(self) -> int:
        """Handle every entry that can be handled now, one at a time in journal order (the console and tests)."""
        handled = 0
        while True:
            entries = await self._claim(1)
            if not entries:
                return handled
            await self._work(entries[0])
            handled += 1

    async def idle(self) -> None:
        """Wait until the entries background workers hold are handled."""
        while self._working:
            await asyncio.wait(list(self._working))

    def start(self) -> None:
        """Work in the background until stopped: up to `workers` entries at once."""
        self._stopping = False
        self._loop = asyncio.create_task(self._run(), name="intake")
        self._heartbeat = asyncio.create_task(self._beat(), name="intake-heartbeat")

    async def _run(self) -> None:
        while not self._stopping:
            free = self.workers - len(self._working)
            entries = await self._claim(free) if free > 0 else []
            for entry in entries:
                task = asyncio.create_task(self._work(entry), name=f"inbound-{entry.id}")
                self._working[task] = entry
                task.add_done_callback(self._done)
            if entries and len(entries) == free:
                continue  # there may be more waiting
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=POLL_SECONDS)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._working.pop(task, None)
        self._wake.set()  # a free worker: the member's next event may be waiting

    async def _beat(self) -> None:
        """Renew the leases of entries being worked, so only a dead worker's entries are taken over."""
        while True:
            await asyncio.sleep(self._lease.total_seconds() / 3)
            if self._working:
                with contextlib.suppress(SQLAlchemyError, OSError):
                    async with self.services.sessions() as db:
                        await journal.extend(db, list(self._working.values()), wall() + self._lease)
                        await db.commit()

    async def _claim(self, limit: int) -> list[InboundEntry]:
        try:
            async with self.services.sessions() as db:
                entries = await journal.claim(db, wall(), wall() + self._lease, limit=limit)
        except (SQLAlchemyError, OSError) as e:
            self.outage.failed(e)
            await asyncio.sleep(POLL_SECONDS)
            return []
        self.outage.recovered()
        return entries

    async def _work(self, entry: InboundEntry) -> None:
        try:
            event = event_from_json(entry.event)
        except UnknownEvent as e:
            log.error("journal entry %s cannot be read and is set aside: %s", entry.id, e)
            await self._finish(entry, f"unreadable: {e}")
            return
        if entry.attempts > self.services.settings.max_attempts:
            # Only a lease that ran out gets here: the worker handling it died, every time. Stop trying.
            await self._finish(entry, f"gave up after {entry.attempts - 1} attempts that never finished")
            return
        try:
            outcome = await self.dispatcher.handle(event, entry)
        except (SQLAlchemyError, OSError) as e:
            self.outage.failed(e)
            with contextlib.suppress(SQLAlchemyError, OSError):
                async with self.services.sessions() as db:
                    await journal.release(db, [entry])
                    await db.commit()
            return
        future = self._outcomes.get(entry.id)
        if future is not None and not future.done():
            future.set_result(outcome)

    async def _finish(self, entry: InboundEntry, error: str) -> None:
        async with self.services.sessions() as db:
            await journal.finish(db, entry, self.services.clock.now(), error=error)
            await db.commit()

    # -- stop ----------------------------------------------------------------------------------
    async def stop(self, grace: float) -> None:
        """Take no new entries; let those being handled finish within `grace` seconds, and hand back the rest."""
        self._stopping = True
        self._wake.set()
        for task in (self._loop, self._heartbeat):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._working:
            _done, late = await asyncio.wait(list(self._working), timeout=grace)
            unfinished = [self._working[t] for t in late]
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
            if unfinished:
                log.warning(
                    "stopping: %s events handed back unfinished (another process or a restart takes them)",
                    len(unfinished),
                )
                with contextlib.suppress(SQLAlchemyError, OSError):
                    async with self.services.sessions() as db:
                        await journal.release(db, unfinished)
                        await db.commit()
