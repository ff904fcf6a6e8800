"""The one-click unsubscribe link of the digest's emails (RFC 8058), served by `cultivate serve`: the signed token
names the member and the community and nothing else."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from aiohttp import web

from bot import signing
from bot.i18n import _
from bot.registry import Routine
from bot.services import Services
from flows.digest_mail import PATH, PURPOSE
from storage import digests

routine = Routine("digest_unsubscribe")


def _member_of(services: Services, request: web.Request) -> tuple[int, int] | None:
    secret = services.settings.secret_key
    if not secret:
        return None
    try:
        payload = signing.unsign(secret, PURPOSE, request.query.get("token", ""))
    except signing.BadToken:
        return None
    member, community = payload.get("m"), payload.get("c")
    if not isinstance(member, int) or not isinstance(community, int):
        return None
    return member, community


def _page(title: str, body: str, status: int = 200) -> web.Response:
    html = (
        '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{escape(title)}</title></head>"
        '<body style="font-family:sans-serif;max-width:32em;margin:2em auto">'
        f"<h1>{escape(title)}</h1>{body}</body></html>"
    )
    return web.Response(text=html, status=status, content_type="text/html")


@routine.route("GET", PATH)
async def unsubscribe_page(request: web.Request, services: Services) -> web.StreamResponse:
    """Opening the link asks to confirm (link scanners open links too); mail clients POST directly (one click)."""
    if _member_of(services, request) is None:
        return _page(
            _("This link does not work"),
            f"<p>{escape(_('It may have been cut or changed. Type /cop digest unsubscribe in chat instead.'))}</p>",
            400,
        )
    action = escape(f"{PATH}?token={quote(request.query.get('token', ''))}", quote=True)
    return _page(
        _("Stop the digest emails?"),
        f'<form method="post" action="{action}">'
        f'<button type="submit">{escape(_("Stop the digest emails"))}</button></form>',
    )


@routine.route("POST", PATH)
async def unsubscribe_now(request: web.Request, services: Services) -> web.StreamResponse:
    """One click: no more digest emails to this member from this community (the chat copy is not touched)."""
    found = _member_of(services, request)
    if found is None:
        return _page(
            _("This link does not work"),
            f"<p>{escape(_('It may have been cut or changed. Type /cop digest unsubscribe in chat instead.'))}</p>",
            400,
        )
    member_id, community_id = found
    async with services.sessions() as db:
        row = await digests.find_subscription(db, community_id, member_id)
        if row is not None:
            digests.stop_email(row, services.clock.now())
            await db.commit()
    return _page(
        _("Done"),
        f"<p>{escape(_('You will get no more digest emails. The digest stays in the community channel.'))}</p>",
    )
