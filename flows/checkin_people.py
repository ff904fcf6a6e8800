"""Who takes part in a check-in: chosen by name or by role, told when added, asked at once if the coming call's
questions have gone out; removed participants (and those who leave the community) are no longer asked."""

from __future__ import annotations

import re

from bot import arguments
from bot.context import MemberContext
from bot.errors import Answer, UsageError
from bot.i18n import N_, _, ngettext
from bot.registry import Routine
from bot.text import content
from flows import checkin_cadence as cadence
from flows import checkin_cycle as cycle
from storage import checkins, communities, members
from storage.models import Checkin, Member, Role

routine = Routine("checkin_people")
ROLES = {
    "moderators": Role.MODERATOR,
    "moderator": Role.MODERATOR,
    "coordinators": Role.COORDINATOR,
    "coordinator": Role.COORDINATOR,
}
_SEPARATORS = re.compile(r"\s*(?:,|;|\n|\band\b)\s*", re.IGNORECASE)


async def read_people(ctx: MemberContext, text: str) -> tuple[list[Member], list[str]]:
    """Names and roles (“moderators”) -> members, and the names nobody here answers to."""
    found: dict[int, Member] = {}
    unknown: list[str] = []
    for part in _SEPARATORS.split(text):
        name = " ".join(part.split()).lstrip("@")
        if not name:
            continue
        if (role := ROLES.get(name.casefold())) is not None:
            found.update((m.id, m) for m in await communities.holders(ctx.db, ctx.community, role))
            continue
        matches = await members.find_in_community(ctx.db, ctx.community.id, name)
        if len(matches) == 1:
            found[matches[0].id] = matches[0]
        else:
            unknown.append(name[:60])
    return list(found.values()), unknown


async def add_people(ctx: MemberContext, checkin: Checkin, people: list[Member]) -> int:
    """Add participants, tell each one, and ask them for the coming call if its questions have gone out."""
    told = 0
    call = await checkins.upcoming_call(ctx.db, checkin.id)
    for member in people:
        if not await checkins.add_participant(ctx.db, checkin.id, member.id, ctx.now):
            continue
        if member.id != ctx.member.id:
            told += await ctx.dm(member, lambda: _welcome(ctx, checkin))
        if call is not None and call.prepared_at is not None:
            await cycle.ask_in_their_morning(ctx, checkin, call, member)
    return told


async def set_people(ctx: MemberContext, checkin: Checkin, people: list[Member]) -> int:
    wanted = {m.id for m in people}
    for member in await checkins.participants(ctx.db, checkin.id):
        if member.id not in wanted:
            await checkins.remove_participant(ctx.db, checkin.id, member.id, ctx.now)
    return await add_people(ctx, checkin, people)


def _welcome(ctx: MemberContext, checkin: Checkin) -> str:
    return _(
        "{name} added you to the check-in “{title}”, {rule}. Before each call I will ask you {n} short questions in "
        "your morning; your answers go in the agenda the community reads."
    ).format(
        name=content(ctx.member.called),
        title=content(checkin.title),
        rule=cadence.describe(cycle.cadence_of(checkin)),
        n=len(checkin.questions),
    )


@routine.command(
    "checkin members add",
    usage=N_("checkin members add <number> <names or role>"),
    help=N_("Add participants to a check-in"),
    example="checkin members add 1 Tomás, Chidi",
    role=Role.COORDINATOR,
)
async def members_add(ctx: MemberContext, text: str) -> None:
    checkin, people = await _checkin_and_people(ctx, text)
    added = await add_people(ctx, checkin, people)
    now = await checkins.participants(ctx.db, checkin.id)
    await ctx.reply(
        _("Participants of #{id} now: {names}.").format(id=checkin.id, names=content(", ".join(m.called for m in now)))
        + (" " + ngettext("{n} was told.", "{n} were told.", added).format(n=added) if added else "")
    )


@routine.command(
    "checkin members remove",
    usage=N_("checkin members remove <number> <names>"),
    help=N_("Take participants off a check-in; they are no longer asked"),
    example="checkin members remove 1 Chidi",
    role=Role.COORDINATOR,
)
async def members_remove(ctx: MemberContext, text: str) -> None:
    checkin, people = await _checkin_and_people(ctx, text)
    gone = [m for m in people if await checkins.remove_participant(ctx.db, checkin.id, m.id, ctx.now)]
    if not gone:
        raise Answer(_("None of them takes part in #{id}.").format(id=checkin.id))
    now = await checkins.participants(ctx.db, checkin.id)
    await ctx.reply(
        _("{names} will no longer be asked. Participants of #{id} now: {left}.").format(
            names=content(", ".join(m.called for m in gone)),
            id=checkin.id,
            left=content(", ".join(m.called for m in now)) or _("nobody"),
        )
    )


async def _checkin_and_people(ctx: MemberContext, text: str) -> tuple[Checkin, list[Member]]:
    number, rest = arguments.number(text, missing=_("Which check-in? Give its number (see /cop checkin list)."))
    checkin = cycle.not_cancelled(await cycle.checkin_here(ctx, str(number)))
    people, unknown = await read_people(ctx, rest)
    if unknown:
        raise Answer(
            _("I find no member called {names} here; a participant must have joined the community (/cop join).").format(
                names=content(", ".join(unknown))
            )
        )
    if not people:
        raise UsageError(_("Name the members, separated by commas."))
    return checkin, people
