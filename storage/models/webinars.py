"""Webinar sessions, RSVPs, and the learning agenda they draw from."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.models.posts import PostedCard, PostedCards


class WebinarStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Webinar(Base):
    """One session of a community's webinar series."""

    __tablename__ = "webinar"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    presenters: Mapped[str] = mapped_column(String(300), default="")
    # Presenters known as members (a champion who accepted, say): credited as having presented, whatever the names.
    presenter_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    timezone: Mapped[str] = mapped_column(String(64))  # the zone it was announced in
    minutes: Mapped[int]
    join_url: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(16), default=WebinarStatus.SCHEDULED)
    cards: Mapped[list[PostedCard]] = mapped_column(PostedCards, default=list)
    recording_url: Mapped[str | None] = mapped_column(String(1000))
    # A series: how it repeats (flows.webinar_series.Repeat), how many sessions are still to come after this one,
    # and the first session's id (shared by every session of the series).
    repeat: Mapped[str] = mapped_column(String(16), default="once", server_default="once")
    sessions_left: Mapped[int] = mapped_column(default=0, server_default="0")
    series_id: Mapped[int | None]
    # The series' slot this session fills, kept when the session alone is moved (None: it starts in its slot), so
    # the sessions after it keep the series' weekday, time and zone.
    slot_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class Rsvp(Base):
    __tablename__ = "rsvp"
    __table_args__ = (UniqueConstraint("webinar_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webinar_id: Mapped[int] = mapped_column(ForeignKey("webinar.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(String(8))  # going | maybe | no
    at: Mapped[datetime]
    feedback: Mapped[int | None]  # 1-5, asked after the session


class AgendaItem(Base):
    """A topic on the community's learning agenda, in priority order (1 first)."""

    __tablename__ = "agenda_item"
    __table_args__ = (UniqueConstraint("community_id", "topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]
    added_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
