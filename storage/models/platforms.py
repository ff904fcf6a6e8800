"""What a platform needs remembered between processes: Teams conversation references for proactive messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class TeamsConversation(Base):
    """A Bot Framework conversation Cultivate may write to later (a personal chat, a channel, a group chat).

    Captured from every inbound activity and installation, so reminders reach members after a restart."""

    __tablename__ = "teams_conversation"
    __table_args__ = (Index("ix_teams_conversation_user", "tenant", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(400), unique=True)
    tenant: Mapped[str] = mapped_column(String(100))
    # personal, channel or groupChat; for personal chats, the member on the other side.
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str | None] = mapped_column(String(200))
    service_url: Mapped[str] = mapped_column(String(500))
    bot_id: Mapped[str] = mapped_column(String(200))
    # The platform's own conversation reference, kept whole and read only by the Teams adapter.
    reference: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]
