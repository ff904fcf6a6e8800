"""A coordinator proposes that two members are one person; it takes effect only when both accounts say yes."""

from __future__ import annotations

from bot import arguments
from bot.context import Context, MemberContext
from bot.errors import Answer, UsageError
from bot.i18n import N_, _
from bot.messages import Button, ButtonStyle, Message, Section
from bot.registry import Routine
from bot.text import content
from flows.link_report import describe_merge, platform_name
from flows.linking import merge
from storage import linking, members
from storage.models import LinkProposal, Member, Role

routine = Routine("link_proposals")
PROPOSAL_YES, PROPOSAL_NO = "link.proposal.yes", "link.proposal.no"


@routine.command(
    "link members",
    usage=N_("link members <member> <member>"),
    help=N_("Propose that two members are one person; both accounts must confirm"),
    example="link members Amina U0123ABC",
    role=Role.COORDINATOR,
)
async def propose(ctx: MemberContext, text: str) -> None:
    if not text.strip():
        raise UsageError(_("Name the two accounts, by name or user id."))
    first, rest = await arguments.member_then_text(ctx.db, ctx.community, text)
    second = await arguments.member_named(ctx.db, ctx.community, rest)
    if first.id == second.id:
        raise Answer(_("That is one member already: nothing to link."))
    proposal = await linking.propose(ctx.db, first, second, ctx.member, ctx.now)
    for member, other in ((first, second), (second, first)):
        with ctx.language_of(member):
            card = _proposal_card(ctx, proposal, member, other)
        await ctx.dm(member, card)
    await ctx.reply(
        _(
            "I have asked {first} and {second} to confirm, each on their own account. They are linked once both say "
            "yes (within 7 days); I will tell you."
        ).format(first=content(first.called), second=content(second.called)),
        private=True,
    )


def _proposal_card(ctx: Context, proposal: LinkProposal, member: Member, other: Member) -> Message:
    platforms = ", ".join(platform_name(p) for p in members.platforms_of(other))
    return Message(
        _("Are these two accounts both yours?"),
        sections=(
            Section(
                _(
                    "A coordinator of *{community}* thinks that you and {other} on {platforms} are the same person. "
                    "If both accounts are yours, press Yes here and on your other account too: they become one, "
                    "with one introduction, profile and history. If not, press No."
                ).format(
                    community=ctx.community.name if ctx.community else "",
                    other=content(other.called),
                    platforms=platforms,
                )
            ),
        ),
        buttons=(
            Button(_("Yes, both are mine"), PROPOSAL_YES, str(proposal.id), ButtonStyle.PRIMARY),
            Button(_("No"), PROPOSAL_NO, str(proposal.id)),
        ),
    )


async def _open_proposal(ctx: MemberContext, value: str) -> LinkProposal:
    number = arguments.parse_id(value)
    found = await linking.proposal(ctx.db, number) if number is not None else None
    if found is None or found.closed_at is not None or found.expires_at <= ctx.now:
        raise Answer(_("That proposal is no longer open."))
    if ctx.member.id not in (found.first_id, found.second_id):
        raise Answer(_("That question was for someone else."))
    return found


@routine.action(PROPOSAL_YES)
async def proposal_yes(ctx: MemberContext, value: str) -> None:
    found = await _open_proposal(ctx, value)
    if not linking.confirm(found, ctx.member.id, ctx.now):
        await ctx.reply(_("Thank you. Now press Yes on your other account too: a message is waiting for you there."))
        return
    first = await members.by_id(ctx.db, found.first_id)
    second = await members.by_id(ctx.db, found.second_id)
    if first is None or second is None:
        raise Answer(_("That proposal is no longer open."))
    proposer = await members.by_id(ctx.db, found.proposed_by) if found.proposed_by else None
    linking.close(found, "linked", ctx.now)
    platforms = members.platforms_of(second if ctx.member.id == first.id else first)
    keep, report = await merge(ctx, first, second)
    await ctx.reply(await describe_merge(ctx, keep, report, platforms), private=True)
    if proposer is not None and proposer.id != keep.id:
        await ctx.dm(
            proposer, lambda: _("Both accounts confirmed: {name} is now one member.").format(name=content(keep.called))
        )


@routine.action(PROPOSAL_NO)
async def proposal_no(ctx: MemberContext, value: str) -> None:
    found = await _open_proposal(ctx, value)
    linking.close(found, "declined", ctx.now)
    await ctx.reply(_("Understood: the accounts stay separate."))
    proposer = await members.by_id(ctx.db, found.proposed_by) if found.proposed_by else None
    if proposer is not None:
        await ctx.dm(proposer, lambda: _("The accounts you proposed to link stay separate: one of them said no."))
