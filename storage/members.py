"""Members and their platform identities."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Identity, Member, Membership


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
        member = Member(
            display_name=display_name or user_id, timezone=timezone, created_at=now, profile={}, identities=[]
        )
        member.identities.append(Identity(platform=platform, tenant=tenant, user_id=user_id))
        try:
            async with db.begin_nested():
                db.add(member)
        except IntegrityError:
            # Another process created the same identity a moment ago.
            found = await by_identity(db, platform, tenant, user_id)
            assert found is not None
            return found, False
        return member, True
    if member.refreshed_at is None:
        if display_name and member.display_name != display_name:
            member.display_name = display_name
        if timezone and member.timezone != timezone:
            member.timezone = timezone
    return member, False


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
