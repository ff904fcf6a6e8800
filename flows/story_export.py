"""Stories for leadership (`cultivate export stories`), as CSV or JSON, honouring each teller's consent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.exports import ExportRequest, render
from storage import communities, members, stories
from storage.models import Consent

COLUMNS = (
    "id",
    "community",
    "told_at",
    "teller",
    "situation",
    "helped",
    "outcome",
    "value",
    "value_number",
    "value_unit",
    "consent",
    "value_cycle",
)


async def rows(db: AsyncSession, *, since: datetime | None, include_private: bool) -> list[dict[str, Any]]:
    """One row a story: coordinators-only stories only with include_private; anonymous ones never name the teller."""
    out = []
    for story in await stories.for_export(db, since=since, include_private=include_private):
        community = await communities.by_id(db, story.community_id)
        teller = await members.by_id(db, story.teller_id)
        anonymous = story.consent == Consent.PUBLIC_ANONYMOUS
        out.append(
            {
                "id": story.id,
                "community": community.slug if community else "",
                "told_at": story.created_at.isoformat(),
                "teller": "anonymous" if anonymous or teller is None else teller.called,
                "situation": story.situation,
                "helped": "; ".join(story.helped),
                "outcome": story.outcome,
                "value": story.value,
                "value_number": story.value_number,
                "value_unit": story.value_unit or "",
                "consent": story.consent,
                "value_cycle": story.value_cycle or "",
            }
        )
    return out


async def export(db: AsyncSession, request: ExportRequest) -> str:
    data = await rows(db, since=request.since, include_private=request.include_private)
    if request.community is not None:
        data = [row for row in data if row["community"] == request.community]
    return render(data, COLUMNS, request.format)
