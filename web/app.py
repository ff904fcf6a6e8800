"""The web pages' application, mounted by `cultivate serve` under /c: templates, security headers, the routes."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.services import Services
from web import calendar, coordinators, overview, pages, sign_in
from web.links import PAGES
from web.recent import Kept
from web.security import guard
from web.viewer import KEPT, SERVICES

HERE = Path(__file__).parent
__all__ = ["PAGES", "build"]


def build(services: Services) -> web.Application:
    """The pages of every community, /c/<slug>/…; needs a secret key (serve makes sure there is one)."""
    app = web.Application(middlewares=[guard], client_max_size=64 * 1024)
    app[SERVICES] = services
    app[KEPT] = Kept()
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every value is escaped unless a template says otherwise (none does)
        undefined=jinja2.StrictUndefined,
    )
    app.router.add_static("/_static/", HERE / "static")
    r = app.router
    r.add_get("/{slug}/signin", sign_in.sign_in_form)
    r.add_post("/{slug}/signin", sign_in.sign_in)
    r.add_post("/{slug}/signout", sign_in.sign_out)
    r.add_get("/{slug}/", overview.overview)
    r.add_get("/{slug}", overview.to_overview)
    r.add_get("/{slug}/library", pages.library)
    r.add_get(r"/{slug}/library/{item:\d+}", pages.library_item)
    r.add_get("/{slug}/directory", pages.directory_page)
    r.add_get("/{slug}/stories", pages.stories_page)
    r.add_get("/{slug}/calendar", calendar.calendar)
    r.add_post(r"/{slug}/calendar/{webinar:\d+}/rsvp", calendar.rsvp)
    r.add_get("/{slug}/calendar.ics", calendar.feed)
    r.add_get("/{slug}/health", coordinators.health)
    r.add_get("/{slug}/health/{table}.{format:csv|json}", coordinators.health_table)
    r.add_get("/{slug}/champions", coordinators.champions)
    r.add_get("/{slug}/deliveries", coordinators.failed_deliveries)
    r.add_post(r"/{slug}/deliveries/{what:message|delivery}/{id:\d+}/retry", coordinators.retry)
    r.add_get("/{slug}/exports", coordinators.exports)
    r.add_get("/{slug}/exports/{name}.{format:csv|json}", coordinators.export)
    return app
