"""The calendar: webinars to RSVP to and discussions to come, and a subscription feed (ICS) at a secret address."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web
from icalendar import Calendar
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import _
from bot.signing import BadToken, sign, unsign
from flows.webinar_cards import ics
from flows.webinars import CHOICES, COMING
from storage import communities, discussions, ledger, webinars
from storage.models import Act, DiscussionStatus, Role, WebinarStatus
from web.viewer import Viewer, page, refusal, services_of

FEED = "calendar-feed"  # the signing purpose of feed addresses
SHOWN = 20


def feed_key(secret: str, community_id: int) -> str:
    """The secret part of a community's feed address; anyone holding it reads the calendar, nothing else."""
    return sign(secret, FEED, {"c": community_id})


@page(Role.MEMBER, "calendar.html")
async def calendar(request: web.Request, viewer: Viewer, db: AsyncSession) -> dict[str, object]:
    services = services_of(request)
    now = services.clock.now()
    community = viewer.community
    sessions = []
    for w in await webinars.upcoming(db, community.id, now, limit=SHOWN):
        counts = await webinars.counts(db, w.id)
        sessions.append(
            {
                "webinar": w,
                "mine": await webinars.rsvp_of(db, w.id, viewer.member.id),
                "going": counts.get("going", 0),
                "maybe": counts.get("maybe", 0),
            }
        )
    talks = await discussions.in_community(
        db, community.id, [DiscussionStatus.SCHEDULED, DiscussionStatus.OPEN], limit=SHOWN
    )
    key = feed_key(services.settings.secret_key or "", community.id)
    return {
        "sessions": sessions,
        "talks": talks,
        "choices": [(key, _(label)) for key, label in CHOICES.items()],
        "feed": f"{services.settings.web_address}/c/{community.slug}/calendar.ics?k={key}",
        "answered": request.query.get("answered", ""),
    }


@page(Role.MEMBER)
async def rsvp(request: web.Request, viewer: Viewer, db: AsyncSession) -> web.StreamResponse:
    """The same answer as the RSVP buttons in chat: the last choice stands, saying yes counts once."""
    form = await request.post()
    choice = str(form.get("choice", ""))
    session = await webinars.by_id(db, int(request.match_info["webinar"]))
    now = services_of(request).clock.now()
    if session is None or session.community_id != viewer.community.id or choice not in CHOICES:
        return refusal(request, 404, _("No such webinar"), _("That webinar is no longer here."), viewer)
    if session.status != WebinarStatus.SCHEDULED or session.starts_at + timedelta(minutes=session.minutes) < now:
        return refusal(request, 409, _("Too late"), _("That webinar is over or cancelled."), viewer)
    previous = await webinars.answer(db, session.id, viewer.member.id, choice, now)
    if choice in COMING and previous not in COMING:
        await ledger.add(
            db,
            community_id=session.community_id,
            member_id=viewer.member.id,
            act=Act.RSVP,
            at=now,
            subject_id=session.id,
        )
    raise web.HTTPSeeOther(f"/c/{viewer.community.slug}/calendar?answered={session.id}#w{session.id}")


async def feed(request: web.Request) -> web.StreamResponse:
    """GET calendar.ics?k=…: the community's coming webinars for a calendar app (no cookie: apps have none)."""
    services = services_of(request)
    try:
        payload = unsign(services.settings.secret_key or "", FEED, request.query.get("k", ""))
    except BadToken:
        return refusal(request, 403, _("Not a calendar address"), _("Copy the address from the calendar page again."))
    async with services.sessions() as db:
        community = await communities.by_slug(db, request.match_info["slug"])
        if community is None or payload.get("c") != community.id:
            return refusal(request, 403, _("Not a calendar address"), _("Copy the address from the calendar page."))
        now = services.clock.now()
        coming = await webinars.upcoming(db, community.id, now - timedelta(days=1), limit=100)
    whole = Calendar()
    whole.add("prodid", "-//Cultivate//calendar//EN")
    whole.add("version", "2.0")
    whole.add("x-wr-calname", community.name)
    for session in coming:
        for event in Calendar.from_ical(ics(session, now)).walk("VEVENT"):
            whole.add_component(event)
    return web.Response(
        body=whole.to_ical(),
        content_type="text/calendar",
        charset="utf-8",
        headers={"Content-Disposition": f'inline; filename="{community.slug}.ics"'},
    )
