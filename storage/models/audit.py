"""The log of exports that contain personal data: who took what, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ExportLog(Base):
    """One export of personal data (stories, a member list, a member's own data) by a coordinator or operator."""

    __tablename__ = "export_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    # The member who exported, when it happened in chat; None for the command line (see `actor`).
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"), index=True)
    # How the exporter was known: "slack:U0123", or "cli:<operating-system user>".
    actor: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(String(64))  # e.g. "stories"
    # What was asked and how much came out: {"format": "csv", "include_private": false, "rows": 12}
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(index=True)
