"""Belonging: joining and leaving a community, what it is about, and who holds which role."""

from __future__ import annotations

from collections.abc import Sequence

from bot.context import Context
from bot.errors import Answer, UsageError
from bot.events import MemberJoined
from bot.help import role_name
from bot.i18n import N_, _
from bot.messages import Fact, Message, Section
from bot.registry import Routine
from bot.text import content
from flows import introductions
from storage import communities, members
from storage.models import Community, Member, Role

routine = Routine("community")

GRANTABLE = {"moderator": Role.MODERATOR, "coordinator": Role.COORDINATOR}


@routine.command("join", usage=N_("join [community]"), help=N_("Join this community (or the one named)"), role=None)
async def join(ctx: Context, text: str) -> None:
    community = await _named_or_current(ctx, text)
    assert ctx.member is not None
    _membership, changed = await communities.join(ctx.db, community, ctx.member, ctx.now)
    if not changed:
        raise Answer(_("You are already a member of *{name}*.").format(name=community.name))
    ctx.community = community
    await ctx.record("joined")
    await ctx.reply(
        _(
            "Welcome to *{name}*! {domain}\nType `/cop help` to see what you can do, or `/cop community` to meet it."
        ).format(name=community.name, domain=content(community.domain))
    )
    # Last, so its "Introduce myself" button is the one a console number presses.
    await introductions.welcome_newcomer(ctx, community, ctx.member)


@routine.on(MemberJoined)
async def joined_channel(ctx: Context, event: MemberJoined) -> None:
    """Joining a community's home channel on a platform makes one a member, and welcomed."""
    if ctx.community is None or ctx.member is None or event.place.direct:
        return
    if await communities.for_channel(ctx.db, event.place.platform, event.place.tenant, event.place.channel) is None:
        return  # some other channel
    _membership, changed = await communities.join(ctx.db, ctx.community, ctx.member, ctx.now)
    if changed:
        await ctx.record("joined")
        await introductions.welcome_newcomer(ctx, ctx.community, ctx.member)


@routine.command("leave", usage=N_("leave"), help=N_("Leave this community (you can come back)"))
async def leave(ctx: Context, text: str) -> None:
    community, member = ctx.require_community(), ctx.member
    assert member is not None
    membership = await communities.membership(ctx.db, community, member)
    assert membership is not None
    if membership.role == Role.COORDINATOR and len(await communities.holders(ctx.db, community, Role.COORDINATOR)) == 1:
        raise Answer(
            _(
                "You are the last coordinator of *{name}*. Make someone else coordinator first: "
                "`/cop role grant <member> coordinator`."
            ).format(name=community.name)
        )
    await communities.leave(ctx.db, membership, ctx.now)
    await ctx.record("left")
    await ctx.reply(
        _("You have left *{name}*. Changed your mind? `/cop join {slug}`.").format(
            name=community.name, slug=community.slug
        )
    )


@routine.command(
    "community", usage=N_("community [name]"), help=N_("What this community is about, and who runs it"), role=None
)
async def about(ctx: Context, text: str) -> None:
    community = await _named_or_current(ctx, text)
    coordinators = await communities.holders(ctx.db, community, Role.COORDINATOR)
    moderators = await communities.holders(ctx.db, community, Role.MODERATOR)
    count = await communities.count_members(ctx.db, community)
    channels = ", ".join(f"{c.platform}: {c.channel}" for c in communities.home_channels(community)) or _("none yet")
    facts = (
        Fact(_("Topics"), content(", ".join(community.topics)) or _("none yet")),
        Fact(_("Home channels"), content(channels)),
        Fact(_("Coordinators"), _names(coordinators)),
        Fact(_("Moderators"), _names(moderators)),
        Fact(_("Members"), str(count)),
        Fact(_("Timezone"), community.timezone),
    )
    others = [c.slug for c in await communities.all_communities(ctx.db) if c.id != community.id]
    footer = _("Other communities here: {names}").format(names=", ".join(others)) if others else ""
    await ctx.reply(
        Message(
            f"*{content(community.name)}*", sections=(Section(content(community.domain), facts=facts),), footer=footer
        )
    )


@routine.command(
    "role",
    usage=N_("role grant|revoke <member> moderator|coordinator"),
    help=N_("Give or take a role"),
    example="role grant Baraka moderator",
    role=Role.COORDINATOR,
)
async def role(ctx: Context, text: str) -> None:
    words = text.split()
    if len(words) < 3 or words[0].casefold() not in ("grant", "revoke"):
        raise UsageError(_("Say whether to grant or revoke, whom, and which role."))
    action, name, asked = words[0].casefold(), " ".join(words[1:-1]), words[-1].casefold()
    wanted = GRANTABLE.get(asked)
    if wanted is None:
        raise UsageError(_("“{role}” is not a role; the roles are moderator and coordinator.").format(role=asked[:40]))
    community = ctx.require_community()
    member = await _one_member(ctx, community, name)
    membership = await communities.membership(ctx.db, community, member)
    assert membership is not None
    who = content(member.called)
    current = Role(membership.role)
    if action == "grant":
        if current >= wanted:
            raise Answer(_("{who} is already a {role}.").format(who=who, role=role_name(current)))
        await communities.set_role(ctx.db, membership, wanted)
        await ctx.record("role.granted", subject=str(member.id), role=wanted.label)
        await ctx.reply(
            _("{who} is now a {role} of *{name}*.").format(who=who, role=role_name(wanted), name=community.name)
        )
        await ctx.dm(
            member,
            _("You are now a {role} of *{name}*. Type `/cop help` to see what that lets you do.").format(
                role=role_name(wanted), name=community.name
            ),
        )
        return
    if current != wanted:
        raise Answer(
            _("{who} is a {current}, not a {role}.").format(who=who, current=role_name(current), role=role_name(wanted))
        )
    if wanted == Role.COORDINATOR and len(await communities.holders(ctx.db, community, Role.COORDINATOR)) == 1:
        raise Answer(
            _(
                "{who} is the last coordinator; a community always keeps one. Grant the role to someone else first."
            ).format(who=who)
        )
    await communities.set_role(ctx.db, membership, Role.MEMBER)
    await ctx.record("role.revoked", subject=str(member.id), role=wanted.label)
    await ctx.reply(
        _("{who} is no longer a {role} of *{name}*.").format(who=who, role=role_name(wanted), name=community.name)
    )


async def _named_or_current(ctx: Context, text: str) -> Community:
    name = text.strip()
    if not name:
        return ctx.require_community()
    community = await communities.by_slug(ctx.db, name)
    if community is None:
        known = ", ".join(c.slug for c in await communities.all_communities(ctx.db))
        raise Answer(
            _("There is no community called “{name}”. Communities here: {known}.").format(
                name=content(name[:60]), known=known
            )
        )
    return community


async def _one_member(ctx: Context, community: Community, name: str) -> Member:
    found = list(await members.find_in_community(ctx.db, community.id, name))
    if not found:
        raise Answer(
            _("I don't know anyone called “{name}” in *{community}*. They need to type `/cop join` first.").format(
                name=content(name[:60]), community=community.name
            )
        )
    if len(found) > 1:
        raise Answer(
            _("More than one member is called “{name}”; use their user id instead.").format(name=content(name[:60]))
        )
    return found[0]


def _names(people: Sequence[Member]) -> str:
    names = [content(m.called) for m in people]
    return ", ".join(names) if names else _("none yet")
