"""Archiving a community: its routines stop, its history and library stay readable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Community,
    Delivery,
    DeliveryStatus,
    Discussion,
    DiscussionStatus,
    StoryCampaign,
    Webinar,
    WebinarStatus,
)


@dataclass(frozen=True)
class Stopped:
    """What archiving stopped."""

    deliveries: int
    campaigns: int
    discussions: int
    webinars: int


async def archive(db: AsyncSession, community: Community, now: datetime) -> Stopped:
    """Stop everything scheduled: pending deliveries are cancelled, campaigns paused, discussions not yet open are
    cancelled and open ones closed, sessions still to come are cancelled."""
    community.archived_at = now
    here = community.id
    deliveries = await db.execute(
        update(Delivery)
        .where(Delivery.community_id == here, Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.CANCELLED, finished_at=now, last_error="the community was archived")
    )
    campaigns = await db.execute(
        update(StoryCampaign)
        .where(StoryCampaign.community_id == here, StoryCampaign.active.is_(True))
        .values(active=False)
    )
    scheduled = await db.execute(
        update(Discussion)
        .where(Discussion.community_id == here, Discussion.status == DiscussionStatus.SCHEDULED)
        .values(status=DiscussionStatus.CANCELLED)
    )
    opened = await db.execute(
        update(Discussion)
        .where(Discussion.community_id == here, Discussion.status == DiscussionStatus.OPEN)
        .values(status=DiscussionStatus.CLOSED)
    )
    webinars = await db.execute(
        update(Webinar)
        .where(Webinar.community_id == here, Webinar.status == WebinarStatus.SCHEDULED, Webinar.starts_at > now)
        .values(status=WebinarStatus.CANCELLED)
    )
    await db.flush()
    return Stopped(_n(deliveries), _n(campaigns), _n(scheduled) + _n(opened), _n(webinars))


def unarchive(community: Community) -> None:
    """Open it again; what archiving stopped stays stopped (coordinators schedule anew)."""
    community.archived_at = None


def _n(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
