"""Communities managed from chat: create one, edit what it is about, give it home channels, archive it (merging
two is flows.merge_communities).

Coordinators of the community concerned may do it, and CULTIVATE_ADMINS for every community. What is changed here
wins over the configuration file from then on (see storage.communities.seed)."""

from __future__ import annotations

import re

from bot import arguments
from bot.community_config import language_code
from bot.context import MemberContext
from bot.errors import Answer, UsageError
from bot.events import Place
from bot.i18n import N_, _
from bot.messages import Fact, Message, Section
from bot.registry import Routine
from bot.text import content
from flows.community_access import community_named, require_coordinator
from flows.preferences import zone_named
from storage import archive, communities
from storage.communities import EDITABLE
from storage.models import Community, Role

routine = Routine("community_admin")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
# Words after `community` that are sub-commands, so no community may be called by them.
RESERVED = frozenset({"create", "edit", "channel", "archive", "unarchive", "merge", "help"})
PLATFORMS = ("slack", "teams", "yammer", "console")
LIMITS = {"name": 200, "domain": 2000}
MAX_TOPICS, TOPIC_LIMIT = 30, 60


@routine.command(
    "community create",
    usage=N_("community create <slug> <name>"),
    help=N_("Create a community (you become its coordinator)"),
    example="community create rtm Real-time monitoring",
    role=Role.COORDINATOR,
)
async def create(ctx: MemberContext, text: str) -> None:
    slug, name = arguments.first_word(text)
    name = " ".join(name.split())
    if not slug or not name:
        raise UsageError(_("Give a short slug (letters, digits, dashes) and the community's name."))
    if not SLUG.match(slug) or slug in RESERVED:
        raise UsageError(
            _(
                "“{slug}” cannot be a slug: use 2 to 40 lower-case letters, digits and dashes, like rtm or water-2."
            ).format(slug=content(slug[:40]))
        )
    if len(name) > LIMITS["name"]:
        raise UsageError(_("Keep the name under {n} characters.").format(n=LIMITS["name"]))
    if await communities.by_slug(ctx.db, slug) is not None:
        raise Answer(_("There is already a community called “{slug}”.").format(slug=slug))
    community = await communities.create(
        ctx.db, slug, name, timezone=ctx.timezone, language=ctx.community.language, now=ctx.now
    )
    membership, _changed = await communities.join(ctx.db, community, ctx.member, ctx.now)
    await communities.set_role(ctx.db, membership, Role.COORDINATOR)
    ctx.community = community
    await ctx.record("community.created", subject=slug)
    await ctx.reply(
        Message(
            _("Created *{name}* ({slug}); you are its coordinator.").format(name=content(name), slug=slug),
            sections=(
                Section(
                    _(
                        "Next: give it a home channel — type `/cop community channel add {slug}` in that channel — "
                        "say what it is about with `/cop community edit {slug} domain …` and "
                        "`/cop community edit {slug} topics a, b, c`."
                    ).format(slug=slug)
                ),
            ),
        )
    )


@routine.command(
    "community edit",
    usage=N_("community edit [slug] name|domain|topics|timezone|language <value>"),
    help=N_("Change what a community is called or about, its timezone or language"),
    example="community edit topics dashboards, alerting, data quality",
    role=Role.COORDINATOR,
)
async def edit(ctx: MemberContext, text: str) -> None:
    community, rest = await _target(ctx, text)
    await require_coordinator(ctx, community)
    field, value = arguments.first_word(rest)
    if not field:
        await ctx.reply(_settings_card(community), private=True)
        return
    if field not in EDITABLE:
        raise UsageError(_("Choose one of: {fields}.").format(fields=", ".join(EDITABLE)))
    if not value:
        raise UsageError(_("Give the new {field}.").format(field=field))
    new = _read(field, value)
    communities.edit(community, field, new)
    await ctx.record("community.edited", subject=field)
    shown = ", ".join(new) if isinstance(new, list) else str(new)
    await ctx.reply(
        _("Done: *{name}* has a new {field}: “{value}”.").format(
            field=field, name=content(community.name), value=content(shown[:300])
        )
    )


def _read(field: str, value: str) -> str | list[str]:
    if field in LIMITS:
        if len(value) > LIMITS[field]:
            raise UsageError(_("Keep it under {n} characters.").format(n=LIMITS[field]))
        return " ".join(value.split()) if field == "name" else value
    if field == "topics":
        topics = list(dict.fromkeys(t.strip() for t in value.split(",") if t.strip()))
        if not topics or len(topics) > MAX_TOPICS or any(len(t) > TOPIC_LIMIT for t in topics):
            raise UsageError(
                _("Give up to {n} topics separated by commas, each under {limit} characters.").format(
                    n=MAX_TOPICS, limit=TOPIC_LIMIT
                )
            )
        return topics
    if field == "timezone":
        zone = zone_named(value)
        if zone is None:
            raise UsageError(
                _("I don't know the timezone “{zone}”; write it like Africa/Nairobi.").format(zone=content(value[:60]))
            )
        return zone
    language = language_code(value)
    if language is None:
        raise UsageError(
            _("I don't know the language “{code}”; write a code like en, fr or pt_BR.").format(code=content(value[:20]))
        )
    return language


def _settings_card(community: Community) -> Message:
    facts = (
        Fact(_("Name"), content(community.name)),
        Fact(_("Domain"), content(community.domain) or _("none yet")),
        Fact(_("Topics"), content(", ".join(community.topics)) or _("none yet")),
        Fact(_("Timezone"), community.timezone),
        Fact(_("Language"), community.language),
    )
    return Message(
        f"*{content(community.name)}* ({community.slug})",
        sections=(Section(facts=facts),),
        footer=_("Change one: `/cop community edit {slug} <field> <value>`").format(slug=community.slug),
    )


@routine.command(
    "community channel add",
    usage=N_("community channel add [slug] [platform:channel]"),
    help=N_("Make this channel (or the one named) a home of the community"),
    example="community channel add rtm slack:C0123ABC",
    role=Role.COORDINATOR,
)
async def channel_add(ctx: MemberContext, text: str) -> None:
    community, place = await _channel_target(ctx, text)
    await require_coordinator(ctx, community)
    holder = await communities.add_channel(ctx.db, community, place.platform, place.tenant, place.channel)
    where = _channel_name(place)
    if holder is not None and holder.id == community.id:
        raise Answer(_("{channel} is already a home of *{name}*.").format(channel=where, name=content(community.name)))
    if holder is not None:
        raise Answer(
            _(
                "{channel} is already the home of *{other}*; a channel is the home of one community. "
                "Remove it there first."
            ).format(channel=where, other=content(holder.name))
        )
    await ctx.record("community.channel_added", subject=f"{place.platform}:{place.channel}")
    await ctx.reply(_("{channel} is now a home of *{name}*.").format(channel=where, name=content(community.name)))


@routine.command(
    "community channel remove",
    usage=N_("community channel remove [slug] [platform:channel]"),
    help=N_("This channel (or the one named) stops being a home of the community"),
    example="community channel remove rtm slack:C0123ABC",
    role=Role.COORDINATOR,
)
async def channel_remove(ctx: MemberContext, text: str) -> None:
    community, place = await _channel_target(ctx, text)
    await require_coordinator(ctx, community)
    where = _channel_name(place)
    if not await communities.remove_channel(ctx.db, community, place.platform, place.tenant, place.channel):
        raise Answer(_("{channel} is not a home of *{name}*.").format(channel=where, name=content(community.name)))
    await ctx.record("community.channel_removed", subject=f"{place.platform}:{place.channel}")
    left = len(community.channels)
    note = "" if left else " " + _("It has no home channel now: members reach it by direct message only.")
    await ctx.reply(
        _("{channel} is no longer a home of *{name}*.").format(channel=where, name=content(community.name)) + note
    )


async def _channel_target(ctx: MemberContext, text: str) -> tuple[Community, Place]:
    """`[slug] [platform:channel]`: the community concerned, and the channel (the one typed in by default)."""
    words = text.split()
    named = [w for w in words if ":" in w]
    others = [w for w in words if ":" not in w]
    if len(named) > 1 or len(others) > 1:
        raise UsageError(_("Name at most one community and one channel."))
    community = await community_named(ctx, others[0]) if others else ctx.community
    if named:
        return community, _named_place(ctx, named[0])
    place = ctx.event.place
    if place.direct:
        raise UsageError(_("Type this in the channel itself, or name the channel, like slack:C0123ABC."))
    return community, Place(place.platform, place.tenant, place.channel)


def _named_place(ctx: MemberContext, written: str) -> Place:
    """`platform:channel` or `platform:tenant/channel`; without a tenant, the caller's own on that platform."""
    platform, _sep, rest = written.partition(":")
    platform = platform.casefold()
    if platform not in PLATFORMS or not rest:
        raise UsageError(_("Write the channel as platform:channel, like slack:C0123ABC or console:rtm."))
    tenant, _sep, channel = rest.rpartition("/")
    if not tenant:
        if platform == ctx.actor.platform:
            tenant = ctx.event.place.tenant
        elif platform == "console":
            tenant = "local"
    if not channel or len(channel) > 128 or len(tenant) > 128:
        raise UsageError(_("Write the channel as platform:channel, like slack:C0123ABC or console:rtm."))
    return Place(platform, tenant, channel)


def _channel_name(place: Place) -> str:
    return content(f"{place.platform}:{place.channel}")


@routine.command(
    "community archive",
    usage=N_("community archive [slug]"),
    help=N_("Archive a community: its routines stop, its history and library stay readable"),
    example="community archive rtm",
    role=Role.COORDINATOR,
)
async def archive_community(ctx: MemberContext, text: str) -> None:
    community = await community_named(ctx, text.strip()) if text.strip() else ctx.community
    await require_coordinator(ctx, community)
    if community.archived_at is not None:
        raise Answer(_("*{name}* is archived already.").format(name=content(community.name)))
    stopped = await archive.archive(ctx.db, community, ctx.now)
    await ctx.record("community.archived", subject=community.slug)
    await ctx.reply(
        _(
            "*{name}* is archived: {deliveries} scheduled messages, {campaigns} story campaigns, {discussions} "
            "discussions and {webinars} coming sessions stopped. Its history and library stay readable. "
            "Undo: `/cop community unarchive {slug}`."
        ).format(
            name=content(community.name),
            deliveries=stopped.deliveries,
            campaigns=stopped.campaigns,
            discussions=stopped.discussions,
            webinars=stopped.webinars,
            slug=community.slug,
        )
    )


@routine.command(
    "community unarchive",
    usage=N_("community unarchive <slug>"),
    help=N_("Open an archived community again"),
    example="community unarchive rtm",
    role=Role.COORDINATOR,
)
async def unarchive_community(ctx: MemberContext, text: str) -> None:
    if not text.strip():
        raise UsageError(_("Say which community, by its slug."))
    community = await community_named(ctx, text.strip())
    await require_coordinator(ctx, community)
    if community.merged_into_id is not None:
        raise Answer(
            _("*{name}* was merged into another community; it cannot be opened again.").format(
                name=content(community.name)
            )
        )
    if community.archived_at is None:
        raise Answer(_("*{name}* is not archived.").format(name=content(community.name)))
    archive.unarchive(community)
    await ctx.record("community.unarchived", subject=community.slug)
    await ctx.reply(
        _(
            "*{name}* is open again. What archiving stopped stays stopped: schedule sessions, discussions and "
            "campaigns anew."
        ).format(name=content(community.name))
    )


async def _target(ctx: MemberContext, text: str) -> tuple[Community, str]:
    """`[slug] <field> <value>`: the community named first (if the first word is not a field), and the rest."""
    first, rest = arguments.leading(text)
    if first and first.casefold() not in EDITABLE and await communities.by_slug(ctx.db, first) is not None:
        return await community_named(ctx, first), rest
    return ctx.community, text
