"""Stories of value and the campaigns that gather them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Consent(StrEnum):
    """Who may see a story, narrowest first; a narrower choice always wins."""

    COORDINATORS = "coordinators"
    COMMUNITY = "community"
    PUBLIC_ANONYMOUS = "public_anonymous"
    PUBLIC_NAMED = "public_named"


class ValueCycle(StrEnum):
    """The cycles of value creation (Wenger, Trayner & de Laat, 2011): what a story says the community did."""

    IMMEDIATE = "immediate"  # an activity helped: a good conversation, an answer that unblocked someone
    POTENTIAL = "potential"  # knowledge, skills or connections gained that may pay off later
    APPLIED = "applied"  # practice changed: something was done differently
    REALISED = "realised"  # performance improved: time, money, quality, people reached
    REFRAMING = "reframing"  # what success means was redefined: goals, strategy, how we measure


class Story(Base):
    """A member's story of value: the situation, what from the community helped, the outcome and its value."""

    __tablename__ = "story"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    teller_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    situation: Mapped[str] = mapped_column(Text)
    helped: Mapped[list[str]] = mapped_column(default=list)
    outcome: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(Text, default="")
    value_number: Mapped[float | None]
    value_unit: Mapped[str | None] = mapped_column(String(40))
    consent: Mapped[str] = mapped_column(String(24), default=Consent.COORDINATORS)
    # Which kind of value it shows (ValueCycle), after Wenger, Trayner and de Laat; None for stories told before.
    value_cycle: Mapped[str | None] = mapped_column(String(16))
    # The library item made from it while consent allows (removed at once when consent narrows).
    knowledge_item_id: Mapped[int | None] = mapped_column(ForeignKey("knowledge_item.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]


class StoryCampaign(Base):
    """Systematic story gathering: every round asks a stratified sample of members, one reminder, then stops."""

    __tablename__ = "story_campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    cron: Mapped[str] = mapped_column(String(100))  # crontab fields, in the community's timezone
    sample_size: Mapped[int]
    rest_days: Mapped[int]  # nobody is asked twice within this many days
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class CampaignRound(Base):
    __tablename__ = "campaign_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("story_campaign.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    invited: Mapped[int] = mapped_column(default=0)
    responded: Mapped[int] = mapped_column(default=0)


class RoundInvite(Base):
    __tablename__ = "round_invite"
    __table_args__ = (UniqueConstraint("round_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("campaign_round.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    stratum: Mapped[str] = mapped_column(String(16))  # active | occasional | silent
    invited_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    late: Mapped[bool] = mapped_column(default=False)
