"""Who may manage a community from chat, and which community a command names."""

from __future__ import annotations

from bot.context import MemberContext
from bot.errors import Answer
from bot.i18n import _
from bot.text import content
from storage import communities
from storage.models import Community, Role


def is_admin(ctx: MemberContext) -> bool:
    """Whether the caller is one of CULTIVATE_ADMINS (coordinators of every community)."""
    admins = ctx.services.first_coordinators.get("*", frozenset())
    return any(f"{i.platform}:{i.user_id}" in admins or i.user_id in admins for i in ctx.member.identities)


async def require_coordinator(ctx: MemberContext, community: Community) -> None:
    if is_admin(ctx):
        return
    if community.id == ctx.community.id:
        ctx.require_role(Role.COORDINATOR)
        return
    if not await communities.holds(ctx.db, community, ctx.member, Role.COORDINATOR):
        raise Answer(_("Only a coordinator of *{name}* can do that.").format(name=content(community.name)))


async def community_named(ctx: MemberContext, slug: str) -> Community:
    """The community with this slug; one merged away answers where it went."""
    found = await communities.by_slug(ctx.db, slug)
    if found is None:
        known = ", ".join(c.slug for c in await communities.all_communities(ctx.db))
        raise Answer(
            _("There is no community called “{name}”. Communities here: {known}.").format(
                name=content(slug[:60]), known=known
            )
        )
    if found.merged_into_id is not None:
        target = await communities.by_id(ctx.db, found.merged_into_id)
        raise Answer(
            _("*{name}* was merged into *{target}*.").format(
                name=content(found.name), target=content(target.name if target else "?")
            )
        )
    return found
