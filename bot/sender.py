"""The way out: one sender per process sends the outbound queue after commit. Pacing lives here and only here —
each lane (a conversation) at the pace its platform allows, lanes side by side, answers to people first — and a
rate limit or an unreachable member reschedules or fails one message, never the routine or the other lanes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import Counter
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.clock import wall
from bot.events import Place
from bot.group_commit import GroupWriter
from bot.i18n import reading
from bot.messages import Outgoing
from bot.outage import OutageLog
from bot.platform import DeliveryError, Sent, Unreachable
from bot.serialize import message_from_json
from bot.services import Services
from storage import outbound
from storage.models import OutboundMessage, WorkStatus

log = logging.getLogger(__name__)
IN_FLIGHT = 16  # messages being sent at once, per platform
POLL_SECONDS = 1.0  # how often an idle sender looks for messages queued by other processes, or due again


class _Refers(Exception):
    """The message refers to an earlier one (a thread, a card to update) that is not there."""

    def __init__(self, reason: str, *, later: bool = False) -> None:
        super().__init__(reason)
        self.later = later


class Sender:
    def __init__(self, services: Services, *, in_flight: int = IN_FLIGHT) -> None:
        self.services = services
        self.in_flight = in_flight
        self.outage = OutageLog("the outbound queue")
        self._free_at: dict[str, float] = {}  # lane -> when (monotonic) it may be written to again
        self._sending: dict[asyncio.Task[None], OutboundMessage] = {}
        self._loop: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._stopping = False
        # A process that died holds its work this long at most (live ones renew it).
        self._lease = timedelta(seconds=services.settings.lease_seconds)
        self._writer: GroupWriter[outbound.Outcome] = GroupWriter(self._write)

    # -- running -------------------------------------------------------------------------------
    async def flush(self) -> int:
        """Send what can go now, one message at a time in queue order (the console and tests); returns how many."""
        done = 0
        while rows := await self._claim(1, self._platforms(Counter())):
            await self._deliver(rows[0])
            done += 1
        return done

    async def idle(self) -> None:
        """Wait until the messages the background loop is sending are sent (and recorded)."""
        while self._sending:
            await asyncio.wait(list(self._sending))

    def start(self) -> None:
        self._stopping = False
        self._loop = asyncio.create_task(self._run(), name="sender")
        self._heartbeat = asyncio.create_task(self._beat(), name="sender-heartbeat")

    async def _run(self) -> None:
        queued = self.services.queued
        while not self._stopping:
            busy = Counter(row.platform for row in self._sending.values())
            platforms = self._platforms(busy)
            free = self.in_flight * max(1, len(platforms)) - len(self._sending)
            queued.clear()  # before claiming: a message queued meanwhile wakes the wait below at once
            rows = await self._claim(free, platforms) if platforms and free > 0 else []
            for row in rows:
                task = asyncio.create_task(self._deliver(row), name=f"outbound-{row.id}")
                self._sending[task] = row
                task.add_done_callback(self._done)
            if rows and len(rows) == free:
                continue  # there may be more waiting; otherwise wait to be woken (a claim is a write transaction)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(queued.wait(), timeout=POLL_SECONDS)

    def _platforms(self, busy: Counter[str]) -> list[str]:
        return [p for p in self.services.adapters if busy[p] < self.in_flight]

    def _done(self, task: asyncio.Task[None]) -> None:
        self._sending.pop(task, None)
        self.services.queued.set()  # its lane's next message may go now

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self._lease.total_seconds() / 3)
            if self._sending:
                with contextlib.suppress(SQLAlchemyError, OSError):
                    async with self.services.sessions() as db:
                        await outbound.extend(db, list(self._sending.values()), wall() + self._lease)
                        await db.commit()

    async def _claim(self, limit: int, platforms: list[str]) -> list[OutboundMessage]:
        if not platforms:
            return []
        try:
            async with self.services.sessions() as db:
                rows = await outbound.claim(db, wall(), wall() + self._lease, limit=limit, platforms=platforms)
        except (SQLAlchemyError, OSError) as e:
            self.outage.failed(e)
            await asyncio.sleep(POLL_SECONDS)
            return []
        self.outage.recovered()
        return rows

    # -- one message ---------------------------------------------------------------------------
    async def _deliver(self, row: OutboundMessage) -> None:
        adapter = self.services.adapter(row.platform)
        assert adapter is not None  # claims only take platforms this process runs
        try:
            place, outgoing = await self._resolve(row)
        except _Refers as e:
            if e.later:
                await self._record(row, "retry", retry_in=POLL_SECONDS, error=str(e))
            else:
                await self._record(row, "failed", error=str(e))
            return
        wait = self._free_at.get(row.lane, 0.0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)  # only this lane waits: others are sent meanwhile
        hold = adapter.pacing(place, outgoing)
        try:
            # What the adapter adds itself ("Reply 1 to …" on Yammer) is in the language the message was written in.
            with reading(str((row.message or {}).get("locale") or "")):
                sent = await adapter.send(place, outgoing)
        except Unreachable as e:
            await self._record(row, "failed", error=str(e))
        except DeliveryError as e:
            if e.retry_after:
                hold = max(hold, e.retry_after)  # the platform asked this conversation to wait
            # A rate limit is the platform pacing us, not a failure: it does not use up the attempts, and it says
            # when to come back — then, not later (backing off further would leave the allowance unused). Other
            # failures back off exponentially, a few times.
            if e.retry and (e.retry_after or row.attempts < self.services.settings.max_attempts):
                wait = e.retry_after if e.retry_after else self._backoff(row.attempts)
                await self._record(row, "retry", retry_in=wait, error=str(e))
            else:
                await self._record(row, "failed", error=str(e))
        except Exception as e:  # a bug in an adapter: the message is set aside, the others go on
            log.exception("sending outbound message %s failed", row.id)
            await self._record(row, "failed", error=f"{type(e).__name__}: {e}")
        else:
            await self._record(row, "sent", sent=sent)
        finally:
            self._free_at[row.lane] = time.monotonic() + hold

    async def _resolve(self, row: OutboundMessage) -> tuple[Place, Outgoing]:
        """The place and message as the platform must see them: queue names ("o:12") become platform references."""
        channel = row.channel
        thread, _ = await self._landed(row.thread)
        replaces, landed_in = await self._landed(row.replaces)
        if row.replaces and landed_in:
            channel = landed_in  # a direct message sent by user id is updated where it landed
        place = Place(row.platform, row.tenant, channel, thread=thread, direct=row.direct, to_user=row.to_user)
        message = message_from_json(row.message)
        return place, Outgoing(message, only_for=row.only_for, private=row.private, replaces=replaces)

    async def _landed(self, ref: str | None) -> tuple[str | None, str | None]:
        earlier = outbound.logical_id(ref)
        if earlier is None:
            return ref, None
        async with self.services.sessions() as db:
            landed = await outbound.landed(db, earlier)
        if (
            landed is None
            or landed.status == WorkStatus.FAILED
            or (landed.status == WorkStatus.DONE and not landed.ref)
        ):
            raise _Refers(f"it belongs to message {ref}, which could not be sent")
        if landed.status != WorkStatus.DONE:
            raise _Refers(f"waiting for message {ref} to be sent first", later=True)
        return landed.ref, landed.channel

    def _backoff(self, attempts: int) -> float:
        """Exponential with a little jitter, so many failed sends do not come back in one burst."""
        base: float = self.services.settings.send_retry_base_seconds * 2.0 ** max(0, attempts - 1)
        return base * random.uniform(1.0, 1.25)

    async def _record(
        self,
        row: OutboundMessage,
        outcome: str,
        *,
        sent: Sent | None = None,
        error: str = "",
        retry_in: float = 0.0,
    ) -> None:
        """Record how it went, with the outcomes of the messages finished meanwhile (one transaction for all)."""
        now = wall()
        at = now + timedelta(seconds=retry_in) if outcome == "retry" else now
        ref, channel = (sent.ref, sent.channel) if sent is not None else (None, None)
        try:
            await self._writer.put(outbound.Outcome(row, outcome, at, ref, channel, error))
        except (SQLAlchemyError, OSError):
            # Sent but not recorded: it will be sent again when the lease runs out (at least once, as promised).
            return
        if outcome == "sent":
            self.services.metrics.sent.labels(row.platform).inc()
        elif outcome == "failed":
            log.warning("outbound message %s to %s could not be sent: %s", row.id, row.platform, error[:300])
        self.services.metrics.outbound.labels(row.platform, outcome).inc()

    async def _write(self, outcomes: list[outbound.Outcome]) -> None:
        try:
            async with self.services.sessions() as db:
                kept = await outbound.record(db, outcomes)
                await db.commit()
        except (SQLAlchemyError, OSError) as e:
            self.outage.failed(e)
            raise
        if kept is not None and kept < len(outcomes):
            log.warning(
                "%s of %s outbound messages were taken over after their lease ran out; those outcomes are not kept",
                len(outcomes) - kept,
                len(outcomes),
            )

    # -- stopping ------------------------------------------------------------------------------
    async def stop(self, grace: float) -> None:
        """Take nothing new; let sends in flight finish within `grace` seconds and hand back the others."""
        self._stopping = True
        self.services.queued.set()
        for task in (self._loop, self._heartbeat):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if not self._sending:
            return
        _done, late = await asyncio.wait(list(self._sending), timeout=grace)
        unfinished = [self._sending[t] for t in late]
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        if unfinished:
            log.warning(
                "stopping: %s messages handed back unsent (a restart or another process sends them)", len(unfinished)
            )
            with contextlib.suppress(SQLAlchemyError, OSError):
                async with self.services.sessions() as db:
                    await outbound.release(db, unfinished)
                    await db.commit()
