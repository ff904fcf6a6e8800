"""Draining the delivery outbox: claim what is due, run its routine, and record sent, retry, failed or skipped."""
from __future__ import annotations

import logging
import random
from datetime import timedelta

from bot.context import Context
from bot.platform import DeliveryError
from bot.services import Services
from storage import communities, deliveries
from storage.models import Delivery

log = logging.getLogger(__name__)


class Outbox:
    def __init__(self, services: Services, *, batch: int = 50, lease: timedelta = timedelta(minutes=5)) -> None:
        self.services = services
        self.batch = batch
        self.lease = lease

    async def run_due(self) -> int:
        """Send everything due now; returns how many deliveries were processed."""
        processed = 0
        while True:
            async with self.services.sessions() as db:
                claimed = await deliveries.claim_due(db, self.services.clock.now(), limit=self.batch, lease=self.lease)
            for delivery in claimed:
                await self._run(delivery)
            processed += len(claimed)
            if len(claimed) < self.batch:
                return processed

    def backoff(self, attempts: int) -> timedelta:
        """Exponential with a little jitter, so many failed sends do not retry in one burst."""
        base = self.services.settings.retry_base_seconds * 2 ** (attempts - 1)
        return timedelta(seconds=base * random.uniform(1.0, 1.25))

    async def _run(self, delivery: Delivery) -> None:
        services = self.services
        now = services.clock.now()
        outcome = "sent"
        handler = services.registry.deliveries.get(delivery.kind)
        async with services.sessions() as db:
            if handler is None:
                outcome = "failed"
                await deliveries.mark_failed(db, delivery.id, now, f"no routine handles deliveries of kind {delivery.kind!r}")
            elif delivery.useful_for is not None and now > delivery.due_at + timedelta(seconds=delivery.useful_for):
                outcome = "skipped"
                late = now - delivery.due_at
                await deliveries.mark_skipped(db, delivery.id, now, f"too late to be useful: due {_ago(late)} before it could run")
            else:
                community = await communities.by_id(db, delivery.community_id) if delivery.community_id else None
                ctx = Context(services, db, community)
                try:
                    async with db.begin_nested():
                        await handler(ctx, dict(delivery.payload))
                    await deliveries.mark_sent(db, delivery.id, now)
                except Exception as e:  # noqa: BLE001 - any failure of a routine is recorded on its delivery
                    outcome = await self._failed(db, delivery, e)
            await db.commit()
        services.metrics.deliveries.labels(delivery.kind, outcome).inc()

    async def _failed(self, db, delivery: Delivery, error: Exception) -> str:  # type: ignore[no-untyped-def]
        now = self.services.clock.now()
        reason = f"{type(error).__name__}: {error}"[:1000]
        retry = not isinstance(error, DeliveryError) or error.retry
        if not isinstance(error, DeliveryError):
            log.exception("delivery %s (%s) raised", delivery.id, delivery.kind, exc_info=error)
        if retry and delivery.attempts < self.services.settings.max_attempts:
            wait = self.backoff(delivery.attempts)
            if isinstance(error, DeliveryError) and error.retry_after:
                wait = max(wait, timedelta(seconds=error.retry_after))
            await deliveries.retry_later(db, delivery.id, now + wait, reason)
            return "retry"
        await deliveries.mark_failed(db, delivery.id, now, reason)
        return "failed"


def _ago(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h" if hours < 48 else f"{hours // 24} days"
