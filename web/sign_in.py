"""The sign-in link from chat: a page with one button (link previewers fetch links, and must not spend them), the
POST that spends it and opens a session, and signing out."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_, _
from bot.signing import BadToken
from storage import communities, members, web_sessions
from storage.models import Role
from storage.web_sessions import SignIn
from web.links import read_sign_in
from web.viewer import COOKIE, COOKIE_PATH, Viewer, page, refusal, render, services_of

REFUSED = {
    "expired": (N_("This link has expired"), N_("Sign-in links work for ten minutes. Type /cop web for a new one.")),
    "invalid": (N_("This link is not valid"), N_("Copy the whole link, or type /cop web for a new one.")),
    "used": (N_("This link was already used"), N_("Each link signs in once. Type /cop web for a new one.")),
}


def same_site(request: web.Request, public_url: str | None) -> bool:
    """Whether a POST came from our own pages: browsers say where a form was (Origin). None said (an older browser,
    a script) is allowed; "null" (a page that hides where it is) is not."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    host = urlsplit(origin).netloc
    return host == request.host or (public_url is not None and host == urlsplit(public_url).netloc)


def _refused(request: web.Request, reason: str) -> web.Response:
    title, text = REFUSED.get(reason, REFUSED["invalid"])
    return refusal(request, 400, _(title), _(text))


async def sign_in_form(request: web.Request) -> web.StreamResponse:
    """GET: ask for a click, so that only a person (not a chat's link preview) uses the link."""
    slug = request.match_info["slug"]
    async with services_of(request).sessions() as db:
        community = await communities.by_slug(db, slug)
    if community is None:
        return refusal(request, 404, _("No such community"), _("There is no community at this address."))
    return render(request, "signin.html", {"community": community, "token": request.query.get("t", "")})


async def sign_in(request: web.Request) -> web.StreamResponse:
    """POST: spend the one-time link and open a session; then the overview."""
    services = services_of(request)
    if not same_site(request, services.settings.public_url):
        # Another site posting someone's link would sign this browser in as them (login CSRF).
        return _refused(request, "invalid")
    key = services.settings.secret_key or ""
    form = await request.post()
    try:
        payload = read_sign_in(key, str(form.get("t", "")))
    except BadToken as e:
        return _refused(request, e.reason)
    slug = request.match_info["slug"]
    now = services.clock.now()
    async with services.sessions() as db:
        community = await communities.by_slug(db, slug)
        if community is None or payload.get("c") != community.id:
            return _refused(request, "invalid")
        member_id = int(payload.get("m", 0))
        outcome = await web_sessions.redeem_link(db, str(payload.get("n", "")), member_id, community.id, now)
        if outcome != SignIn.OK:
            await db.commit()
            return _refused(
                request, "expired" if outcome == SignIn.EXPIRED else "used" if outcome == SignIn.USED else "invalid"
            )
        member = await members.by_id(db, member_id)
        if member is None or await communities.role_of(db, community, member) is None:
            return refusal(request, 403, _("Not your community"), _("You are not a member of this community."))
        lasts = timedelta(days=services.settings.web_session_days)
        token = await web_sessions.open_session(db, member.id, now, lasts)
        await db.commit()
    response = web.HTTPSeeOther(f"/c/{community.slug}/")
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(lasts.total_seconds()),
        path=COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=services.settings.secure_cookies,
    )
    raise response


@page(Role.MEMBER)
async def sign_out(request: web.Request, viewer: Viewer, db: AsyncSession) -> web.StreamResponse:
    await web_sessions.close_session(db, viewer.session_token)
    response = render(
        request,
        "refused.html",
        {
            "title": _("Signed out"),
            "text": _("You are signed out in this browser. Type /cop web in chat to sign in again."),
        },
    )
    response.del_cookie(COOKIE, path=COOKIE_PATH)
    return response
