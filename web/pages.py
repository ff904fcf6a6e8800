"""What every member reads: the library (search and full text), the directory, and the stories they may see."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from storage import directory, knowledge, members, stories
from storage.models import Consent, Role
from web.viewer import Viewer, page, refusal

PAGE = 20


def _offset(request: web.Request) -> int:
    raw = request.query.get("page", "1")
    number = int(raw) if raw.isascii() and raw.isdigit() else 1
    return (min(max(number, 1), 500) - 1) * PAGE


@page(Role.MEMBER, "library.html")
async def library(request: web.Request, viewer: Viewer, db: AsyncSession) -> dict[str, object]:
    query = request.query.get("q", "").strip()[:200]
    offset = _offset(request)
    if knowledge.words(query):
        items = await knowledge.search(db, viewer.community.id, query, limit=PAGE + 1, offset=offset)
    else:
        items = await knowledge.recent(db, viewer.community.id, limit=PAGE + 1, offset=offset)
    return {"query": query, "items": list(items)[:PAGE], "more": len(items) > PAGE, "page": offset // PAGE + 1}


@page(Role.MEMBER, "item.html")
async def library_item(request: web.Request, viewer: Viewer, db: AsyncSession) -> dict[str, object] | web.Response:
    item = await knowledge.by_id(db, int(request.match_info["item"]))
    if item is None or item.community_id != viewer.community.id:
        return refusal(request, 404, viewer.gettext("Not in the library"), viewer.gettext("There is no such item."))
    adder = await members.by_id(db, item.added_by) if item.added_by is not None else None
    return {"item": item, "adder": adder.called if adder is not None else None}


@page(Role.MEMBER, "directory.html")
async def directory_page(request: web.Request, viewer: Viewer, db: AsyncSession) -> dict[str, object]:
    query = request.query.get("q", "").strip()[:200]
    offset = _offset(request)
    rows: list[tuple[int, str, str, str]]
    if directory.words(query):
        found = await directory.search(db, viewer.community.id, query, limit=PAGE + 1, offset=offset)
        rows = [(m.member_id, m.expertise, m.offer, m.learn) for m in found]
    else:
        entries = await directory.listing(db, viewer.community.id, limit=PAGE + 1, offset=offset)
        rows = [(e.member_id, e.expertise, e.offer, e.learn) for e in entries]
    names = await members.by_ids(db, [r[0] for r in rows])
    people = [
        {"name": names[r[0]].called if r[0] in names else "", "expertise": r[1], "offer": r[2], "learn": r[3]}
        for r in rows[:PAGE]
    ]
    return {"query": query, "people": people, "more": len(rows) > PAGE, "page": offset // PAGE + 1}


ANONYMOUS = (Consent.PUBLIC_ANONYMOUS,)


@page(Role.MEMBER, "stories.html")
async def stories_page(request: web.Request, viewer: Viewer, db: AsyncSession) -> dict[str, object]:
    coordinator = viewer.can(Role.COORDINATOR)
    offset = _offset(request)
    found = await stories.visible(
        db, viewer.community.id, viewer_id=viewer.member.id, coordinator=coordinator, limit=PAGE + 1, offset=offset
    )
    names = await members.by_ids(db, [s.teller_id for s in found])
    shown = []
    for story in found[:PAGE]:
        # A story told anonymously stays anonymous, except to its teller and the coordinators.
        named = coordinator or story.teller_id == viewer.member.id or story.consent not in ANONYMOUS
        teller = names.get(story.teller_id)
        shown.append({"story": story, "teller": teller.called if named and teller is not None else None})
    return {"stories": shown, "more": len(found) > PAGE, "page": offset // PAGE + 1}
