"""Stories for leadership, as CSV or JSON, honouring each teller's consent."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

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


def render(data: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(data)
    return buffer.getvalue()
