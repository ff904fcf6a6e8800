"""Communities, their channels, members, their platform identities and memberships."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, Role


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
    # The language messages to its members are written in (a locale such as "en" or "pt_BR").
    language: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
    created_at: Mapped[datetime]
    # Set when coordinators archive it: scheduled routines stop, history and library stay readable.
    archived_at: Mapped[datetime | None]
    # Set when it was merged into another community: everything moved there, this row only keeps the slug.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))
    # Fields changed from chat ("name", "topics", ...): the configuration file no longer overwrites them.
    chat_fields: Mapped[list[str]] = mapped_column(default=list, server_default="[]")
    # Home channels removed from chat ("platform/tenant/channel"): the configuration file does not add them back.
    dropped_channels: Mapped[list[str]] = mapped_column(default=list, server_default="[]")

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
    # Given to the community from chat (added, or moved by a merge) rather than by the configuration file.
    from_chat: Mapped[bool] = mapped_column(default=False, server_default=false())

    community: Mapped[Community] = relationship(back_populates="channels")


FORMER_MEMBER = "a former member"


class Member(Base):
    """A person, with one or more platform identities (linked with /cop link)."""

    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
    profile: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    # When display name and timezone were last read from the platform (identity cache expiry).
    refreshed_at: Mapped[datetime | None]
    # The platform the member chose to be reached on (/cop reach me on ...); None: where they last spoke.
    reach_on: Mapped[str | None] = mapped_column(String(32))
    # /cop forget-me confirmed: the moment everything about them is deleted unless they come back first.
    forget_due_at: Mapped[datetime | None]
    # Forgotten: nothing personal is left, the row only keeps what others depend on as "a former member".
    forgotten_at: Mapped[datetime | None]
    # Linked into another member: the row waits, empty, for late writes to be swept over, then goes.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))

    # The language the member chose (/cop language, the introduction form); None: not chosen.
    language: Mapped[str | None] = mapped_column(String(16))
    # The locale their platform states ("fr-FR"), read with their profile or from an event.
    platform_locale: Mapped[str | None] = mapped_column(String(16))

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
    # When the member last spoke to Cultivate from this identity (to a minute): messages go where they last were.
    last_seen_at: Mapped[datetime | None]

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
