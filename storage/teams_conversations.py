"""Teams conversation references: remembered from inbound traffic, looked up for proactive messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import TeamsConversation


@dataclass(frozen=True)
class ConversationRef:
    """A stored conversation, as a plain object (the ORM row stays in storage)."""

    conversation_id: str
    tenant: str
    kind: str
    user_id: str | None
    service_url: str
    bot_id: str
    reference: dict[str, Any]


def _plain(row: TeamsConversation) -> ConversationRef:
    return ConversationRef(
        row.conversation_id, row.tenant, row.kind, row.user_id, row.service_url, row.bot_id, dict(row.reference)
    )


async def remember(db: AsyncSession, ref: ConversationRef, now: datetime) -> None:
    """Insert or refresh a conversation (the service URL of a tenant can change; the latest wins)."""
    row = await db.scalar(select(TeamsConversation).where(TeamsConversation.conversation_id == ref.conversation_id))
    if row is None:
        db.add(
            TeamsConversation(
                conversation_id=ref.conversation_id,
                tenant=ref.tenant,
                kind=ref.kind,
                user_id=ref.user_id,
                service_url=ref.service_url,
                bot_id=ref.bot_id,
                reference=ref.reference,
                updated_at=now,
            )
        )
    elif (row.service_url, row.bot_id, row.reference, row.tenant) != (
        ref.service_url,
        ref.bot_id,
        ref.reference,
        ref.tenant,
    ):
        row.service_url, row.bot_id, row.reference, row.tenant = (
            ref.service_url,
            ref.bot_id,
            dict(ref.reference),
            ref.tenant,
        )
        row.user_id = ref.user_id or row.user_id
        row.updated_at = now
    await db.flush()


async def find(db: AsyncSession, conversation_id: str) -> ConversationRef | None:
    row = await db.scalar(select(TeamsConversation).where(TeamsConversation.conversation_id == conversation_id))
    return None if row is None else _plain(row)


async def personal(db: AsyncSession, tenant: str, user_id: str) -> ConversationRef | None:
    """The personal chat with a member, if Cultivate has one."""
    row = await db.scalar(
        select(TeamsConversation)
        .where(
            TeamsConversation.tenant == tenant,
            TeamsConversation.user_id == user_id,
            TeamsConversation.kind == "personal",
        )
        .order_by(TeamsConversation.updated_at.desc())
        .limit(1)
    )
    return None if row is None else _plain(row)


async def latest_in_tenant(db: AsyncSession, tenant: str) -> ConversationRef | None:
    """Any recent conversation in the tenant: its service URL and bot id are what opening a new chat needs."""
    row = await db.scalar(
        select(TeamsConversation)
        .where(TeamsConversation.tenant == tenant)
        .order_by(TeamsConversation.updated_at.desc(), TeamsConversation.id.desc())
        .limit(1)
    )
    return None if row is None else _plain(row)
