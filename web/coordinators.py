"""What coordinators see besides: the whole health overview with downloads, champions, what failed to go out (with
a retry button), and every export a routine offers, as CSV or JSON."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot import exports as tables
from bot.exports import ExportError, ExportRequest
from bot.i18n import _
from flows import champions as rising
from flows import health_figures
from storage import audit, deliveries, members, outbound
from storage.models import Role
from web import figures
from web.overview import span_of
from web.viewer import Viewer, kept, page, refusal, services_of

SHOWN = 50


@page(Role.COORDINATOR, "health.html")
async def health(request: web.Request, viewer: Viewer, db: AsyncSession) -> dict[str, object]:
    span = span_of(request, viewer)
    found = await kept(request).figures.get(
        (viewer.community.id, span.name), lambda: health_figures.community_health(db, viewer.community, span)
    )
    return {
        "tables": figures.tables(found, viewer.timezone),
        "span": span,
        "periods": ("30d", "90d", "quarter", "year"),
    }


def _download(body: str, fmt: str, name: str) -> web.Response:
    return web.Response(
        text=body,
        content_type="text/csv" if fmt == "csv" else "application/json",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@page(Role.COORDINATOR)
async def health_table(request: web.Request, viewer: Viewer, db: AsyncSession) -> web.StreamResponse:
    """One health table as CSV or JSON: the numbers beside a chart, for a report."""
    span = span_of(request, viewer)
    found = await kept(request).figures.get(
        (viewer.community.id, span.name), lambda: health_figures.community_health(db, viewer.community, span)
    )
    name, fmt = request.match_info["table"], request.match_info["format"]
    table = next((t for t in figures.tables(found, viewer.timezone, charted=False) if t.name == name), None)
    if table is None:
        return refusal(request, 404, _("No such table"), _("The health overview has no table by that name."), viewer)
    await _audit(db, viewer, f"health/{name}", fmt, services_of(request).clock.now())
    return _download(tables.render(table.records(), table.columns, fmt), fmt, f"{viewer.community.slug}-{name}")


@page(Role.COORDINATOR, "champions.html")
async def champions(request: web.Request, viewer: Viewer, db: AsyncSession) -> dict[str, object]:
    span = span_of(request, viewer)
    found = await rising.find(db, viewer.community.id, span)
    names = await members.by_ids(db, [c.member_id for c in found])
    rows = [
        {
            "name": names[c.member_id].called if c.member_id in names else "",
            "acts": c.acts,
            "before": c.acts_before,
            "why": rising.reason(c.deeds),
            "discussion": c.discussion.title if c.discussion else "",
            "webinar": c.webinar.title if c.webinar else "",
        }
        for c in found
    ]
    return {"champions": rows, "span": span}


@page(Role.COORDINATOR, "deliveries.html")
async def failed_deliveries(request: web.Request, viewer: Viewer, db: AsyncSession) -> dict[str, object]:
    community_id = viewer.community.id
    return {
        "scheduled": [d for d in await deliveries.problems(db, community_id, limit=SHOWN) if d.community_id],
        "messages": [m for m in await outbound.failures(db, community_id, limit=SHOWN) if m.community_id],
        "retried": request.query.get("retried", ""),
    }


@page(Role.COORDINATOR)
async def retry(request: web.Request, viewer: Viewer, db: AsyncSession) -> web.StreamResponse:
    """Send again: a failed message or scheduled delivery of this community goes back in the queue, due now."""
    services = services_of(request)
    what, number = request.match_info["what"], int(request.match_info["id"])
    now = services.clock.now()
    if what == "message":
        done = await outbound.retry_failed(db, number, viewer.community.id, now)
    else:
        done = await deliveries.retry_failed(db, number, viewer.community.id, now)
    if not done:
        return refusal(request, 404, _("Nothing to retry"), _("That is not a failed send of this community."), viewer)
    services.queued.set()  # a sender in this process wakes at once after the commit
    raise web.HTTPSeeOther(f"/c/{viewer.community.slug}/deliveries?retried={what}-{number}")


@page(Role.COORDINATOR, "exports.html")
async def exports(request: web.Request, viewer: Viewer, db: AsyncSession) -> dict[str, object]:
    registry = services_of(request).registry
    return {"exports": [(name, _(about)) for name, (_exporter, about) in sorted(registry.exports.items())]}


@page(Role.COORDINATOR)
async def export(request: web.Request, viewer: Viewer, db: AsyncSession) -> web.StreamResponse:
    """`cultivate export <name> --community <this>` from the browser; who took what out is kept (/cop audit)."""
    services = services_of(request)
    name, fmt = request.match_info["name"], request.match_info["format"]
    found = services.registry.exports.get(name)
    if found is None:
        return refusal(request, 404, _("No such export"), _("There is no export by that name."), viewer)
    exporter, _about = found
    period = request.query.get("period") or None
    asked = ExportRequest(
        format=fmt, community=viewer.community.slug, include_private=True, period=period, settings=services.settings
    )
    try:
        body = await exporter(db, asked)
    except ExportError as e:
        return refusal(request, 400, _("Cannot export that"), str(e), viewer)
    await _audit(db, viewer, name, fmt, services.clock.now())
    return _download(body, fmt, f"{viewer.community.slug}-{name}")


async def _audit(db: AsyncSession, viewer: Viewer, what: str, fmt: str, now: datetime) -> None:
    await audit.log_export(
        db,
        what=what,
        actor=f"web:{viewer.member.id}",
        now=now,
        community_id=viewer.community.id,
        detail={"format": fmt},
    )
