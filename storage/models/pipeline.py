"""The durable message road: what members said (the inbound journal) and what Cultivate says (the outbound queue).

Both are worked by claims with short leases, renewed while work runs; `lane` keeps order where order matters
(one member's events; one conversation's messages) while lanes go side by side."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class WorkStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DONE = "done"  # inbound: handled; outbound: sent
    FAILED = "failed"


class InboundEntry(Base):
    """A platform event, authenticated and written before the platform was acknowledged."""

    __tablename__ = "inbound"
    __table_args__ = (
        UniqueConstraint("platform", "event_id"),
        Index("ix_inbound_work", "status", "lane", "id"),
        Index("ix_inbound_received", "received_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    # The platform's id for the event (a slash command's trigger id), or one of ours when it gives none.
    event_id: Mapped[str] = mapped_column(String(200))
    # Events of one member are handled in the order they arrived: "platform:tenant:user".
    lane: Mapped[str] = mapped_column(String(300))
    event: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default=WorkStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    lease_until: Mapped[datetime | None]
    received_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


class OutboundMessage(Base):
    """A message on its way out: written in the transaction of the work that decided it, sent after commit."""

    __tablename__ = "outbound"
    __table_args__ = (
        Index("ix_outbound_work", "status", "priority", "id"),
        Index("ix_outbound_lane", "lane", "id"),
        Index("ix_outbound_platform_ref", "platform", "channel", "platform_ref"),
        Index("ix_outbound_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id", ondelete="SET NULL"))
    platform: Mapped[str] = mapped_column(String(32))
    tenant: Mapped[str] = mapped_column(String(128), default="")
    # A channel or a direct conversation's id; empty for a direct message addressed by user (`to_user`).
    channel: Mapped[str] = mapped_column(String(400), default="")
    to_user: Mapped[str | None] = mapped_column(String(200))
    direct: Mapped[bool] = mapped_column(default=False)
    # A thread root or a message to replace: a platform reference, or "o:<id>" for a message of this queue.
    thread: Mapped[str | None] = mapped_column(String(200))
    replaces: Mapped[str | None] = mapped_column(String(200))
    only_for: Mapped[str | None] = mapped_column(String(200))
    private: Mapped[bool] = mapped_column(default=False)
    message: Mapped[dict[str, Any]]
    # Messages of one lane go out in order, one at a time: a conversation, or one member's whispers in a channel.
    lane: Mapped[str] = mapped_column(String(700))
    # 0: an answer to a person; 1: a routine's own (reminders, fan-out): answers go first.
    priority: Mapped[int] = mapped_column(SmallInteger, default=0)
    status: Mapped[str] = mapped_column(String(16), default=WorkStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    # Operational times (not the community's clock): when it may be tried, and until when a claim holds.
    not_before: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    # What the platform called it once sent (and the channel it landed in, e.g. a DM opened by user id).
    platform_ref: Mapped[str | None] = mapped_column(String(200))
    platform_channel: Mapped[str | None] = mapped_column(String(400))
    error: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
