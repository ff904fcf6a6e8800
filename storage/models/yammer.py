"""What the Yammer adapter must remember across restarts: where each feed was read up to, and what it posted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class YammerFeed(Base):
    """One polled feed ("group:123", "private", "members:123"): the newest message id seen, or a member baseline."""

    __tablename__ = "yammer_feed"

    feed: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_seen_id: Mapped[int | None] = mapped_column(BigInteger)
    # For "members:<group>": the user ids seen at the last comparison (None until the first one).
    members: Mapped[list[str] | None]
    checked_at: Mapped[datetime | None]


class YammerPost(Base):
    """A message the bot posted: which threads it started, and the numbered replies its buttons accept."""

    __tablename__ = "yammer_post"
    __table_args__ = (
        Index("ix_yammer_post_thread", "thread_id"),
        Index("ix_yammer_post_audience", "audience", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    thread_id: Mapped[int] = mapped_column(BigInteger)
    group_id: Mapped[str | None] = mapped_column(String(64))
    # The user a direct message went to (None in a group).
    audience: Mapped[str | None] = mapped_column(String(64))
    # [{"action_id", "value"}] in the order they were numbered.
    buttons: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    posted_at: Mapped[datetime]
