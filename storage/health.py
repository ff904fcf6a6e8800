"""What community health is measured from, beyond the ledger: members, the newcomer funnel, peer assists,
recognition, the library and stories — each a query over one window, returning plain rows (discussions and
webinars are in storage/health_events.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.ledger import slot_of
from storage.models import (
    AssistParticipant,
    AssistRequest,
    AssistStatus,
    Consent,
    Introduction,
    KnowledgeItem,
    LibraryUse,
    Membership,
    Recognition,
    Story,
)


@dataclass(frozen=True)
class Belonging:
    member_id: int
    joined_at: datetime
    role: int


async def belonging(db: AsyncSession, community_id: int, joined_by: datetime) -> list[Belonging]:
    """Current members who had joined by `joined_by`, with their role."""
    rows = await db.execute(
        select(Membership.member_id, Membership.joined_at, Membership.role).where(
            Membership.community_id == community_id,
            Membership.left_at.is_(None),
            Membership.joined_at <= joined_by,
        )
    )
    return [Belonging(m, j, r) for m, j, r in rows.all()]


@dataclass(frozen=True)
class Newcomer:
    member_id: int
    joined_at: datetime
    introduced_at: datetime | None


async def newcomers(db: AsyncSession, community_id: int, since: datetime, until: datetime) -> list[Newcomer]:
    """Members who joined in (since, until] (and are still here), with when they introduced themselves."""
    rows = await db.execute(
        select(Membership.member_id, Membership.joined_at, Introduction.introduced_at)
        .outerjoin(
            Introduction,
            (Introduction.community_id == Membership.community_id) & (Introduction.member_id == Membership.member_id),
        )
        .where(
            Membership.community_id == community_id,
            Membership.left_at.is_(None),
            Membership.joined_at > since,
            Membership.joined_at <= until,
        )
    )
    return [Newcomer(m, j, i) for m, j, i in rows.all()]


async def joins(db: AsyncSession, community_id: int, edges: Sequence[datetime]) -> list[int]:
    """How many of the current members joined between consecutive `edges`."""
    if len(edges) < 2:
        return []
    slot = slot_of(Membership.joined_at, edges)
    inner = (
        select(slot.label("slot"))
        .where(
            Membership.community_id == community_id,
            Membership.left_at.is_(None),
            Membership.joined_at > edges[0],
            Membership.joined_at <= edges[-1],
        )
        .subquery()
    )
    found = {
        int(s): int(n) for s, n in (await db.execute(select(inner.c.slot, func.count()).group_by(inner.c.slot))).all()
    }
    return [found.get(i, 0) for i in range(len(edges) - 1)]


@dataclass(frozen=True)
class Request:
    id: int
    created_at: datetime
    status: str
    closed_at: datetime | None
    first_offer_at: datetime | None


async def requests(db: AsyncSession, community_id: int, since: datetime, until: datetime) -> list[Request]:
    """Peer-assist requests asked in (since, until], with when help was first offered."""
    offers = (
        select(AssistParticipant.request_id, func.min(AssistParticipant.at).label("first"))
        .where(AssistParticipant.part == "offered")
        .group_by(AssistParticipant.request_id)
        .subquery()
    )
    rows = await db.execute(
        select(
            AssistRequest.id, AssistRequest.created_at, AssistRequest.status, AssistRequest.closed_at, offers.c.first
        )
        .outerjoin(offers, offers.c.request_id == AssistRequest.id)
        .where(
            AssistRequest.community_id == community_id,
            AssistRequest.created_at > since,
            AssistRequest.created_at <= until,
        )
    )
    return [Request(*row) for row in rows.all()]


async def open_requests(db: AsyncSession, community_id: int) -> int:
    return (
        await db.scalar(
            select(func.count()).where(
                AssistRequest.community_id == community_id, AssistRequest.status == AssistStatus.OPEN
            )
        )
        or 0
    )


async def recognition(
    db: AsyncSession, community_id: int, since: datetime, until: datetime
) -> tuple[dict[str, int], int]:
    """Credits given in (since, until] by kind (thanks, peer_assist), and how many different members received them."""
    window = (Recognition.community_id == community_id, Recognition.at > since, Recognition.at <= until)
    kinds = dict(
        (await db.execute(select(Recognition.kind, func.count()).where(*window).group_by(Recognition.kind))).all()
    )
    people = await db.scalar(select(func.count(Recognition.member_id.distinct())).where(*window))
    return {k: int(n) for k, n in kinds.items()}, int(people or 0)


async def library_added(db: AsyncSession, community_id: int, since: datetime, until: datetime) -> dict[str, int]:
    """Items added to the library in (since, until], by kind."""
    rows = await db.execute(
        select(KnowledgeItem.kind, func.count())
        .where(
            KnowledgeItem.community_id == community_id,
            KnowledgeItem.created_at > since,
            KnowledgeItem.created_at <= until,
        )
        .group_by(KnowledgeItem.kind)
    )
    return {kind: int(n) for kind, n in rows.all()}


@dataclass(frozen=True)
class Reuse:
    item_id: int
    title: str
    members: int  # how many members other than its adder found it


async def library_reused(
    db: AsyncSession, community_id: int, since: datetime, until: datetime, limit: int = 3
) -> tuple[list[Reuse], int]:
    """The items most found by others in (since, until], and how many different items were."""
    n = func.count(LibraryUse.member_id)
    window = (KnowledgeItem.community_id == community_id, LibraryUse.at > since, LibraryUse.at <= until)
    rows = await db.execute(
        select(KnowledgeItem.id, KnowledgeItem.title, n)
        .join(LibraryUse, LibraryUse.item_id == KnowledgeItem.id)
        .where(*window)
        .group_by(KnowledgeItem.id, KnowledgeItem.title)
        .order_by(n.desc(), KnowledgeItem.id)
        .limit(limit)
    )
    items = await db.scalar(
        select(func.count(LibraryUse.item_id.distinct()))
        .join(KnowledgeItem, LibraryUse.item_id == KnowledgeItem.id)
        .where(*window)
    )
    return [Reuse(i, t, int(m)) for i, t, m in rows.all()], int(items or 0)


async def stories_by_cycle(
    db: AsyncSession, community_id: int | None, since: datetime, until: datetime, *, include_private: bool
) -> dict[str | None, int]:
    """Stories told in (since, until] by the value cycle they report (None: not said). Stories told for coordinators
    only are counted only with `include_private`."""
    query = select(Story.value_cycle, func.count()).where(Story.created_at > since, Story.created_at <= until)
    if community_id is not None:
        query = query.where(Story.community_id == community_id)
    if not include_private:
        query = query.where(Story.consent != Consent.COORDINATORS)
    rows = await db.execute(query.group_by(Story.value_cycle))
    return {cycle: int(n) for cycle, n in rows.all()}
