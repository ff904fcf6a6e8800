"""One person across platforms: link accounts with a one-time code (or a coordinator's proposal both accounts
confirm), unlink them, and choose where messages reach you."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer, UsageError
from bot.events import Place
from bot.i18n import N_, _
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import content
from flows.link_report import describe_merge, platform_name
from storage import linking, member_merge, members
from storage.models import Identity, Member

routine = Routine("linking")
routine.group("link", help=N_("Link your accounts on several platforms into one"))
SWEEP = "people.sweep"
# Events that found the merged member just before the merge have long finished by then.
SWEEP_AFTER = timedelta(minutes=10)
REACHABLE = ("slack", "teams", "yammer", "console")
EMAIL = "email"
AUTOMATIC = ("auto", "anywhere", "last")


@dataclass(frozen=True)
class MergedMember:
    gone: int


@routine.command(
    "link",
    usage=N_("link [code]"),
    help=N_("Get a one-time code, or type the code you got on your other platform"),
    example="link K7P4-QX2M",
    role=None,
)
async def link(ctx: MemberContext, text: str) -> None:
    code = text.strip()
    if not code:
        await _give_code(ctx)
        return
    if len(linking.normalise(code)) != linking.CODE_LENGTH or len(code) > 20:
        raise UsageError(_("A link code has eight letters and digits, like K7P4-QX2M."))
    await _redeem(ctx, code)


async def _give_code(ctx: MemberContext) -> None:
    code = await linking.issue_code(ctx.db, ctx.member, ctx.actor.platform, ctx.now)
    minutes = int(linking.CODE_LIFETIME.total_seconds() // 60)
    await ctx.reply(
        Message(
            _("Your link code: *{code}*").format(code=code),
            sections=(
                Section(
                    _(
                        "On your other platform, type `/cop link {code}` within {minutes} minutes. It works once. "
                        "Your introduction, profile, roles, answers and history there and here become one."
                    ).format(code=code, minutes=minutes)
                ),
            ),
            footer=_("Nobody should ever ask you for this code. Did not ask for it? Just ignore it."),
        ),
        private=True,
    )


async def _redeem(ctx: MemberContext, code: str) -> None:
    # Refusals are replies, not Answer: the wrong try must be kept (an Answer rolls back), to slow down guessing.
    if await linking.wrong_codes(ctx.db, ctx.member, ctx.now) >= linking.MAX_WRONG_CODES:
        await ctx.reply(_("Too many wrong codes. Wait ten minutes, then ask for a new code."), private=True)
        return
    used = await linking.redeem(ctx.db, code, ctx.member, ctx.actor.platform, ctx.now)
    owner = await members.by_id(ctx.db, used.owner_id) if used.status is linking.Redeemed.LINKED else None
    if owner is None or owner.merged_into_id is not None or owner.forgotten_at is not None:
        await ctx.record(linking.WRONG_CODE)
        await ctx.reply(_refusal(used.status, ctx.actor.platform), private=True)
        return
    platforms = members.platforms_of(owner)
    keep, report = await merge(ctx, ctx.member, owner)
    await ctx.reply(await describe_merge(ctx, keep, report, platforms), private=True)
    there = next((i for i in keep.identities if i.platform == used.given_on), None)
    if there is not None:
        await tell_identity(
            ctx,
            there,
            _("Your account here is now linked with your {platform} account: one person, one history.").format(
                platform=platform_name(ctx.actor.platform)
            ),
        )


def _refusal(status: linking.Redeemed, platform: str) -> str:
    if status is linking.Redeemed.EXPIRED:
        return _(
            "That code has expired (codes last ten minutes). Type `/cop link` on your other platform for a new one."
        )
    if status is linking.Redeemed.USED:
        return _("That code has been used already; a code works once. Ask for a new one with `/cop link`.")
    if status is linking.Redeemed.SAME_PLATFORM:
        return _(
            "That code was given here on {platform}: type it on your *other* platform, the one you want to link."
        ).format(platform=platform_name(platform))
    if status is linking.Redeemed.SAME_MEMBER:
        return _("That code is yours, and this account is already part of you: nothing to link.")
    return _("I don't know that code. Check it, or ask for a new one with `/cop link` on your other platform.")


async def merge(ctx: Context, first: Member, second: Member) -> tuple[Member, member_merge.MergeReport]:
    """Make two members one, and sweep the merged one's late writes over in a few minutes."""
    keep, report = await member_merge.merge(ctx.db, first, second, ctx.now)
    gone = second if keep.id == first.id else first
    await ctx.schedule(SWEEP, at=ctx.now + SWEEP_AFTER, key=f"member-sweep:{gone.id}", payload=MergedMember(gone.id))
    if isinstance(ctx, MemberContext) and ctx.member.id == gone.id:
        ctx.member = keep  # what the rest of this event records is the survivor's
    await ctx.record("member.linked", subject=str(keep.id), member=keep)
    return keep, report


async def tell_identity(ctx: Context, identity: Identity, message: Message | str) -> bool:
    """A direct message to one particular account of a member (not where they are usually reached)."""
    if ctx.services.adapter(identity.platform) is None:
        return False
    await ctx.post(Place.direct_to(identity.platform, identity.tenant, identity.user_id), message)
    return True


@routine.delivery(SWEEP, payload=MergedMember)
async def sweep(ctx: DeliveryContext, payload: MergedMember) -> None:
    await member_merge.sweep(ctx.db, payload.gone, ctx.now)


# -- unlinking and where messages go ------------------------------------------------------------------------------
@routine.command(
    "unlink",
    usage=N_("unlink <platform>"),
    help=N_("Separate your account on a platform again (your history stays with you)"),
    example="unlink teams",
    role=None,
)
async def unlink(ctx: MemberContext, text: str) -> None:
    platform = text.strip().casefold()
    mine = members.platforms_of(ctx.member)
    if not platform:
        raise UsageError(_("Say which platform: {platforms}.").format(platforms=", ".join(mine)))
    if platform not in mine:
        raise Answer(
            _("You have no {platform} account linked. Your accounts: {platforms}.").format(
                platform=content(platform[:30]), platforms=", ".join(platform_name(p) for p in mine)
            )
        )
    if len(mine) == 1:
        raise Answer(_("That is your only account: there is nothing to separate it from."))
    fresh = await linking.unlink(ctx.db, ctx.member, platform, ctx.now)
    await ctx.record("member.unlinked", subject=platform)
    if platform == ctx.actor.platform:
        remaining = ", ".join(platform_name(p) for p in members.platforms_of(ctx.member))
        text_ = _(
            "Your {platform} account (this one) is separate again and starts afresh; your history stays with your "
            "account on {remaining}. Type `/cop join` here to join a community."
        ).format(platform=platform_name(platform), remaining=remaining)
        ctx.member = fresh
    else:
        text_ = _(
            "Your {platform} account is separate again: it starts afresh there, and your history stays here."
        ).format(platform=platform_name(platform))
    await ctx.reply(text_, private=True)


@routine.command(
    "reach",
    usage=N_("reach me on slack|teams|yammer|console|email|auto"),
    help=N_("Choose where my messages reach you (auto: where you last spoke to me)"),
    example="reach me on teams",
    role=None,
)
async def reach_me_on(ctx: MemberContext, text: str) -> None:
    wanted = _platform_after(text)
    if not wanted:
        await accounts(ctx, "")
        return
    if wanted in AUTOMATIC:
        ctx.member.reach_on = None
        await ctx.reply(_("Done: my messages reach you wherever you last spoke to me."), private=True)
        return
    if wanted == EMAIL and ctx.services.adapter(EMAIL) is None:
        raise Answer(_("Email is not available here yet. Choose a chat platform, or auto."))
    if wanted not in (*REACHABLE, EMAIL):
        raise UsageError(_("Choose one of: {choices}.").format(choices=", ".join((*REACHABLE, EMAIL, "auto"))))
    if wanted not in members.platforms_of(ctx.member):
        raise Answer(
            _(
                "You have no {platform} account linked yet. Type `/cop link` here, then the code there, and choose "
                "again."
            ).format(platform=platform_name(wanted))
        )
    if ctx.services.adapter(wanted) is None:
        raise Answer(
            _("{platform} is not running here, so my messages could not reach you there.").format(
                platform=platform_name(wanted)
            )
        )
    ctx.member.reach_on = wanted
    await ctx.reply(
        _(
            "Done: my messages reach you on {platform} from now on (answers to what you type still come where you "
            "type)."
        ).format(platform=platform_name(wanted)),
        private=True,
    )


def _platform_after(text: str) -> str:
    """The platform in "me on teams" (or "on teams", or "teams")."""
    words = text.casefold().split()
    for lead in (["me", "on"], ["on"], ["me"]):
        if words[: len(lead)] == lead:
            words = words[len(lead) :]
            break
    return " ".join(words)


@routine.command(
    "accounts",
    usage=N_("accounts"),
    help=N_("Your linked accounts, and where my messages reach you"),
    example="accounts",
    role=None,
)
async def accounts(ctx: MemberContext, text: str) -> None:
    member = ctx.member
    lines = []
    for identity in sorted(member.identities, key=lambda i: i.id):
        seen = ctx.when(identity.last_seen_at) if identity.last_seen_at else _("not yet")
        lines.append(
            _("- {platform}: last spoke to me {seen}").format(platform=platform_name(identity.platform), seen=seen)
        )
    target = members.preferred_identity(member, ctx.services.adapters)
    if member.reach_on:
        where = _("My messages reach you on {platform} (you chose it).").format(platform=platform_name(member.reach_on))
    elif target is not None:
        where = _("My messages reach you where you last spoke to me: now {platform}.").format(
            platform=platform_name(target.platform)
        )
    else:
        where = _("None of your platforms is running here right now.")
    await ctx.reply(
        Message(
            _("Your accounts"),
            sections=(Section("\n".join(lines)), Section(where)),
            footer=_("Link another with `/cop link`; choose with `/cop reach me on <platform>`."),
        ),
        private=True,
    )
