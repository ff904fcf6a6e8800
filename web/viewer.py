"""Who is looking: the session cookie read, the member and their role in the page's community checked on every
request, and the CSRF token of every POST. Pages declare the role they need with `@page(Role.X, "template")`."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.help import needs_role
from bot.i18n import DEFAULT_LOCALE, _, local_time, set_reader
from bot.languages import language_for
from bot.services import Services
from storage import communities, members, web_sessions
from storage.models import Community, Member, Role
from web.recent import Kept
from web.security import CSRF_FIELD, csrf_ok, csrf_token

SERVICES = web.AppKey("services", Services)
KEPT = web.AppKey("kept", Kept)
COOKIE = "cultivate_session"
COOKIE_PATH = "/c/"


@dataclass(frozen=True)
class Viewer:
    """A signed-in member looking at one community's pages."""

    member: Member
    community: Community
    role: Role
    session_token: str
    csrf: str
    locale: str = DEFAULT_LOCALE

    @property
    def timezone(self) -> str:
        return self.member.timezone or self.community.timezone or "UTC"

    def can(self, role: Role) -> bool:
        return self.role >= role

    def gettext(self, message: str) -> str:
        return _(message, self.locale)

    def when(self, moment: Any) -> str:
        return local_time(moment, self.timezone, self.locale)


PageResult = dict[str, Any] | web.StreamResponse
PageHandler = Callable[[web.Request, Viewer, AsyncSession], Awaitable[PageResult]]


def services_of(request: web.Request) -> Services:
    return request.config_dict[SERVICES]


def kept(request: web.Request) -> Kept:
    return request.config_dict[KEPT]


def render(request: web.Request, template: str, context: dict[str, Any], status: int = 200) -> web.Response:
    """A page from its template, with what every page shows (the community, the viewer, `_`)."""
    context.setdefault("viewer", None)
    viewer = context["viewer"]
    locale = viewer.locale if viewer is not None else DEFAULT_LOCALE
    context.setdefault("_", lambda message: _(message, locale))
    context.setdefault("locale", locale)
    context.setdefault("Role", Role)
    return aiohttp_jinja2.render_template(template, request, context, status=status)


def refusal(request: web.Request, status: int, title: str, text: str, viewer: Viewer | None = None) -> web.Response:
    """A page that says, in a sentence, why not (and what to do instead)."""
    return render(request, "refused.html", {"title": title, "text": text, "viewer": viewer}, status=status)


def page(
    role: Role, template: str | None = None
) -> Callable[[PageHandler], Callable[[web.Request], Awaitable[web.StreamResponse]]]:
    """A page of a community for members holding `role` (or a higher one); checked on every request. POSTs must
    carry the session's CSRF token. A handler returns a context for `template`, or a response of its own."""

    def wrap(handler: PageHandler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        @functools.wraps(handler)
        async def answer(request: web.Request) -> web.StreamResponse:
            services = services_of(request)
            set_reader(DEFAULT_LOCALE)  # a kept-alive connection's task may still write for its last viewer
            async with services.sessions() as db:
                found = await _viewer(request, db, services)
                if isinstance(found, web.StreamResponse):
                    return found
                viewer = found
                set_reader(viewer.locale)  # this request's task writes for the viewer (`_` in handlers too)
                if not viewer.can(role):
                    return refusal(request, 403, _("Not for your role"), needs_role(role), viewer)
                if request.method == "POST":
                    form = await request.post()
                    if not csrf_ok(_key(services), viewer.session_token, str(form.get(CSRF_FIELD, ""))):
                        return refusal(
                            request,
                            403,
                            _("This form has expired"),
                            _("Go back, reload the page and try again."),
                            viewer,
                        )
                try:
                    result = await handler(request, viewer, db)
                except web.HTTPRedirection:
                    await db.commit()  # a POST's work is done; then the browser goes on (post/redirect/get)
                    raise
                await db.commit()
            if isinstance(result, web.StreamResponse):
                return result
            assert template is not None, f"{handler.__name__} returned a context but has no template"
            result.setdefault("viewer", viewer)
            return render(request, template, result)

        return answer

    return wrap


def _key(services: Services) -> str:
    key = services.settings.secret_key
    assert key, "the web pages are only mounted with a secret key"
    return key


async def _viewer(request: web.Request, db: AsyncSession, services: Services) -> Viewer | web.Response:
    slug = request.match_info["slug"]
    community = await communities.by_slug(db, slug)
    if community is None or community.archived_at is not None:
        return refusal(request, 404, _("No such community"), _("There is no community at this address."))
    token = request.cookies.get(COOKIE, "")
    session = await web_sessions.session_of(db, token, services.clock.now()) if token else None
    member = await members.by_id(db, session.member_id) if session is not None else None
    if session is None or member is None:
        return refusal(
            request,
            401,
            _("Please sign in from chat"),
            _("Type /cop web where you talk to Cultivate: you will get a private link that signs you in."),
        )
    held = await communities.role_of(db, community, member)
    if held is None:
        return refusal(request, 403, _("Not your community"), _("You are not a member of this community."))
    locale = language_for(member, community)  # the member's language, else the community's
    return Viewer(member, community, held, token, csrf_token(_key(services), token), locale)
