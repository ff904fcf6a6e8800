"""A busy month made directly in storage: more than a short digest can hold, to see it cut to fit a platform."""

from __future__ import annotations

from datetime import timedelta

from bot.runtime import Runtime
from storage import communities
from storage.models import AssistRequest, KnowledgeItem, Member, Webinar


async def busy_month(runtime: Runtime, slug: str, *, items: int = 30) -> None:
    async with runtime.services.sessions() as db:
        community = await communities.by_slug(db, slug)
        assert community is not None
        now = runtime.services.clock.now()
        esi = Member(display_name="Esi", profile={}, created_at=now)
        db.add(esi)
        await db.flush()
        c = community.id
        for n in range(items):
            db.add(
                KnowledgeItem(
                    community_id=c,
                    kind="link",
                    title=f"Field guide {n}: " + "how the control room reads its dashboards at night " * 4,
                    url=f"https://example.org/guides/{n}",
                    tags=[],
                    source=f"member:{esi.id}",
                    added_by=esi.id,
                    created_at=now - timedelta(hours=n + 1),
                )
            )
            db.add(
                AssistRequest(
                    community_id=c,
                    asker_id=esi.id,
                    question=f"Question {n}: " + "who has tuned alert thresholds for pumping stations? " * 5,
                    topics=[],
                    cards=[],
                    created_at=now - timedelta(hours=n + 1),
                )
            )
            db.add(
                Webinar(
                    community_id=c,
                    title=f"Session {n}: " + "what we learned running alerting for a year " * 3,
                    starts_at=now + timedelta(days=n + 1),
                    timezone="UTC",
                    minutes=60,
                    join_url="https://meet.example.org/x",
                    cards=[],
                    created_at=now,
                )
            )
        await db.commit()
