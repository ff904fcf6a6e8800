"""Communities, their home channels and who holds which role in them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import dialect
from storage.models import Community, CommunityChannel, Member, Membership, Role


@dataclass(frozen=True)
class CommunitySpec:
    """A community as configuration describes it."""

    slug: str
    name: str
    domain: str = ""
    topics: tuple[str, ...] = ()
    timezone: str = "UTC"
    # (platform, tenant, channel) of each home channel
    channels: tuple[tuple[str, str, str], ...] = ()
    # Switches, e.g. channel_welcome: greet newcomers in the home channel too (batched)
    settings: tuple[tuple[str, bool], ...] = ()


async def ensure(db: AsyncSession, spec: CommunitySpec, now: datetime) -> Community:
    """Create the community or bring it in line with configuration (name, domain, topics, channels)."""
    community = await by_slug(db, spec.slug)
    if community is None:
        community = Community(slug=spec.slug, created_at=now, channels=[])
        db.add(community)
    community.name = spec.name
    community.domain = spec.domain
    community.topics = list(spec.topics)
    community.timezone = spec.timezone
    community.settings = {**(community.settings or {}), **dict(spec.settings)}
    have = {(c.platform, c.tenant, c.channel) for c in community.channels}
    for platform, tenant, channel in spec.channels:
        if (platform, tenant, channel) not in have:
            community.channels.append(CommunityChannel(platform=platform, tenant=tenant, channel=channel))
    await db.flush()
    return community


def switch(community: Community, name: str, on: bool) -> None:
    community.settings = {**(community.settings or {}), name: on}


async def by_slug(db: AsyncSession, slug: str) -> Community | None:
    return await db.scalar(select(Community).where(func.lower(Community.slug) == slug.lower()))


async def by_id(db: AsyncSession, community_id: int) -> Community | None:
    return await db.get(Community, community_id)


async def all_communities(db: AsyncSession) -> Sequence[Community]:
    return (await db.scalars(select(Community).order_by(Community.slug))).all()


async def for_channel(db: AsyncSession, platform: str, tenant: str, channel: str) -> Community | None:
    return await db.scalar(
        select(Community)
        .join(CommunityChannel)
        .where(
            CommunityChannel.platform == platform,
            CommunityChannel.tenant == tenant,
            CommunityChannel.channel == channel,
        )
    )


def home_channels(community: Community, platform: str | None = None) -> list[CommunityChannel]:
    return [c for c in community.channels if platform is None or c.platform == platform]


async def membership(db: AsyncSession, community: Community, member: Member) -> Membership | None:
    return await db.scalar(
        select(Membership).where(Membership.community_id == community.id, Membership.member_id == member.id)
    )


async def active_communities(db: AsyncSession, member: Member) -> Sequence[Community]:
    return (
        await db.scalars(
            select(Community)
            .join(Membership)
            .where(Membership.member_id == member.id, Membership.left_at.is_(None))
            .order_by(Membership.joined_at.desc())
        )
    ).all()


async def holds(db: AsyncSession, community: Community, member: Member, role: Role) -> bool:
    """Whether the member currently holds `role` (or a higher one) in the community."""
    held = await role_of(db, community, member)
    return held is not None and held >= role


async def role_of(db: AsyncSession, community: Community, member: Member) -> Role | None:
    m = await membership(db, community, member)
    return Role(m.role) if m is not None and m.left_at is None else None


async def join(db: AsyncSession, community: Community, member: Member, now: datetime) -> tuple[Membership, bool]:
    """Make the member an active member; returns (membership, whether anything changed)."""
    m = await membership(db, community, member)
    if m is None:
        # Insert-or-get: two first commands at once both get here, and only one of them adds (and welcomes).
        added = await db.scalar(
            dialect.insert(db, Membership)
            .values(community_id=community.id, member_id=member.id, role=Role.MEMBER, joined_at=now)
            .on_conflict_do_nothing(index_elements=[Membership.community_id, Membership.member_id])
            .returning(Membership.id)
        )
        m = await membership(db, community, member)
        assert m is not None
        if added is not None:
            return m, True
    if m.left_at is not None:
        m.left_at = None
        m.joined_at = now
        m.role = Role.MEMBER
        return m, True
    return m, False


async def leave(db: AsyncSession, m: Membership, now: datetime) -> None:
    m.left_at = now


async def set_role(db: AsyncSession, m: Membership, role: Role) -> None:
    m.role = role


async def holders(db: AsyncSession, community: Community, role: Role) -> Sequence[Member]:
    """Active members holding exactly this role."""
    return (
        await db.scalars(
            select(Member)
            .join(Membership)
            .where(Membership.community_id == community.id, Membership.role == role, Membership.left_at.is_(None))
            .order_by(Member.display_name)
        )
    ).all()


async def count_members(db: AsyncSession, community: Community) -> int:
    return (
        await db.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.community_id == community.id, Membership.left_at.is_(None))
        )
        or 0
    )
