"""Running scheduled deliveries: claim what is due, run its routine (whose messages join the outbound queue in the
same transaction), and record done, retry, failed or skipped."""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import DeliveryContext
from bot.platform import DeliveryError
from bot.services import Services
from storage import communities, deliveries
from storage.models import Delivery

log = logging.getLogger(__name__)


class Outbox:
    def __init__(self, services: Services, *, batch: int = 50, lease: timedelta = timedelta(seconds=30)) -> None:
        self.services = services
        self.batch = batch
        self.lease = lease

    async def run_due(self) -> int:
        """Send everything due now; returns how many deliveries were processed."""
        processed = 0
        while True:
            async with self.services.sessions() as db:
                claimed = await deliveries.claim_due(db, self.services.clock.now(), limit=self.batch, lease=self.lease)
            for n, delivery in enumerate(claimed):
                if delivery.lease_until is not None and self.services.clock.now() >= delivery.lease_until:
                    # The sends before these took the whole lease: another process may take them over now, so
                    # give them back rather than risk sending them twice.
                    await self._release(claimed[n:])
                    return processed
                await self._run(delivery)
                processed += 1
            if not claimed:  # until nothing is due: a delivery may fan out into more, due now
                return processed

    async def _release(self, claims: Sequence[Delivery]) -> None:
        log.warning("the outbox lease ran out before %s claimed deliveries could start; giving them back", len(claims))
        async with self.services.sessions() as db:
            await deliveries.release(db, claims)
            await db.commit()

    def backoff(self, attempts: int) -> timedelta:
        """Exponential with a little jitter, so many failed sends do not retry in one burst."""
        base = self.services.settings.retry_base_seconds * 2 ** (attempts - 1)
        return timedelta(seconds=base * random.uniform(1.0, 1.25))

    async def _run(self, delivery: Delivery) -> None:
        services = self.services
        now = services.clock.now()
        outcome = "sent"
        declared = services.registry.deliveries.get(delivery.kind)
        useful_until = deliveries.useful_until(delivery)
        async with services.sessions() as db:
            if declared is None:
                outcome = "failed"
                recorded = await deliveries.mark_failed(
                    db, delivery, now, f"no routine handles deliveries of kind {delivery.kind!r}"
                )
            elif useful_until is not None and now > useful_until:
                outcome = "skipped"
                late = now - delivery.due_at
                recorded = await deliveries.mark_skipped(
                    db, delivery, now, f"too late to be useful: due {_ago(late)} before it could run"
                )
            elif delivery.attempts > services.settings.max_attempts:
                # Only a lease that ran out gets here: the process sending the last attempt stopped mid-send.
                outcome = "failed"
                recorded = await deliveries.mark_failed(
                    db,
                    delivery,
                    now,
                    f"gave up after {delivery.attempts - 1} attempts; "
                    "the last one never finished (its process stopped)",
                )
            else:
                community = await communities.by_id(db, delivery.community_id) if delivery.community_id else None
                ctx = DeliveryContext(
                    services=services,
                    db=db,
                    community=community,
                    kind=delivery.kind,
                    key=delivery.key,
                    origin=f"delivery:{delivery.kind}",
                )
                try:
                    # No one is speaking: written for the community unless the routine writes to someone.
                    async with ctx.savepoint():
                        with ctx.community_language():
                            await declared.handler(ctx, declared.decode(delivery.payload))
                    recorded = await deliveries.mark_sent(db, delivery, now)
                except Exception as e:  # noqa: BLE001 - any failure of a routine is recorded on its delivery
                    outcome, recorded = await self._failed(db, delivery, e)
            await db.commit()
        services.queued.set()  # what the routine said goes out now
        if not recorded:
            log.warning(
                "delivery %s (%s) was taken over after its lease ran out; this attempt's outcome (%s) is not recorded",
                delivery.id,
                delivery.kind,
                outcome,
            )
        services.metrics.deliveries.labels(delivery.kind, outcome).inc()

    async def _failed(self, db: AsyncSession, delivery: Delivery, error: Exception) -> tuple[str, bool]:
        """Retry later if that may help and there is time and attempts left; otherwise record it as failed."""
        now = self.services.clock.now()
        reason = f"{type(error).__name__}: {error}"[:1000]
        retry = not isinstance(error, DeliveryError) or error.retry
        if not isinstance(error, DeliveryError):
            log.error("delivery %s (%s) raised", delivery.id, delivery.kind, exc_info=error)
        if retry and delivery.attempts < self.services.settings.max_attempts:
            wait = self.backoff(delivery.attempts)
            if isinstance(error, DeliveryError) and error.retry_after:
                wait = max(wait, timedelta(seconds=error.retry_after))
            at = now + wait
            useful_until = deliveries.useful_until(delivery)
            if useful_until is None or at <= useful_until:
                # The retry keeps the original deadline: moving due_at must not stretch how long it is useful.
                left = None if useful_until is None else useful_until - at
                return "retry", await deliveries.retry_later(db, delivery, at, reason, useful_for=left)
            reason = f"{reason} (not retried: the next attempt would come after it stops being useful)"[:1000]
        return "failed", await deliveries.mark_failed(db, delivery, now, reason)


def _ago(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h" if hours < 48 else f"{hours // 24} days"
