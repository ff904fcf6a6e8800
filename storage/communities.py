"""Communities, their home channels and who holds which role in them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import dialect
from storage.models import Community, CommunityChannel, Member, Membership, Role

# What coordinators may change from chat (/cop community edit); once changed there, the file leaves it alone.
EDITABLE = ("name", "domain", "topics", "timezone", "language")


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
    language: str = "en"


class ChannelTaken(Exception):
    """The configuration file gives a channel to one community while the database has it as another's home, and
    not because of a change made in chat; the message is one line for the operator."""


async def seed(db: AsyncSession, spec: CommunitySpec, now: datetime) -> list[str]:
    """Create the community the file describes, or bring it in line with the file, without undoing what was changed
    from chat: a field edited in chat keeps its chat value, a channel removed in chat stays removed, a channel given
    to another community in chat (or moved by a merge) stays there, and a community merged away stays merged.
    Returns notes for the operator's log; raises ChannelTaken for a contradiction in the file itself."""
    community = await by_slug(db, spec.slug)
    if community is not None and community.merged_into_id is not None:
        target = await by_id(db, community.merged_into_id)
        return [
            f"community {spec.slug!r} was merged into {target.slug if target else '?'!r} from chat; "
            "its entry in CULTIVATE_CONFIG is ignored"
        ]
    notes = []
    if community is None:
        community = Community(slug=spec.slug, created_at=now, channels=[], chat_fields=[], dropped_channels=[])
        db.add(community)
    values = {
        "name": spec.name,
        "domain": spec.domain,
        "topics": list(spec.topics),
        "timezone": spec.timezone,
        "language": spec.language,
    }
    for name, value in values.items():
        if name not in (community.chat_fields or []):
            setattr(community, name, value)
        elif getattr(community, name) != value:
            notes.append(
                f"community {spec.slug!r}: {name} was changed from chat; the value in CULTIVATE_CONFIG is ignored"
            )
    community.settings = {**(community.settings or {}), **dict(spec.settings)}
    have = {(c.platform, c.tenant, c.channel) for c in community.channels}
    for platform, tenant, channel in spec.channels:
        if (platform, tenant, channel) in have:
            continue
        if channel_key(platform, tenant, channel) in (community.dropped_channels or []):
            notes.append(
                f"community {spec.slug!r}: {platform} channel {channel!r} was removed from chat; not added back"
            )
            continue
        home = await channel_row(db, platform, tenant, channel)
        if home is not None and home.from_chat:
            notes.append(
                f"community {spec.slug!r}: {platform} channel {channel!r} was given to another community from chat; "
                "it stays there"
            )
            continue
        if home is not None:
            other = await by_id(db, home.community_id)
            raise ChannelTaken(
                f"CULTIVATE_CONFIG gives {platform} channel {channel!r} to {spec.slug!r}, "
                f"but it is already the home of {other.slug if other else '?'!r}"
            )
        community.channels.append(CommunityChannel(platform=platform, tenant=tenant, channel=channel))
    await db.flush()
    return notes


def channel_key(platform: str, tenant: str, channel: str) -> str:
    return f"{platform}/{tenant}/{channel}"


async def channel_row(db: AsyncSession, platform: str, tenant: str, channel: str) -> CommunityChannel | None:
    return await db.scalar(
        select(CommunityChannel).where(
            CommunityChannel.platform == platform,
            CommunityChannel.tenant == tenant,
            CommunityChannel.channel == channel,
        )
    )


async def create(db: AsyncSession, slug: str, name: str, *, timezone: str, language: str, now: datetime) -> Community:
    """A community made from chat: every field is chat's; it can be tried in the console under its slug."""
    community = Community(
        slug=slug,
        name=name,
        domain="",
        topics=[],
        timezone=timezone,
        language=language,
        settings={},
        created_at=now,
        channels=[],
        chat_fields=list(EDITABLE),
        dropped_channels=[],
    )
    db.add(community)
    await db.flush()
    if await channel_row(db, "console", "local", slug) is None:
        community.channels.append(CommunityChannel(platform="console", tenant="local", channel=slug, from_chat=True))
        await db.flush()
    return community


def edit(community: Community, name: str, value: object) -> None:
    """Change one EDITABLE field from chat; the configuration file will not change it back."""
    setattr(community, name, value)
    if name not in (community.chat_fields or []):
        community.chat_fields = [*(community.chat_fields or []), name]


async def add_channel(
    db: AsyncSession, community: Community, platform: str, tenant: str, channel: str
) -> Community | None:
    """Make the channel a home of the community; returns the community that already has it (None when done)."""
    row = await channel_row(db, platform, tenant, channel)
    if row is not None:
        return community if row.community_id == community.id else await by_id(db, row.community_id)
    community.channels.append(CommunityChannel(platform=platform, tenant=tenant, channel=channel, from_chat=True))
    key = channel_key(platform, tenant, channel)
    if key in (community.dropped_channels or []):
        community.dropped_channels = [k for k in community.dropped_channels if k != key]
    await db.flush()
    return None


async def remove_channel(db: AsyncSession, community: Community, platform: str, tenant: str, channel: str) -> bool:
    """The channel is no longer a home of the community (and the file will not make it one again)."""
    row = next(
        (c for c in community.channels if (c.platform, c.tenant, c.channel) == (platform, tenant, channel)), None
    )
    if row is None:
        return False
    community.channels.remove(row)
    await db.delete(row)
    community.dropped_channels = [*(community.dropped_channels or []), channel_key(platform, tenant, channel)]
    await db.flush()
    return True


def switch(community: Community, name: str, on: bool) -> None:
    community.settings = {**(community.settings or {}), name: on}


async def by_slug(db: AsyncSession, slug: str) -> Community | None:
    return await db.scalar(select(Community).where(func.lower(Community.slug) == slug.lower()))


async def by_id(db: AsyncSession, community_id: int) -> Community | None:
    return await db.get(Community, community_id)


async def all_communities(db: AsyncSession, *, include_archived: bool = False) -> Sequence[Community]:
    """Communities by slug; archived (and merged) ones only when asked for."""
    query = select(Community).order_by(Community.slug)
    if not include_archived:
        query = query.where(Community.archived_at.is_(None))
    return (await db.scalars(query)).all()


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
    """The communities the member belongs to and that are not archived, the most recently joined first."""
    return (
        await db.scalars(
            select(Community)
            .join(Membership)
            .where(Membership.member_id == member.id, Membership.left_at.is_(None), Community.archived_at.is_(None))
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
