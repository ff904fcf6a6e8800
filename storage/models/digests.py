"""The community digest: its cadence, each issue sent and what it carried (so nothing repeats), and who reads it
by direct message or by email."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Cadence(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    OFF = "off"


class DigestPlan(Base):
    """A community's digest settings; without a row the digest is monthly and has no note."""

    __tablename__ = "digest_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), unique=True)
    cadence: Mapped[str] = mapped_column(String(16), default=Cadence.MONTHLY)
    # The coordinator's note for the next issue; cleared once it is sent.
    note: Mapped[str] = mapped_column(Text, default="")
    # The next scheduled issue (its delivery key), so a new cadence replaces it.
    next_at: Mapped[datetime | None]
    next_key: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime]


class DigestIssue(Base):
    """One digest as it went out: the period it covers and the coordinator's note."""

    __tablename__ = "digest_issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    since: Mapped[datetime]
    sent_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")


class DigestItem(Base):
    """A record an issue carried (a webinar in "coming", a request in "open"): never carried again in that section."""

    __tablename__ = "digest_item"
    __table_args__ = (Index("ix_digest_item_issue_section", "issue_id", "section"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("digest_issue.id", ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int]


class DigestSubscription(Base):
    """A member who reads the digest in a direct message (`chat`) and/or by email once the address is confirmed."""

    __tablename__ = "digest_subscription"
    __table_args__ = (UniqueConstraint("community_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    chat: Mapped[bool] = mapped_column(default=False)
    email: Mapped[str | None] = mapped_column(String(320))
    # An address waiting for its six-digit code (kept hashed) to come back.
    pending_email: Mapped[str | None] = mapped_column(String(320))
    code_hash: Mapped[str | None] = mapped_column(String(64))
    code_expires_at: Mapped[datetime | None]
    # Wrong codes typed for the pending address: a few, then a new code must be asked for.
    code_attempts: Mapped[int] = mapped_column(default=0)
    # Hard failures of mail to `email` in a row; at three it is set aside (kept, not used) and the member told.
    email_failures: Mapped[int] = mapped_column(default=0)
    set_aside_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
