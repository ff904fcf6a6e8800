"""Signing in to the web pages from chat: one-time sign-in links and the sessions they open."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class WebSignIn(Base):
    """A sign-in link sent privately by `/cop web`: it works once, for ten minutes, for one member and community.

    The link carries a signed nonce; only the nonce's hash is kept, and `used_at` makes it single-use."""

    __tablename__ = "web_sign_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    nonce_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]


class WebSession(Base):
    """A browser signed in as a member; the cookie holds a random token, the database only its hash."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
