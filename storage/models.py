"""SQLAlchemy 2 typed models. All times are stored in UTC."""
from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum, StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite (which keeps no zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


class Role(IntEnum):
    """Roles per community; a higher role may do all a lower one may."""

    MEMBER = 1
    MODERATOR = 2
    COORDINATOR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class Community(Base):
    __tablename__ = "community"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str] = mapped_column(Text, default="")
    topics: Mapped[list[str]] = mapped_column(default=list)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Switches coordinators set in configuration, e.g. {"channel_welcome": true}.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]

    channels: Mapped[list[CommunityChannel]] = relationship(back_populates="community", lazy="selectin")


class CommunityChannel(Base):
    """A community's home channel on one platform."""

    __tablename__ = "community_channel"
    __table_args__ = (UniqueConstraint("platform", "tenant", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    tenant: Mapped[str] = mapped_column(String(128), default="")
    channel: Mapped[str] = mapped_column(String(128))

    community: Mapped[Community] = relationship(back_populates="channels")


class Member(Base):
    """A person; one per platform identity until identities are linked."""

    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
    profile: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    # When display name and timezone were last read from the platform (identity cache expiry).
    refreshed_at: Mapped[datetime | None]

    identities: Mapped[list[Identity]] = relationship(back_populates="member", lazy="selectin")

    @property
    def called(self) -> str:
        """The name the member asked to be called (their introduction), else the platform's."""
        return str((self.profile or {}).get("name") or self.display_name)


class Identity(Base):
    __tablename__ = "identity"
    __table_args__ = (UniqueConstraint("platform", "tenant", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    tenant: Mapped[str] = mapped_column(String(128), default="")
    user_id: Mapped[str] = mapped_column(String(128))

    member: Mapped[Member] = relationship(back_populates="identities")


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("community_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    role: Mapped[int] = mapped_column(Integer, default=Role.MEMBER)
    joined_at: Mapped[datetime]
    # Set when the member leaves; the row stays so their history still counts.
    left_at: Mapped[datetime | None]


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


class IntroStatus(StrEnum):
    PENDING = "pending"   # joined, not introduced yet: nudges may follow
    DONE = "done"
    SKIPPED = "skipped"   # opted out with /cop intro skip


class Introduction(Base):
    """A member's introduction to one community: whether it happened, where its card is, who welcomed them."""

    __tablename__ = "introduction"
    __table_args__ = (UniqueConstraint("community_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=IntroStatus.PENDING)
    # Where the card was posted: [{"platform", "tenant", "channel", "ref"}]
    cards: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
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
    cards: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
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


class Consent(StrEnum):
    """Who may see a story, narrowest first; a narrower choice always wins."""

    COORDINATORS = "coordinators"
    COMMUNITY = "community"
    PUBLIC_ANONYMOUS = "public_anonymous"
    PUBLIC_NAMED = "public_named"


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
    cron: Mapped[str] = mapped_column(String(100))       # crontab fields, in the community's timezone
    sample_size: Mapped[int]
    rest_days: Mapped[int]                                # nobody is asked twice within this many days
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
    stratum: Mapped[str] = mapped_column(String(16))    # active | occasional | silent
    invited_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    late: Mapped[bool] = mapped_column(default=False)


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
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    timezone: Mapped[str] = mapped_column(String(64))   # the zone it was announced in
    minutes: Mapped[int]
    join_url: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(16), default=WebinarStatus.SCHEDULED)
    cards: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    recording_url: Mapped[str | None] = mapped_column(String(1000))
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


class ProcessedEvent(Base):
    """Platform event ids already handled: a retried or duplicated event is processed once."""

    __tablename__ = "processed_event"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(200))
    processed_at: Mapped[datetime] = mapped_column(index=True)


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
