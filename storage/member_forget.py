"""Forgetting a member (/cop forget-me, after its grace period): what is theirs goes, what others depend on stays
as "a former member".

The member row itself stays, emptied (no name, no profile, no identity, no membership): the requests, replies and
credits others gave keep pointing at it, so threads and counts stay whole, and nothing leads back to the person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.member_columns import IDENTITY_KEYED, MEMBER_COLUMNS, MEMBER_ID_LISTS, OnForget
from storage.member_export import identity_rows
from storage.member_merge import payload_member, replace_id
from storage.models import (
    FORMER_MEMBER,
    Delivery,
    DeliveryStatus,
    Introduction,
    KnowledgeItem,
    Member,
    PostedCard,
    Story,
)


@dataclass
class Forgotten:
    """Rows deleted and rows kept (anonymised) by "table.column", and where the introduction cards were posted
    (the caller replaces them on the platforms)."""

    deleted: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    intro_cards: list[PostedCard] = field(default_factory=list)


async def forget(db: AsyncSession, member: Member, now: datetime) -> Forgotten:
    done = Forgotten()
    name = member.called
    intros = (await db.scalars(select(Introduction).where(Introduction.member_id == member.id))).all()
    done.intro_cards = [card for intro in intros for card in intro.cards]
    await _unname_library(db, member, name)
    for keyed in IDENTITY_KEYED:  # first: they are found through the identities, which go below
        rows = await identity_rows(db, keyed, member)
        for row in rows:
            await db.delete(row)
        if rows:
            done.deleted[keyed.name] = len(rows)
    for spec in MEMBER_COLUMNS:
        model, mine = spec.column.class_, spec.column == member.id
        if spec.forget_update is not None:
            matching, values = spec.forget_update
            await db.execute(update(model).where(mine, matching).values(values(now)))
        if spec.on_forget is OnForget.DELETE:
            where = mine if spec.forget_only is None else and_(mine, spec.forget_only)
            result = await db.execute(delete(model).where(where))
            if count := int(getattr(result, "rowcount", 0) or 0):
                done.deleted[spec.name] = count
        if spec.on_forget is OnForget.KEEP or spec.forget_only is not None:
            left = len((await db.scalars(select(model.id).where(mine))).all())
            if left:
                done.kept[spec.name] = left
    for column in MEMBER_ID_LISTS:
        await replace_id(db, column, member.id, None)
    await db.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.PENDING, payload_member() == member.id)
        .values(status=DeliveryStatus.CANCELLED, finished_at=now, last_error="the member asked to be forgotten")
        .execution_options(synchronize_session=False)
    )
    member.display_name = FORMER_MEMBER
    member.profile = {}
    member.timezone = None
    member.reach_on = None
    member.language = None
    member.platform_locale = None
    member.forget_due_at = None
    member.forgotten_at = now
    member.refreshed_at = now
    await db.flush()
    await db.refresh(member, ["identities"])
    return done


async def _unname_library(db: AsyncSession, member: Member, name: str) -> None:
    """Stories others may still read stay in the library, told by "a former member" instead of by name."""
    items = (
        await db.scalars(
            select(KnowledgeItem)
            .join(Story, Story.knowledge_item_id == KnowledgeItem.id)
            .where(Story.teller_id == member.id)
        )
    ).all()
    for item in items:
        if name and name in item.body:
            item.body = item.body.replace(name, FORMER_MEMBER)
        if item.added_by == member.id:
            item.added_by = None
