"""The overview: what is coming and what was kept, for everyone; the health charts too, for coordinators."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from flows import health_figures
from storage import communities, discussions, knowledge, webinars
from storage.models import DiscussionStatus, Role
from web import figures
from web.viewer import Viewer, kept, page, services_of


async def to_overview(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound(f"/c/{request.match_info['slug']}/")


def span_of(request: web.Request, viewer: Viewer) -> health_figures.Period:
    """The period asked for (?period=30d|90d|quarter|year), else the configured window."""
    services = services_of(request)
    try:
        return health_figures.period(
            request.query.get("period", ""),
            services.clock.now(),
            viewer.community.timezone,
            services.settings.health_window_days,
        )
    except health_figures.PeriodError:
        return health_figures.period("", services.clock.now(), viewer.community.timezone, 90)


@page(Role.MEMBER, "overview.html")
async def overview(request: web.Request, viewer: Viewer, db: AsyncSession) -> dict[str, object]:
    now = services_of(request).clock.now()
    community = viewer.community
    context: dict[str, object] = {
        "members": await communities.count_members(db, community),
        "coming": await webinars.upcoming(db, community.id, now, limit=3),
        "open": await discussions.in_community(
            db, community.id, [DiscussionStatus.SCHEDULED, DiscussionStatus.OPEN], limit=3
        ),
        "recent": await knowledge.recent(db, community.id, limit=5),
        "tables": [],
        "own": [],
    }
    if viewer.can(Role.MODERATOR):
        span = span_of(request, viewer)
        if viewer.can(Role.COORDINATOR):
            # Only what the overview shows: levels against 90-9-1 and the trend; the rest is on the health page.

            async def glance() -> list[figures.Table]:
                levels = await health_figures.levels(db, community.id, span)
                trend = await health_figures.trend(db, community.id, span)
                return [*figures.level_tables(levels), figures.trend_table(trend, span)]

            context["tables"] = await kept(request).glances.get((community.id, span.name, viewer.locale), glance)
        else:
            own = await health_figures.community_health(db, community, span, viewer_id=viewer.member.id)
            context["own"] = [t for t in figures.tables(own, viewer.timezone) if t.name in ("webinars", "discussions")]
        context["span"] = span
    return context
