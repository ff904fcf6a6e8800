"""Introductions, the directory, peer assists, recognition and knowledge items."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.models.posts import PostedCard, PostedCards


class IntroStatus(StrEnum):
    PENDING = "pending"  # joined, not introduced yet: nudges may follow
    DONE = "done"
    SKIPPED = "skipped"  # opted out with /cop intro skip


class Introduction(Base):
    """A member's introduction to one community: whether it happened, where its card is, who welcomed them."""

    __tablename__ = "introduction"
    __table_args__ = (UniqueConstraint("community_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=IntroStatus.PENDING)
    # Where the card was posted: [{"platform", "tenant", "channel", "ref"}]
    cards: Mapped[list[PostedCard]] = mapped_column(PostedCards, default=list)
    welcomed_by: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
    introduced_at: Mapped[datetime | None]


class DirectoryEntry(Base):
    """What a member knows, offers and wants to learn in one community, as the directory searches it.

    SQLite indexes it with FTS5 (directory_fts, kept in step by triggers); PostgreSQL with a GIN text-search index.
    Both are made in migration 0003."""

    __tablename__ = "directory_entry"
    __table_args__ = (UniqueConstraint("community_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    expertise: Mapped[str] = mapped_column(Text, default="")
    offer: Mapped[str] = mapped_column(Text, default="")
    learn: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime]


class AssistStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"


class AssistRequest(Base):
    """A member's problem brought to peers: asked, routed to experts, helped, resolved with what worked."""

    __tablename__ = "assist_request"
    __table_args__ = (Index("ix_assist_request_community_status", "community_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    asker_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    context: Mapped[str] = mapped_column(Text, default="")
    topics: Mapped[list[str]] = mapped_column(default=list)
    needed_by: Mapped[str | None] = mapped_column(String(10))  # ISO date, a day not a moment
    status: Mapped[str] = mapped_column(String(16), default=AssistStatus.OPEN)
    # Where the request's card (and so its thread) is: [{"platform", "tenant", "channel", "ref"}]
    cards: Mapped[list[PostedCard]] = mapped_column(PostedCards, default=list)
    what_worked: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class AssistParticipant(Base):
    """Someone's part in a request: asked as an expert (with the reason), offering help, following, credited."""

    __tablename__ = "assist_participant"
    __table_args__ = (UniqueConstraint("request_id", "member_id", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("assist_request.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(16))  # asked | offered | following | credited
    reason: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime]


class Recognition(Base):
    """Credit given to a member (a resolved peer assist, a thanks): counted on their profile."""

    __tablename__ = "recognition"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]


class KnowledgeItem(Base):
    """Something the community learned and keeps: a resolved peer assist, a summary, a recording."""

    __tablename__ = "knowledge_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(1000))
    tags: Mapped[list[str]] = mapped_column(default=list)
    source: Mapped[str | None] = mapped_column(String(100))  # e.g. "assist:12"
    added_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
