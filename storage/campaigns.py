"""Story campaigns: rounds, who was invited from which participation stratum, who answered."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Act, Activity, CampaignRound, Contribution, Membership, RoundInvite, StoryCampaign


async def current(db: AsyncSession, community_id: int) -> StoryCampaign | None:
    return await db.scalar(
        select(StoryCampaign)
        .where(StoryCampaign.community_id == community_id, StoryCampaign.active)
        .order_by(StoryCampaign.id.desc())
    )


async def by_id(db: AsyncSession, campaign_id: int) -> StoryCampaign | None:
    return await db.get(StoryCampaign, campaign_id)


async def start(db: AsyncSession, **fields: object) -> StoryCampaign:
    campaign = StoryCampaign(**fields)
    db.add(campaign)
    await db.flush()
    return campaign


async def participation(db: AsyncSession, community_id: int, since: datetime) -> dict[int, int]:
    """Every active member of the community with their count of recorded actions since `since` (0 for the silent)."""
    # Joining is not taking part: it is left out, so members who only joined count as silent. Acts are in the
    # participation ledger; the activity log adds the commands members typed.
    taking_part = (Activity.kind != "joined") & ~((Activity.kind == "command") & (Activity.subject == "join"))
    logged = select(Activity.member_id).where(Activity.community_id == community_id, Activity.at >= since, taking_part)
    acted = select(Contribution.member_id).where(
        Contribution.community_id == community_id, Contribution.at >= since, Contribution.kind != Act.JOINED
    )
    both = union_all(logged, acted).subquery()
    counts = select(both.c.member_id, func.count().label("n")).group_by(both.c.member_id).subquery()
    rows = await db.execute(
        select(Membership.member_id, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.member_id == Membership.member_id)
        .where(Membership.community_id == community_id, Membership.left_at.is_(None))
    )
    return {member_id: int(n) for member_id, n in rows.all()}


async def recently_invited(db: AsyncSession, campaign_id: int, since: datetime) -> set[int]:
    rows = await db.scalars(
        select(RoundInvite.member_id)
        .join(CampaignRound)
        .where(CampaignRound.campaign_id == campaign_id, RoundInvite.invited_at >= since)
    )
    return set(rows)


async def open_round(db: AsyncSession, campaign_id: int, started_at: datetime, ends_at: datetime) -> CampaignRound:
    round_ = CampaignRound(campaign_id=campaign_id, started_at=started_at, ends_at=ends_at, invited=0, responded=0)
    db.add(round_)
    await db.flush()
    return round_


async def round_by_id(db: AsyncSession, round_id: int) -> CampaignRound | None:
    return await db.get(CampaignRound, round_id)


async def invite(db: AsyncSession, round_: CampaignRound, member_id: int, stratum: str, now: datetime) -> None:
    db.add(RoundInvite(round_id=round_.id, member_id=member_id, stratum=stratum, invited_at=now))
    round_.invited += 1


async def invites(db: AsyncSession, round_id: int, *, unanswered: bool = False) -> Sequence[RoundInvite]:
    query = select(RoundInvite).where(RoundInvite.round_id == round_id)
    if unanswered:
        query = query.where(RoundInvite.responded_at.is_(None))
    return (await db.scalars(query.order_by(RoundInvite.id))).all()


async def answered(db: AsyncSession, round_: CampaignRound, member_id: int, now: datetime) -> RoundInvite | None:
    """Mark the member's invitation answered (late after the round ended); None if they were not invited."""
    invitation = await db.scalar(
        select(RoundInvite).where(RoundInvite.round_id == round_.id, RoundInvite.member_id == member_id)
    )
    if invitation is None or invitation.responded_at is not None:
        return invitation
    invitation.responded_at = now
    invitation.late = now > round_.ends_at
    round_.responded += 1
    return invitation


async def rounds(db: AsyncSession, campaign_id: int, limit: int = 5) -> Sequence[CampaignRound]:
    return (
        await db.scalars(
            select(CampaignRound)
            .where(CampaignRound.campaign_id == campaign_id)
            .order_by(CampaignRound.started_at.desc())
            .limit(limit)
        )
    ).all()
