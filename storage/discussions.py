"""Discussions, where their threads are, who replied, and who follows a topic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbound
from storage.models import (
    Discussion,
    DiscussionPost,
    DiscussionReply,
    DiscussionStatus,
    Membership,
    PostedCard,
    TopicFollow,
)

LIVE = (DiscussionStatus.SCHEDULED, DiscussionStatus.OPEN)


async def add(db: AsyncSession, **fields: object) -> Discussion:
    discussion = Discussion(**fields)
    db.add(discussion)
    await db.flush()
    return discussion


async def by_id(db: AsyncSession, discussion_id: int) -> Discussion | None:
    return await db.get(Discussion, discussion_id)


async def in_community(
    db: AsyncSession, community_id: int, statuses: Sequence[str], *, limit: int = 10, newest_first: bool = False
) -> Sequence[Discussion]:
    order = Discussion.opens_at.desc() if newest_first else Discussion.opens_at
    return (
        await db.scalars(
            select(Discussion)
            .where(Discussion.community_id == community_id, Discussion.status.in_(statuses))
            .order_by(order, Discussion.id)
            .limit(limit)
        )
    ).all()


async def keep_posts(db: AsyncSession, discussion_id: int, posts: list[PostedCard]) -> None:
    for post in posts:
        if post.ref:
            db.add(
                DiscussionPost(
                    discussion_id=discussion_id,
                    platform=post.platform,
                    tenant=post.tenant,
                    channel=post.channel,
                    ref=post.ref,
                )
            )
    await db.flush()


async def posts(db: AsyncSession, discussion_id: int) -> list[PostedCard]:
    rows = await db.scalars(
        select(DiscussionPost).where(DiscussionPost.discussion_id == discussion_id).order_by(DiscussionPost.id)
    )
    return [PostedCard(p.platform, p.tenant, p.channel, p.ref) for p in rows]


async def by_thread(db: AsyncSession, platform: str, channel: str, ref: str) -> Discussion | None:
    """The discussion whose opening post is the root of this thread, if any (kept under the platform's reference,
    or under the outbound queue's name for it)."""
    names = [ref, *await outbound.logical_refs(db, platform, channel, ref)]
    return await db.scalar(
        select(Discussion)
        .join(DiscussionPost, DiscussionPost.discussion_id == Discussion.id)
        .where(DiscussionPost.platform == platform, DiscussionPost.channel == channel, DiscussionPost.ref.in_(names))
        .limit(1)
    )


async def add_reply(db: AsyncSession, discussion: Discussion, member_id: int, at: datetime) -> None:
    db.add(DiscussionReply(discussion_id=discussion.id, member_id=member_id, at=at))
    discussion.last_reply_at = at
    await db.flush()


async def replies_by_member(db: AsyncSession, discussion_id: int) -> dict[int, int]:
    rows = await db.execute(
        select(DiscussionReply.member_id, func.count())
        .where(DiscussionReply.discussion_id == discussion_id)
        .group_by(DiscussionReply.member_id)
    )
    return {member_id: int(n) for member_id, n in rows.all()}


async def active_members(db: AsyncSession, community_id: int, since: datetime, limit: int = 5) -> list[tuple[int, int]]:
    """Current members who replied most in the community's discussions since `since`: (member id, replies)."""
    n = func.count(DiscussionReply.id)
    rows = await db.execute(
        select(DiscussionReply.member_id, n)
        .join(Discussion, Discussion.id == DiscussionReply.discussion_id)
        .join(
            Membership, (Membership.member_id == DiscussionReply.member_id) & (Membership.community_id == community_id)
        )
        .where(Discussion.community_id == community_id, DiscussionReply.at >= since, Membership.left_at.is_(None))
        .group_by(DiscussionReply.member_id)
        .order_by(n.desc(), DiscussionReply.member_id)
        .limit(limit)
    )
    return [(member_id, int(count)) for member_id, count in rows.all()]


async def topics(db: AsyncSession, community_id: int) -> list[str]:
    """The topics the community's discussions have had, casefolded, once each."""
    return list(
        await db.scalars(select(func.lower(Discussion.topic)).where(Discussion.community_id == community_id).distinct())
    )


async def follow(db: AsyncSession, community_id: int, member_id: int, topic: str, now: datetime) -> bool:
    """Follow a topic; False if already followed."""
    topic = topic.casefold()
    if (
        await db.scalar(
            select(TopicFollow.id).where(
                TopicFollow.community_id == community_id, TopicFollow.member_id == member_id, TopicFollow.topic == topic
            )
        )
        is not None
    ):
        return False
    db.add(TopicFollow(community_id=community_id, member_id=member_id, topic=topic, created_at=now))
    await db.flush()
    return True


async def unfollow(db: AsyncSession, community_id: int, member_id: int, topic: str) -> bool:
    result = await db.execute(
        delete(TopicFollow).where(
            TopicFollow.community_id == community_id,
            TopicFollow.member_id == member_id,
            TopicFollow.topic == topic.casefold(),
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def followed(db: AsyncSession, community_id: int, member_id: int) -> list[str]:
    return list(
        await db.scalars(
            select(TopicFollow.topic)
            .where(TopicFollow.community_id == community_id, TopicFollow.member_id == member_id)
            .order_by(TopicFollow.topic)
        )
    )


async def followers(db: AsyncSession, community_id: int, topic: str) -> list[int]:
    """Current members following the topic."""
    return list(
        await db.scalars(
            select(TopicFollow.member_id)
            .join(
                Membership, (Membership.member_id == TopicFollow.member_id) & (Membership.community_id == community_id)
            )
            .where(
                TopicFollow.community_id == community_id,
                TopicFollow.topic == topic.casefold(),
                Membership.left_at.is_(None),
            )
            .order_by(TopicFollow.member_id)
        )
    )
