"""Being forgotten: asked for twice, carried out after seven days, called off by any /cop command before then.

The calling off is an event handler on every command (not a change to the dispatcher): it runs after the command,
in its transaction. A command that ends in a refusal (an unknown verb, a missing argument) is rolled back whole,
so it does not call off the request; every command that runs does, and the reminders say so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta

from bot import arguments
from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer
from bot.events import CommandInvoked
from bot.i18n import N_, _
from bot.messages import Button, ButtonStyle, Message, Section
from bot.registry import Routine
from bot.text import content
from storage import communities, member_forget, members
from storage.models import Community, Member, Role

routine = Routine("forget_me")
routine.group("forget-me", help=N_("Ask Cultivate to forget you (seven days to change your mind)"))
VERB = "forget-me"
GRACE = timedelta(days=7)
FORGET, REMIND = "privacy.forget", "privacy.forget_reminder"
SURE, CONFIRM, KEEP = "privacy.forget.sure", "privacy.forget.confirm", "privacy.forget.keep"


@dataclass(frozen=True)
class ForgetRef:
    member: int
    due: str  # the moment it was set for (ISO, UTC): a request made again later has another


@routine.command(
    VERB,
    usage=N_("forget-me"),
    help=N_("Ask Cultivate to delete what it keeps about you (seven days to change your mind)"),
    example="forget-me",
    role=None,
)
async def forget_me(ctx: MemberContext, text: str) -> None:
    member = ctx.member
    if member.forget_due_at is not None:
        await ctx.reply(
            _(
                "You asked to be forgotten: it happens on {when}. Any /cop command before then calls it off, "
                "for example `/cop forget-me cancel`."
            ).format(when=ctx.when(member.forget_due_at)),
            private=True,
        )
        return
    sections = [Section(_what_happens()), Section(_("You can first get a copy of it all with `/cop my-data`."))]
    alone = [c.name for c in await communities.active_communities(ctx.db, member) if await _last_coordinator(ctx, c)]
    if alone:
        sections.append(
            Section(
                _(
                    "You are the last coordinator of {names}: make someone else coordinator first (`/cop role grant`)."
                ).format(names=", ".join(content(n) for n in alone))
            )
        )
    await ctx.reply(
        Message(
            _("Forget you?"),
            sections=tuple(sections),
            buttons=(
                Button(_("Continue"), SURE, str(member.id), ButtonStyle.DANGER),
                Button(_("Keep me"), KEEP, str(member.id)),
            ),
        ),
        private=True,
    )


async def _last_coordinator(ctx: MemberContext, community: Community) -> bool:
    holders = await communities.holders(ctx.db, community, Role.COORDINATOR)
    return [m.id for m in holders] == [ctx.member.id]


def _what_happens() -> str:
    return _(
        "I would delete your profile, introductions, directory entries, answers to webinars, topics you follow, "
        "conversations in progress, story invitations, the credits you received, your stories told for coordinators "
        "only, and your linked accounts. What others depend on stays, as told by “a former member”: your "
        "requests and their threads, your replies in discussions, what you added to the library, and the stories "
        "you let the community read."
    )


@routine.command(
    "forget-me cancel",
    usage=N_("forget-me cancel"),
    help=N_("Call off your request to be forgotten"),
    example="forget-me cancel",
    role=None,
)
async def cancel(ctx: MemberContext, text: str) -> None:
    if ctx.member.forget_due_at is None:
        raise Answer(_("You have not asked to be forgotten: nothing to call off."))
    await _call_off(ctx, ctx.member)


@routine.action(SURE)
async def sure(ctx: MemberContext, value: str) -> None:
    _mine(ctx, value)
    await ctx.reply(
        Message(
            _("Last check: are you sure?"),
            sections=(
                Section(
                    _(
                        "In seven days everything listed is deleted and cannot be brought back. Until then, any "
                        "/cop command calls it off."
                    )
                ),
            ),
            buttons=(
                Button(_("Yes, forget me"), CONFIRM, str(ctx.member.id), ButtonStyle.DANGER),
                Button(_("No, keep me"), KEEP, str(ctx.member.id)),
            ),
        ),
        private=True,
    )


@routine.action(CONFIRM)
async def confirm(ctx: MemberContext, value: str) -> None:
    member = _mine(ctx, value)
    if member.forget_due_at is not None:
        raise Answer(_("That is arranged already, for {when}.").format(when=ctx.when(member.forget_due_at)))
    due = ctx.now + GRACE
    member.forget_due_at = due
    stamp = due.astimezone(UTC).isoformat()
    await ctx.schedule(FORGET, at=due, key=_key(member, stamp), payload=ForgetRef(member.id, stamp))
    await ctx.schedule(
        REMIND, at=due - timedelta(days=1), key=f"{_key(member, stamp)}:reminder", payload=ForgetRef(member.id, stamp)
    )
    await ctx.record("member.forget_requested")
    await ctx.reply(
        _(
            "Understood. On {when} I delete what I keep about you. Changed your mind? Any /cop command before then "
            "calls it off, for example `/cop forget-me cancel`. I will remind you the day before."
        ).format(when=ctx.when(due)),
        private=True,
    )


@routine.action(KEEP)
async def keep(ctx: MemberContext, value: str) -> None:
    _mine(ctx, value)
    await ctx.reply(_("Good: nothing changes."), private=True)


@routine.on(CommandInvoked)
async def came_back(ctx: MemberContext, event: CommandInvoked) -> None:
    """Any command but forget-me itself, while a request is pending, calls it off."""
    if ctx.member.forget_due_at is None or event.name.casefold() == VERB:
        return
    await _call_off(ctx, ctx.member)


async def _call_off(ctx: MemberContext, member: Member) -> None:
    assert member.forget_due_at is not None
    stamp = member.forget_due_at.astimezone(UTC).isoformat()
    await ctx.cancel(_key(member, stamp))
    await ctx.cancel(f"{_key(member, stamp)}:reminder")
    member.forget_due_at = None
    await ctx.record("member.forget_cancelled")
    await ctx.reply(_("Welcome back: your request to be forgotten is called off, and everything stays."), private=True)


def _mine(ctx: MemberContext, value: str) -> Member:
    if arguments.parse_id(value) != ctx.member.id:
        raise Answer(_("That question was for someone else."))
    return ctx.member


def _key(member: Member, stamp: str) -> str:
    return f"forget:{member.id}:{stamp}"


async def _still_due(ctx: Context, payload: ForgetRef) -> Member | None:
    member = await members.by_id(ctx.db, payload.member)
    if member is None or member.forget_due_at is None:
        return None
    if member.forget_due_at.astimezone(UTC).isoformat() != payload.due:
        return None
    return member


@routine.delivery(REMIND, payload=ForgetRef)
async def remind(ctx: DeliveryContext, payload: ForgetRef) -> None:
    member = await _still_due(ctx, payload)
    if member is None:
        return
    await ctx.dm(
        member,
        lambda: _(
            "Tomorrow I delete what I keep about you, as you asked. Changed your mind? Type any /cop command, "
            "for example `/cop forget-me cancel`."
        ),
    )


@routine.delivery(FORGET, payload=ForgetRef)
async def forget(ctx: DeliveryContext, payload: ForgetRef) -> None:
    member = await _still_due(ctx, payload)
    if member is None:
        return
    await ctx.dm(member, lambda: _("As you asked, I have now forgotten you. Goodbye, and thank you for taking part."))
    forgotten = await member_forget.forget(ctx.db, member, ctx.now)
    if forgotten.intro_cards:
        await ctx.update_posts(
            forgotten.intro_cards, lambda: _("This introduction was removed at the member's request.")
        )
    await ctx.record("member.forgotten", subject=str(member.id), deleted=sum(forgotten.deleted.values()))
