"""How long operational records are kept: handled events, unfinished conversations, finished deliveries and sent
messages (and expired web sign-in links and sessions).
Applied once a day by the scheduler; the periods are settings (CULTIVATE_RETAIN_*_DAYS)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncSession

from storage import journal, linking, outbound, web_sessions
from storage.models import Conversation, Delivery, DeliveryStatus

FINISHED = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED, DeliveryStatus.CANCELLED)


@dataclass(frozen=True)
class Retention:
    # Handled events (their ids catch retries and replays): platforms stop retrying within hours, so a few days.
    events: timedelta = timedelta(days=3)
    # A form left half answered this long is not coming back.
    conversations: timedelta = timedelta(days=30)
    # Sent, failed, skipped and cancelled deliveries, and sent messages (what /cop deliveries reports on, and what
    # later thread replies and card updates are resolved against).
    deliveries: timedelta = timedelta(days=90)


@dataclass(frozen=True)
class Purged:
    events: int
    conversations: int
    deliveries: int
    messages: int
    link_codes: int
    web_sign_ins: int = 0  # expired sign-in links and web sessions


async def purge(db: AsyncSession, retention: Retention, now: datetime) -> Purged:
    """Delete what is older than its retention period; pending and claimed deliveries are never touched."""
    forgotten_events = await journal.forget_finished_before(db, now - retention.events)
    conversations = await db.execute(
        delete(Conversation).where(Conversation.updated_at < now - retention.conversations)
    )
    deliveries = await db.execute(
        delete(Delivery).where(
            Delivery.status.in_(FINISHED),
            func.coalesce(Delivery.finished_at, Delivery.due_at) < now - retention.deliveries,
        )
    )
    messages = await outbound.forget_sent_before(db, now - retention.deliveries)
    codes = await linking.purge_expired(db, now)
    web = await web_sessions.sweep(db, now)
    return Purged(forgotten_events, _n(conversations), _n(deliveries), messages, codes, web)


def _n(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
