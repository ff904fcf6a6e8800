"""What keeps the bot dependable: conversations in progress, the delivery outbox, processed events, activity."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Conversation(Base):
    """A form being asked field by field in a direct conversation; survives restarts."""

    __tablename__ = "conversation"
    __table_args__ = (UniqueConstraint("member_id", "platform"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(32))
    form: Mapped[dict[str, Any]]
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    position: Mapped[int] = mapped_column(default=0)
    # Shown as a native form (modal, card): answers arrive whole, not message by message.
    native: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class Delivery(Base):
    """Something that must happen later: the outbox the scheduler drains."""

    __tablename__ = "delivery"
    __table_args__ = (Index("ix_delivery_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200), unique=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    due_at: Mapped[datetime]
    # After due_at + this many seconds the delivery is no longer useful and is skipped.
    useful_for: Mapped[int | None]
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class Activity(Base):
    """Who did what, when: the raw material of participation measures (no message contents)."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_community_at", "community_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
