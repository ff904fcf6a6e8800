"""Stories of value, and who may see them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AssistParticipant, AssistRequest, AssistStatus, Consent, Story

# Narrowest first: the index is how wide a consent is.
WIDTH = {c: i for i, c in enumerate(Consent)}


async def tell(db: AsyncSession, **fields: object) -> Story:
    story = Story(**fields)
    db.add(story)
    await db.flush()
    return story


async def by_id(db: AsyncSession, story_id: int) -> Story | None:
    return await db.get(Story, story_id)


async def visible(
    db: AsyncSession, community_id: int, *, viewer_id: int, coordinator: bool, limit: int, offset: int = 0
) -> Sequence[Story]:
    """Recent stories the viewer may read: their own, coordinators' all, others' from 'community' consent upward."""
    query = select(Story).where(Story.community_id == community_id)
    if not coordinator:
        query = query.where((Story.teller_id == viewer_id) | (Story.consent != Consent.COORDINATORS))
    return (
        await db.scalars(query.order_by(Story.created_at.desc(), Story.id.desc()).limit(limit).offset(offset))
    ).all()


async def for_export(db: AsyncSession, *, since: datetime | None, include_private: bool) -> Sequence[Story]:
    query = select(Story)
    if since is not None:
        query = query.where(Story.created_at >= since)
    if not include_private:
        query = query.where(Story.consent != Consent.COORDINATORS)
    return (await db.scalars(query.order_by(Story.created_at, Story.id))).all()


async def recent_help(db: AsyncSession, member_id: int, since: datetime) -> Sequence[AssistRequest]:
    """Resolved peer assists the member took part in lately: offered as 'what helped'."""
    mine = select(AssistParticipant.request_id).where(AssistParticipant.member_id == member_id)
    return (
        await db.scalars(
            select(AssistRequest)
            .where(
                AssistRequest.status == AssistStatus.RESOLVED,
                AssistRequest.closed_at >= since,
                (AssistRequest.asker_id == member_id) | AssistRequest.id.in_(mine),
            )
            .order_by(AssistRequest.closed_at.desc())
            .limit(5)
        )
    ).all()
