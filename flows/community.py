"""Belonging: joining and leaving a community, what it is about, and who holds which role."""

from __future__ import annotations

from collections.abc import Sequence

from bot import arguments
from bot.context import MemberContext
from bot.errors import Answer, UsageError
from bot.events import MemberJoined
from bot.help import role_name
from bot.i18n import N_, _
from bot.messages import Fact, Message, Section
from bot.registry import Routine
from bot.text import content
from flows import introductions, invitations
from flows.participation import contributed
from storage import communities
from storage.models import Act, Community, Member, Membership, Role

routine = Routine("community")

GRANTABLE = {"moderator": Role.MODERATOR, "coordinator": Role.COORDINATOR}
routine.group("role", help=N_("Give or take a role"))


@routine.command("join", usage=N_("join [community]"), help=N_("Join this community (or the one named)"), role=None)
async def join(ctx: MemberContext, text: str) -> None:
    community = await _named_or_current(ctx, text)
    if community.archived_at is not None:
        raise Answer(
            _("*{name}* is archived: you can read its history, but it takes no new members.").format(
                name=community.name
            )
        )
    _membership, changed = await communities.join(ctx.db, community, ctx.member, ctx.now)
    if not changed:
        raise Answer(_("You are already a member of *{name}*.").format(name=community.name))
    ctx.community = community
    await contributed(ctx, Act.JOINED)
    await invitations.keep_sweeping(ctx, community)
    await ctx.reply(
        _(
            "Welcome to *{name}*! {domain}\nType `/cop help` to see what you can do, or `/cop community` to meet it."
        ).format(name=community.name, domain=content(community.domain))
    )
    # Last, so its "Introduce myself" button is the one a console number presses.
    await introductions.welcome_newcomer(ctx, community, ctx.member)


@routine.on(MemberJoined)
async def joined_channel(ctx: MemberContext, event: MemberJoined) -> None:
    """Joining a community's home channel on a platform makes one a member, and welcomed."""
    if event.place.direct:
        return
    if await communities.for_channel(ctx.db, event.place.platform, event.place.tenant, event.place.channel) is None:
        return  # some other channel
    if ctx.community.archived_at is not None:
        return
    _membership, changed = await communities.join(ctx.db, ctx.community, ctx.member, ctx.now)
    if changed:
        await contributed(ctx, Act.JOINED)
        await invitations.keep_sweeping(ctx, ctx.community)
        await introductions.welcome_newcomer(ctx, ctx.community, ctx.member)


@routine.command("leave", usage=N_("leave"), help=N_("Leave this community (you can come back)"))
async def leave(ctx: MemberContext, text: str) -> None:
    community, member = ctx.community, ctx.member
    membership = await communities.membership(ctx.db, community, member)
    assert membership is not None
    if membership.role == Role.COORDINATOR and len(await communities.holders(ctx.db, community, Role.COORDINATOR)) == 1:
        raise Answer(
            _(
                "You are the last coordinator of *{name}*. Make someone else coordinator first: "
                "`/cop role grant <member> coordinator`."
            ).format(name=community.name)
        )
    role = membership.role
    await communities.leave(ctx.db, membership, ctx.now)
    await ctx.record("left")
    dropped = ""
    if role in (Role.MODERATOR, Role.COORDINATOR):
        # A role ends with the membership: said to the leaver and to the coordinators, never silently.
        dropped = " " + _(
            "Your role as {role} ends with it; if you come back, a coordinator can grant it again."
        ).format(role=role_name(Role(role)))
        for coordinator in await communities.holders(ctx.db, community, Role.COORDINATOR):
            await ctx.dm(
                coordinator,
                _("{name} has left *{community}*, and with it their role as {role}.").format(
                    name=content(member.called), community=community.name, role=role_name(Role(role))
                ),
            )
    await ctx.reply(
        _("You have left *{name}*. Changed your mind? `/cop join {slug}`.").format(
            name=community.name, slug=community.slug
        )
        + dropped
    )


@routine.command(
    "community", usage=N_("community [name]"), help=N_("What this community is about, and who runs it"), role=None
)
async def about(ctx: MemberContext, text: str) -> None:
    community = await _named_or_current(ctx, text)
    coordinators = await communities.holders(ctx.db, community, Role.COORDINATOR)
    moderators = await communities.holders(ctx.db, community, Role.MODERATOR)
    count = await communities.count_members(ctx.db, community)
    channels = ", ".join(f"{c.platform}: {c.channel}" for c in communities.home_channels(community)) or _("none yet")
    facts: tuple[Fact, ...] = (
        Fact(_("Topics"), content(", ".join(community.topics)) or _("none yet")),
        Fact(_("Home channels"), content(channels)),
        Fact(_("Coordinators"), _names(coordinators)),
        Fact(_("Moderators"), _names(moderators)),
        Fact(_("Members"), str(count)),
        Fact(_("Timezone"), community.timezone),
        Fact(_("Language"), community.language),
    )
    others = [c.slug for c in await communities.all_communities(ctx.db) if c.id != community.id]
    footer = _("Other communities here: {names}").format(names=", ".join(others)) if others else ""
    if community.archived_at is not None:
        facts += (Fact(_("Archived"), ctx.when(community.archived_at)),)
    await ctx.reply(
        Message(
            f"*{content(community.name)}*", sections=(Section(content(community.domain), facts=facts),), footer=footer
        )
    )


@routine.command(
    "role grant",
    usage=N_("role grant <member> moderator|coordinator"),
    help=N_("Give a member a role"),
    example="role grant Baraka moderator",
    role=Role.COORDINATOR,
)
async def role_grant(ctx: MemberContext, text: str) -> None:
    member, membership, wanted = await _role_change(ctx, text)
    who, current = content(member.called), Role(membership.role)
    if current >= wanted:
        raise Answer(_("{who} is already a {role}.").format(who=who, role=role_name(current)))
    await communities.set_role(ctx.db, membership, wanted)
    await ctx.record("role.granted", subject=str(member.id), role=wanted.label)
    await ctx.reply(
        _("{who} is now a {role} of *{name}*.").format(who=who, role=role_name(wanted), name=ctx.community.name)
    )
    await ctx.dm(
        member,
        lambda: _("You are now a {role} of *{name}*. Type `/cop help` to see what that lets you do.").format(
            role=role_name(wanted), name=ctx.community.name
        ),
    )


@routine.command(
    "role revoke",
    usage=N_("role revoke <member> moderator|coordinator"),
    help=N_("Take a role back"),
    example="role revoke Baraka moderator",
    role=Role.COORDINATOR,
)
async def role_revoke(ctx: MemberContext, text: str) -> None:
    member, membership, wanted = await _role_change(ctx, text)
    who, current = content(member.called), Role(membership.role)
    if current != wanted:
        raise Answer(
            _("{who} is a {current}, not a {role}.").format(who=who, current=role_name(current), role=role_name(wanted))
        )
    community = ctx.community
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


async def _role_change(ctx: MemberContext, text: str) -> tuple[Member, Membership, Role]:
    """`<member> moderator|coordinator`: the member, their membership here, and the role named."""
    name, _sep, asked = text.strip().rpartition(" ")
    if not name.strip():
        raise UsageError(_("Say whom, and which role."))
    wanted = GRANTABLE.get(asked.casefold())
    if wanted is None:
        raise UsageError(_("“{role}” is not a role; the roles are moderator and coordinator.").format(role=asked[:40]))
    member = await arguments.member_named(ctx.db, ctx.community, name)
    membership = await communities.membership(ctx.db, ctx.community, member)
    assert membership is not None  # member_named finds current members only
    return member, membership, wanted


async def _named_or_current(ctx: MemberContext, text: str) -> Community:
    name = text.strip()
    if not name:
        return ctx.require_community()
    community = await communities.by_slug(ctx.db, name)
    if community is not None and community.merged_into_id is not None:
        target = await communities.by_id(ctx.db, community.merged_into_id)
        raise Answer(
            _("*{name}* was merged into *{target}*: type `/cop join {slug}`.").format(
                name=community.name, target=target.name if target else "?", slug=target.slug if target else ""
            )
        )
    if community is None:
        known = ", ".join(c.slug for c in await communities.all_communities(ctx.db))
        raise Answer(
            _("There is no community called “{name}”. Communities here: {known}.").format(
                name=content(name[:60]), known=known
            )
        )
    return community


def _names(people: Sequence[Member]) -> str:
    names = [content(m.called) for m in people]
    return ", ".join(names) if names else _("none yet")
