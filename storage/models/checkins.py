"""Check-ins (a recurring group's recaps before a call, its minutes and action items) and working-out-loud circles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.models.posts import PostedCard, PostedCards


class CheckinStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    CANCELLED = "cancelled"


class CallStatus(StrEnum):
    UPCOMING = "upcoming"
    HELD = "held"  # its time has come: answers are closed, minutes may be taken
    CANCELLED = "cancelled"  # paused, cancelled or moved before it happened


class Checkin(Base):
    """A recurring check-in: who is asked, when the call is (an RRULE in a zone), the questions, the lead time."""

    __tablename__ = "checkin"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # RFC 5545 recurrence rule with BYHOUR/BYMINUTE, read in `timezone`; `anchor` is its first call (the phase of
    # an every-other-week rule).
    rule: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    anchor: Mapped[datetime]
    call_url: Mapped[str | None] = mapped_column(String(1000))
    # [{"text": "What progress since last time?", "required": true, "support": false}, ...]
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    lead_minutes: Mapped[int]  # how long before the call the agenda is posted
    status: Mapped[str] = mapped_column(String(16), default=CheckinStatus.ACTIVE)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class CheckinMember(Base):
    """A participant; the row stays (with `removed_at`) after removal so past answers keep their author."""

    __tablename__ = "checkin_member"
    __table_args__ = (UniqueConstraint("checkin_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkin.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]


class CheckinCall(Base):
    """One call of a check-in: its agenda card (whose thread holds the minutes) and the minutes once taken."""

    __tablename__ = "checkin_call"
    __table_args__ = (Index("ix_checkin_call_checkin_starts", "checkin_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkin.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default=CallStatus.UPCOMING)
    prepared_at: Mapped[datetime | None]  # when the participants' questions were scheduled
    agenda_at: Mapped[datetime | None]  # when the agenda was posted
    agenda_cards: Mapped[list[PostedCard]] = mapped_column(PostedCards, default=list)
    minutes: Mapped[str | None] = mapped_column(Text)
    minutes_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    minutes_at: Mapped[datetime | None]
    knowledge_item_id: Mapped[int | None] = mapped_column(ForeignKey("knowledge_item.id", ondelete="SET NULL"))


class CheckinAnswer(Base):
    """A participant's recap for one call, as question-and-answer pairs (the questions as they were asked)."""

    __tablename__ = "checkin_answer"
    __table_args__ = (UniqueConstraint("call_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("checkin_call.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    # [{"question": "...", "answer": "...", "support": false}]
    answers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    asked_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    # The peer-assist request its "support needed" answer became, once offered to peers.
    support_request_id: Mapped[int | None] = mapped_column(ForeignKey("assist_request.id", ondelete="SET NULL"))


class ActionItem(Base):
    """Something agreed on a call: who does what, by when; carried into the next agenda until done."""

    __tablename__ = "checkin_action"
    __table_args__ = (Index("ix_checkin_action_checkin_done", "checkin_id", "done_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkin.id", ondelete="CASCADE"))
    call_id: Mapped[int] = mapped_column(ForeignKey("checkin_call.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[str | None] = mapped_column(String(10))  # ISO date, a day not a moment
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class CircleStatus(StrEnum):
    ACTIVE = "active"
    STOPPED = "stopped"


class WolCircle(Base):
    """A working-out-loud circle on a practice area: members who opted in share their work every cycle."""

    __tablename__ = "wol_circle"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(200))
    every_days: Mapped[int]  # 7 or 14
    status: Mapped[str] = mapped_column(String(16), default=CircleStatus.ACTIVE)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class WolMember(Base):
    __tablename__ = "wol_member"
    __table_args__ = (UniqueConstraint("circle_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("wol_circle.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime]
    left_at: Mapped[datetime | None]


class WolCycle(Base):
    """One cycle of a circle: shares gathered, then posted together as one card whose thread is the cycle's."""

    __tablename__ = "wol_cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("wol_circle.id", ondelete="CASCADE"), index=True)
    opens_at: Mapped[datetime]
    compiles_at: Mapped[datetime]
    compiled_at: Mapped[datetime | None]
    cards: Mapped[list[PostedCard]] = mapped_column(PostedCards, default=list)


class WolShare(Base):
    """A member's two or three lines for a cycle, or their skip."""

    __tablename__ = "wol_share"
    __table_args__ = (UniqueConstraint("cycle_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("wol_cycle.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    working_on: Mapped[str] = mapped_column(Text, default="")
    learned: Mapped[str] = mapped_column(Text, default="")
    help: Mapped[str] = mapped_column(Text, default="")
    skipped: Mapped[bool] = mapped_column(default=False)
    shared_at: Mapped[datetime]
    help_request_id: Mapped[int | None] = mapped_column(ForeignKey("assist_request.id", ondelete="SET NULL"))
