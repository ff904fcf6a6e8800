"""Members and their platform identities."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

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


async def get_or_create(
    db: AsyncSession, platform: str, tenant: str, user_id: str, display_name: str, timezone: str | None, now: datetime
) -> tuple[Member, bool]:
    """The member behind a platform identity, created on first sight. Until the platform's profile has been read
    (refreshed_at), the name and timezone the event carries are the best we know."""
    member = await by_identity(db, platform, tenant, user_id)
    if member is None:
        return await _first_sight(db, platform, tenant, user_id, display_name, timezone, now)
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
        .values(member_id=member_id, platform=platform, tenant=tenant, user_id=user_id)
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
