"""The knowledge library: what the community keeps — links members add, and lessons the routines bring in."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from bot.context import Context
from bot.errors import Answer, UsageError
from bot.i18n import N_, _
from bot.messages import Button, Message, Section
from bot.registry import Routine
from bot.text import content, is_web_address, parse_id, shorten
from storage import knowledge, members
from storage.models import KnowledgeItem, Role

routine = Routine("library")
PAGE = 5
MORE = "library.more"
_VIDEO = re.compile(r"(youtube\.com|youtu\.be|vimeo\.com|\.mp4$|\.webm$)", re.IGNORECASE)
_DOCUMENT = re.compile(r"\.(pdf|docx?|pptx?|xlsx?|odt|odp)$", re.IGNORECASE)


@routine.command(
    "library",
    usage=N_("library add <url> [title] [#tags] | search <words> | recent | remove <id>"),
    help=N_("The community's library of links, lessons and summaries"),
    example="library search dashboards",
)
async def library(ctx: Context, text: str) -> None:
    verb, _sep, rest = text.strip().partition(" ")
    match verb.casefold():
        case "add":
            await _add(ctx, rest.strip())
        case "search" | "find":
            if not knowledge.words(rest):
                raise UsageError(_("Say what to look for."))
            await _show(ctx, rest.strip(), 0)
        case "recent" | "":
            await _show(ctx, "", 0)
        case "remove" | "delete":
            await _remove(ctx, rest.strip().lstrip("#"))
        case _:
            raise UsageError(_("I know add, search, recent and remove."))


async def _add(ctx: Context, text: str) -> None:
    community, member = ctx.require_community(), ctx.member
    assert member is not None
    url, _sep, rest = text.partition(" ")
    parsed = urlparse(url)
    if not is_web_address(url):
        raise UsageError(_("Start with a web address, like https://example.org/guide.pdf"))
    existing = await knowledge.by_url(ctx.db, community.id, url)
    if existing is not None:
        raise Answer(_("That is already in the library:\n{item}").format(item=_line(existing)))
    tags = [t.lstrip("#").casefold() for t in rest.split() if t.startswith("#") and len(t) > 1]
    title = " ".join(t for t in rest.split() if not t.startswith("#")) or parsed.netloc + parsed.path
    kind = "video" if _VIDEO.search(url) else "document" if _DOCUMENT.search(parsed.path) else "link"
    item = await knowledge.keep(
        ctx.db,
        community_id=community.id,
        kind=kind,
        title=title,
        body="",
        tags=tags,
        source=f"member:{member.id}",
        added_by=member.id,
        now=ctx.now,
        url=url,
    )
    await ctx.record("library.added", subject=str(item.id))
    await ctx.reply(_("Added to the library as #{id}: {item}").format(id=item.id, item=_line(item)))


@routine.action(MORE)
async def more(ctx: Context, value: str) -> None:
    offset, _sep, query = value.partition("|")
    await _show(ctx, query, parse_id(offset) or 0)


async def _show(ctx: Context, query: str, offset: int) -> None:
    community = ctx.require_community()
    if query:
        items = list(await knowledge.search(ctx.db, community.id, query, limit=PAGE + 1, offset=offset))
        title = _("Library results for “{query}”:").format(query=content(shorten(query, 60)))
        empty = _("Nothing in the library matches “{query}”. Add something with /cop library add <url>.").format(
            query=content(shorten(query, 60))
        )
    else:
        items = list(await knowledge.recent(ctx.db, community.id, limit=PAGE + 1, offset=offset))
        title = _("Recently added to the library:")
        empty = _("The library is empty. Add the first link with /cop library add <url> [title] [#tags].")
    if not items:
        raise Answer(empty if offset == 0 else _("No more items."))
    lines = [_line(item) for item in items[:PAGE]]
    buttons = (Button(_("More"), MORE, f"{offset + PAGE}|{query[:150]}"),) if len(items) > PAGE else ()
    await ctx.reply(Message(title, sections=(Section("\n".join(lines)),), buttons=buttons))


def _line(item: KnowledgeItem) -> str:
    where = _source(item)
    tags = " ".join(f"#{content(t)}" for t in item.tags)
    link = f" {content(item.url)}" if item.url else ""
    return f"- #{item.id} [{_(item.kind)}] *{content(shorten(item.title, 100))}*{link} {tags} — {where}".rstrip()


def _source(item: KnowledgeItem) -> str:
    kind, _sep, ref = (item.source or "").partition(":")
    if kind == "assist":
        return _("from peer-assist request #{id}").format(id=ref)
    if kind == "webinar":
        return _("from webinar #{id}").format(id=ref)
    if kind == "story":
        return _("a member's story")
    if kind == "aar":
        return _("from an After Action Review")
    if kind == "discussion":
        return _("summary of discussion #{id}").format(id=ref)
    return _("added by a member")


async def _remove(ctx: Context, value: str) -> None:
    community, member = ctx.require_community(), ctx.member
    assert member is not None
    if not value.isdigit():
        raise UsageError(_("Say which item, by its number."))
    item = await knowledge.by_id(ctx.db, ident) if (ident := parse_id(value)) else None
    if item is None or item.community_id != community.id:
        raise Answer(_("There is no item #{id} in the library.").format(id=value))
    if item.added_by != member.id and (ctx.role or 0) < Role.MODERATOR:
        adder = await members.by_id(ctx.db, item.added_by) if item.added_by else None
        raise Answer(
            _("Only {who} or a moderator can remove #{id}.").format(
                who=content(adder.called) if adder else _("the one who added it"), id=item.id
            )
        )
    await knowledge.remove(ctx.db, item)
    await ctx.record("library.removed", subject=str(item.id))
    await ctx.reply(_("Removed #{id} from the library.").format(id=item.id))
