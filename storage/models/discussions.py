"""Moderated eDiscussions: the discussion, its copies in channels, who took part, and who follows which topic."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class DiscussionStatus(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"  # closed; the summary may still be on its way
    SUMMARISED = "summarised"
    CANCELLED = "cancelled"


class Discussion(Base):
    """A discussion on one topic, opened at a set time as a thread root, closed with a summary that is kept."""

    __tablename__ = "discussion"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    context: Mapped[str] = mapped_column(Text, default="")
    # Where it opens: None for the community's home channels, else {platform, tenant, channel}.
    channel: Mapped[dict[str, str] | None] = mapped_column(JSON)
    opens_at: Mapped[datetime] = mapped_column(index=True)
    closes_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64))  # the scheduler's zone, for the card
    status: Mapped[str] = mapped_column(String(16), default=DiscussionStatus.SCHEDULED)
    moderator_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    last_reply_at: Mapped[datetime | None]
    summary_item_id: Mapped[int | None] = mapped_column(ForeignKey("knowledge_item.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class DiscussionPost(Base):
    """One copy of the opening post (a thread root); replies under it are found by (platform, channel, ref)."""

    __tablename__ = "discussion_post"
    __table_args__ = (Index("ix_discussion_post_thread", "platform", "channel", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussion.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    tenant: Mapped[str] = mapped_column(String(128), default="")
    channel: Mapped[str] = mapped_column(String(128))
    ref: Mapped[str] = mapped_column(String(128))


class DiscussionReply(Base):
    """Someone replied in the thread: who and when only (contents are not kept)."""

    __tablename__ = "discussion_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussion.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]


class TopicFollow(Base):
    """A member wants to hear when a discussion on this topic is scheduled, opens or changes."""

    __tablename__ = "topic_follow"
    __table_args__ = (UniqueConstraint("community_id", "member_id", "topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(200))  # casefolded
    created_at: Mapped[datetime]
