"""Linking one person's identities across platforms: one-time codes and coordinators' proposals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class LinkCode(Base):
    """A short one-time code a member types on another platform to say "this account is me too".

    Only its hash is kept; it works once, within minutes, and not on the platform it was given on."""

    __tablename__ = "link_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    platform: Mapped[str] = mapped_column(String(32))  # where it was given
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]


class LinkProposal(Base):
    """A coordinator's proposal that two members are one person; it takes effect when both accounts confirm."""

    __tablename__ = "link_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    second_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    first_confirmed_at: Mapped[datetime | None]
    second_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    # Set when it was carried out, declined by either account, or withdrawn.
    closed_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(16))  # linked | declined
