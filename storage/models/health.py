"""Community health: the participation ledger, invitations to silent members, attendance, library reuse and the
offers made to champions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base

# SQLite only auto-numbers an INTEGER primary key; PostgreSQL gets a 64-bit one (the ledger grows for years).
LedgerId = BigInteger().with_variant(Integer(), "sqlite")


class Act(StrEnum):
    """A meaningful act in a community, as the ledger keeps it. Reading (help, lists, searches) is not one."""

    JOINED = "joined"
    INTRODUCED = "introduced"
    WELCOMED = "welcomed"  # welcomed a newcomer (subject: the newcomer)
    ASKED = "asked"  # brought a peer-assist request (subject: the request)
    OFFERED = "offered"  # offered help with someone's request (subject: the request)
    RESOLVED = "resolved"  # closed their request with what worked (subject: the request)
    REPLIED = "replied"  # replied in a discussion's thread (subject: the discussion)
    MODERATED = "moderated"  # led a discussion to its close (subject: the discussion)
    SUMMARISED = "summarised"  # wrote a discussion's summary (subject: the discussion)
    RSVP = "rsvp"  # said they would come to a webinar (subject: the webinar)
    ATTENDED = "attended"  # was there (subject: the webinar)
    FEEDBACK = "feedback"  # rated a webinar (subject: the webinar)
    PRESENTED = "presented"  # presented a webinar (subject: the webinar)
    STORY = "story"  # told a story of value (subject: the story)
    THANKED = "thanked"  # thanked someone, publicly (subject: the member thanked)
    WAS_THANKED = "was_thanked"  # was thanked or credited (subject: who thanked them)
    LIBRARY = "library"  # added to the library: a link, a recording, a review (subject: the item)
    CAMPAIGN = "campaign"  # answered a story campaign's round (subject: the round)
    CHECKIN = "checkin"  # answered a check-in (subject: the check-in)


class Level(StrEnum):
    """A member's participation level in a community (the rules are in flows/levels.py)."""

    CORE = "core"
    ACTIVE = "active"
    OCCASIONAL = "occasional"
    SILENT = "silent"
    NEWCOMER = "newcomer"


class Contribution(Base):
    """One act by one member in one community: narrow, so millions of rows stay cheap to write and to count."""

    __tablename__ = "contribution"
    __table_args__ = (
        # Every window aggregate (levels, trends, the funnel) reads only this index.
        Index("ix_contribution_window", "community_id", "at", "member_id", "kind"),
        # One member's history (whether they were silent, their first act, whether an invitation converted), read
        # from the index alone.
        Index("ix_contribution_member", "member_id", "community_id", "at", "kind"),
    )

    id: Mapped[int] = mapped_column(LedgerId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    subject_id: Mapped[int | None]


class InvitationKind(StrEnum):
    ASSIST = "assist"  # open requests on what they know, with I can help
    WEBINAR = "webinar"  # an upcoming webinar on what they hope to learn, with Going
    DISCUSSION = "discussion"  # an upcoming discussion on what they hope to learn, with Follow
    INTRODUCE = "introduce"  # they never introduced themselves: the one thing to start with


class Invitation(Base):
    """A personal invitation sent to a silent member; it converts if they contribute within a fortnight."""

    __tablename__ = "invitation"
    __table_args__ = (
        Index("ix_invitation_community_sent", "community_id", "sent_at"),
        Index("ix_invitation_member", "member_id", "community_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int | None]
    sent_at: Mapped[datetime]


class Attendance(Base):
    """Someone was at a webinar: they said so after the session, or rated it."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("webinar_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webinar_id: Mapped[int] = mapped_column(ForeignKey("webinar.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]


class LibraryUse(Base):
    """A library item turned up in the search of a member other than the one who added it: it is being reused."""

    __tablename__ = "library_use"
    __table_args__ = (UniqueConstraint("item_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("knowledge_item.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(index=True)


class ChampionOffer(Base):
    """A coordinator invited a rising member to co-moderate a discussion or to present at a webinar."""

    __tablename__ = "champion_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # discussion | webinar
    subject_id: Mapped[int]
    offered_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    offered_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(String(8))  # yes | no
    answered_at: Mapped[datetime | None]
