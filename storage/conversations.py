"""Field-by-field conversations in progress, kept so a restart resumes where the member was."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import dialect
from storage.models import Conversation


async def current(db: AsyncSession, member_id: int, platform: str) -> Conversation | None:
    return await db.scalar(
        select(Conversation).where(Conversation.member_id == member_id, Conversation.platform == platform)
    )


async def start(
    db: AsyncSession,
    member_id: int,
    platform: str,
    community_id: int | None,
    form: dict[str, Any],
    now: datetime,
    *,
    native: bool = False,
) -> tuple[Conversation, Conversation | None]:
    """Begin a conversation; returns (new, the unfinished one it replaced, if any). A member has one per platform:
    a new one takes the old one's place in a single upsert, so the same button pressed twice at once cannot collide."""
    previous = await current(db, member_id, platform)
    replaced = None
    if previous is not None:
        replaced = Conversation(form=previous.form, position=previous.position, answers=dict(previous.answers))
    fresh = {
        "community_id": community_id,
        "form": form,
        "answers": {},
        "position": 0,
        "native": native,
        "started_at": now,
        "updated_at": now,
    }
    statement = dialect.insert(db, Conversation).values(member_id=member_id, platform=platform, **fresh)
    conversation_id = await db.scalar(
        statement.on_conflict_do_update(
            index_elements=[Conversation.member_id, Conversation.platform],
            set_={key: statement.excluded[key] for key in fresh},
        ).returning(Conversation.id)
    )
    conversation = await db.get(Conversation, conversation_id, populate_existing=True)
    assert conversation is not None
    return conversation, replaced


async def save(
    db: AsyncSession, conversation: Conversation, answers: dict[str, Any], position: int, now: datetime
) -> None:
    # A new dict, so the JSON column sees the change.
    conversation.answers = dict(answers)
    conversation.position = position
    conversation.updated_at = now
    await db.flush()


async def finish(db: AsyncSession, conversation: Conversation) -> None:
    await db.execute(delete(Conversation).where(Conversation.id == conversation.id))


async def abandon(db: AsyncSession, member_id: int, platform: str, form_id: str) -> None:
    """Drop a native form that could not be shown, so asking it field by field does not count as replacing it."""
    found = await current(db, member_id, platform)
    if found is not None and found.native and found.form.get("form_id") == form_id:
        await finish(db, found)
        await db.flush()
