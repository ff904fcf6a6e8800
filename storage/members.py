"""Members, their platform identities, and where a message reaches them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import dialect
from storage.models import Identity, Member, Membership

MAX_NAME = 200  # what the member table keeps of a display name


async def by_identity(db: AsyncSession, platform: str, tenant: str, user_id: str) -> Member | None:
    return await db.scalar(
        select(Member)
        .join(Identity)
        .where(Identity.platform == platform, Identity.tenant == tenant, Identity.user_id == user_id)
    )


# "Where they last spoke" is kept to this resolution, so an active member does not cost a write per event.
SEEN_RESOLUTION = timedelta(minutes=1)


async def get_or_create(
    db: AsyncSession, platform: str, tenant: str, user_id: str, display_name: str, timezone: str | None, now: datetime
) -> tuple[Member, bool]:
    """The member behind a platform identity, created on first sight, and noted as seen there now. Until the
    platform's profile has been read (refreshed_at), the name and timezone the event carries are the best we know."""
    member = await by_identity(db, platform, tenant, user_id)
    if member is None:
        return await _first_sight(db, platform, tenant, user_id, display_name, timezone, now)
    seen(member, platform, tenant, user_id, now)
    if member.refreshed_at is None:
        if display_name and member.display_name != display_name:
            member.display_name = display_name[:MAX_NAME]
        if timezone and member.timezone != timezone:
            member.timezone = timezone
    return member, False


async def _first_sight(
    db: AsyncSession, platform: str, tenant: str, user_id: str, display_name: str, timezone: str | None, now: datetime
) -> tuple[Member, bool]:
    """Insert-or-get: a new member claims the identity with ON CONFLICT DO NOTHING; when another process claimed it
    first (two first messages at once), ours is dropped and theirs is the member."""
    member_id = await db.scalar(
        insert(Member)
        .values(display_name=(display_name or user_id)[:MAX_NAME], timezone=timezone, created_at=now, profile={})
        .returning(Member.id)
    )
    claimed = await db.scalar(
        dialect.insert(db, Identity)
        .values(member_id=member_id, platform=platform, tenant=tenant, user_id=user_id, last_seen_at=now)
        .on_conflict_do_nothing(index_elements=[Identity.platform, Identity.tenant, Identity.user_id])
        .returning(Identity.id)
    )
    if claimed is None:
        await db.execute(delete(Member).where(Member.id == member_id))
        found = await by_identity(db, platform, tenant, user_id)
        assert found is not None  # the conflicting identity is committed, so it is seen
        return found, False
    member = await db.get(Member, member_id)
    assert member is not None
    return member, True


async def by_id(db: AsyncSession, member_id: int) -> Member | None:
    return await db.get(Member, member_id)


async def by_ids(db: AsyncSession, member_ids: Collection[int]) -> dict[int, Member]:
    """Members by id, a few thousand per query (those that exist)."""
    ids, out = list(member_ids), {}
    for start in range(0, len(ids), 5000):
        found = await db.scalars(select(Member).where(Member.id.in_(ids[start : start + 5000])))
        out.update({m.id: m for m in found.all()})
    return out


async def find_in_community(db: AsyncSession, community_id: int, name: str) -> Sequence[Member]:
    """Current members of a community whose name or platform user id is `name`, ignoring case and '@'."""
    wanted = name.strip().lstrip("@").casefold()
    by_name = select(Member.id).where(func.lower(Member.display_name) == wanted)
    by_user = select(Identity.member_id).where(func.lower(Identity.user_id) == wanted)
    return (
        await db.scalars(
            select(Member)
            .join(Membership)
            .where(
                Membership.community_id == community_id,
                Membership.left_at.is_(None),
                Member.id.in_(by_name.union(by_user)),
            )
            .order_by(Member.id)
        )
    ).all()


def identity_on(member: Member, platform: str) -> Identity | None:
    return next((i for i in member.identities if i.platform == platform), None)


def seen(member: Member, platform: str, tenant: str, user_id: str, now: datetime) -> None:
    """Note that the member spoke from this identity. Written at most once a minute per identity, except when
    they come from another platform than last time: that is always noted, it decides where messages go."""
    identity = next(
        (i for i in member.identities if (i.platform, i.tenant, i.user_id) == (platform, tenant, user_id)), None
    )
    if identity is None:
        return
    last = identity.last_seen_at
    elsewhere = any(
        i is not identity and i.last_seen_at is not None and (last is None or i.last_seen_at > last)
        for i in member.identities
    )
    if last is None or elsewhere or now - last >= SEEN_RESOLUTION:
        identity.last_seen_at = now


def preferred_identity(
    member: Member, running_platforms: Collection[str], current_platform: str | None = None
) -> Identity | None:
    """The identity a message to the member goes to, among platforms that are running:

    1. `current_platform`, the platform they are speaking from right now (pass it only for the member who acted:
       an answer to what they did arrives where they are);
    2. the platform they chose with `/cop reach me on ...`;
    3. where they last spoke to Cultivate;
    4. any identity on a running platform (the oldest first).
    None when none of their platforms is running."""
    reachable = [i for i in member.identities if i.platform in running_platforms]
    if not reachable:
        return None
    for platform in (current_platform, member.reach_on):
        chosen = next((i for i in reachable if platform is not None and i.platform == platform), None)
        if chosen is not None:
            return chosen
    seen_ones = [i for i in reachable if i.last_seen_at is not None]
    if seen_ones:
        return max(seen_ones, key=lambda i: i.last_seen_at or datetime.min)
    return min(reachable, key=lambda i: i.id or 0)


def platforms_of(member: Member) -> list[str]:
    """The platforms the member has an identity on, each once, in the order they were linked."""
    return list(dict.fromkeys(i.platform for i in sorted(member.identities, key=lambda i: i.id or 0)))
