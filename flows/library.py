"""The knowledge library: what the community keeps — links members add, and lessons the routines bring in."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from bot import arguments
from bot.context import MemberContext
from bot.errors import Answer, UsageError
from bot.i18n import N_, _
from bot.messages import Button, Fact, Message, Section
from bot.registry import Routine
from bot.text import content, is_web_address, shorten
from flows.participation import contributed
from storage import knowledge, library_use, members
from storage.models import Act, KnowledgeItem, Role

routine = Routine("library")
PAGE = 5
MORE = "library.more"
_VIDEO = re.compile(r"(youtube\.com|youtu\.be|vimeo\.com|\.mp4$|\.webm$)", re.IGNORECASE)
_DOCUMENT = re.compile(r"\.(pdf|docx?|pptx?|xlsx?|odt|odp)$", re.IGNORECASE)


@routine.command(
    "library recent",
    usage=N_("library [recent]"),
    help=N_("The community's library of links, lessons and summaries: what was added last"),
    example="library",
    default=True,
)
async def library_recent(ctx: MemberContext, text: str) -> None:
    await _show(ctx, "", 0)


@routine.command(
    "library search",
    usage=N_("library search <words>"),
    help=N_("Search the library"),
    example="library search dashboards",
    aliases=("library find",),
)
async def library_search(ctx: MemberContext, text: str) -> None:
    if not knowledge.words(text):
        raise UsageError(_("Say what to look for."))
    await _show(ctx, text.strip(), 0)


@routine.command(
    "library add",
    usage=N_("library add <url> [title] [#tags]"),
    help=N_("Add a link to the library"),
    example="library add https://example.org/guide.pdf Alerting guide #alerting",
)
async def library_add(ctx: MemberContext, text: str) -> None:
    community, member = ctx.community, ctx.member
    url, rest = arguments.leading(text)
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
    await contributed(ctx, Act.LIBRARY, item.id)
    await ctx.reply(_("Added to the library as #{id}: {item}").format(id=item.id, item=_entry(item)))


@routine.command(
    "library show",
    usage=N_("library show <id>"),
    help=N_("Read an item in full: a lesson, a review, what worked, a discussion's summary"),
    example="library show 3",
    aliases=("library read",),
)
async def library_show(ctx: MemberContext, text: str) -> None:
    item = await _item(ctx, text, _("Say which item, by its number (see /cop library)."))
    facts = [Fact(_("From"), _source(item))]
    if item.url:
        facts.append(Fact(_("Link"), content(item.url)))
    if item.tags:
        facts.append(Fact(_("Tags"), " ".join(f"#{content(t)}" for t in item.tags)))
    facts.append(Fact(_("Kept"), ctx.when(item.created_at)))
    body = content(item.body) if item.body.strip() else _("(Nothing more than the title and link.)")
    await library_use.found(ctx.db, [item], ctx.member.id, ctx.now)
    await ctx.reply(
        Message(
            f"#{item.id} [{_(item.kind)}] *{content(item.title)}*",
            sections=(Section(body), Section(facts=tuple(facts))),
        )
    )


@routine.command(
    "library remove",
    usage=N_("library remove <id>"),
    help=N_("Remove an item you added (moderators: any item)"),
    example="library remove 3",
    aliases=("library delete",),
)
async def library_remove(ctx: MemberContext, text: str) -> None:
    item = await _item(ctx, text, _("Say which item, by its number."))
    if item.added_by != ctx.member.id and not ctx.has_role(Role.MODERATOR):
        adder = await members.by_id(ctx.db, item.added_by) if item.added_by else None
        raise Answer(
            _("Only {who} or a moderator can remove #{id}.").format(
                who=content(adder.called) if adder else _("the one who added it"), id=item.id
            )
        )
    await knowledge.remove(ctx.db, item)
    await ctx.record("library.removed", subject=str(item.id))
    await ctx.reply(_("Removed #{id} from the library.").format(id=item.id))


@routine.action(MORE)
async def more(ctx: MemberContext, value: str) -> None:
    offset, _sep, query = value.partition("|")
    await _show(ctx, query, int(offset) if offset.isdigit() and len(offset) < 7 else 0)


async def _show(ctx: MemberContext, query: str, offset: int) -> None:
    community = ctx.community
    if query:
        items = list(await knowledge.search(ctx.db, community.id, query, limit=PAGE + 1, offset=offset))
        await library_use.found(ctx.db, items[:PAGE], ctx.member.id, ctx.now)
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
    lines = [_line(item, query) for item in items[:PAGE]]
    buttons = (Button(_("More"), MORE, f"{offset + PAGE}|{query[:150]}"),) if len(items) > PAGE else ()
    footer = _("Read one in full: /cop library show <id>")
    await ctx.reply(Message(title, sections=(Section("\n".join(lines)),), buttons=buttons, footer=footer))


def _line(item: KnowledgeItem, query: str = "") -> str:
    """One item in a list; under a search result, a piece of its text around what was looked for."""
    line = f"- #{item.id} {_entry(item)}"
    piece = knowledge.snippet(item.body, query) if query and item.body.strip() else ""
    return f"{line}\n    “{content(piece)}”" if piece else line


def _entry(item: KnowledgeItem) -> str:
    where = _source(item)
    tags = " ".join(f"#{content(t)}" for t in item.tags)
    link = f" {content(item.url)}" if item.url else ""
    return f"[{_(item.kind)}] *{content(shorten(item.title, 100))}*{link} {tags} — {where}".rstrip()


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


async def _item(ctx: MemberContext, text: str, missing: str) -> KnowledgeItem:
    """The library item a command names by its number, in this community."""
    number, _rest = arguments.number(text, missing=missing)
    return await arguments.in_community(
        ctx.community.id, number, lambda n: knowledge.by_id(ctx.db, n), _("There is no item #{id} in the library.")
    )
