"""A participant's recap for the next call: asked as a form (from the button in their DM, the agenda, or a command),
changeable until the call; a recap given after the agenda is posted updates it."""

from __future__ import annotations

from typing import Any

from bot import arguments
from bot.context import MemberContext
from bot.errors import Answer, UsageError
from bot.i18n import N_, _
from bot.registry import Routine
from bot.text import content
from flows import checkin_agenda as agenda
from flows import checkin_cards as cards
from flows import checkin_cycle as cycle
from flows.participation import contributed
from storage import checkins
from storage.models import Act, Checkin, CheckinCall, CheckinStatus

routine = Routine("checkin_answers")


@routine.command(
    "checkin answer",
    usage=N_("checkin answer [number]"),
    help=N_("Give or change your recap for a check-in's next call"),
    example="checkin answer 1",
)
async def checkin_answer(ctx: MemberContext, text: str) -> None:
    if text.strip():
        checkin = await cycle.checkin_here(ctx, text)
    else:
        mine = await checkins.taking_part(ctx.db, ctx.community.id, ctx.member.id)
        if not mine:
            raise Answer(_("You take part in no check-in here; `/cop checkin list` shows them."))
        if len(mine) > 1:
            raise UsageError(
                _("You take part in several check-ins ({ids}): say which, by its number.").format(
                    ids=", ".join(f"#{c.id}" for c in mine)
                )
            )
        checkin = mine[0]
    call = await checkins.upcoming_call(ctx.db, checkin.id)
    if call is None or checkin.status != CheckinStatus.ACTIVE:
        raise Answer(_("Check-in #{id} has no call coming up.").format(id=checkin.id))
    await _open(ctx, checkin, call)


@routine.action(cards.ANSWER)
async def answer_button(ctx: MemberContext, value: str) -> None:
    call_id = arguments.parse_id(value)
    found = await cycle.live(ctx, call_id) if call_id else None
    if found is None:
        raise Answer(_("That call is over or no longer planned: its answers are closed."))
    checkin, call, _community = found
    await _open(ctx, checkin, call)


async def _open(ctx: MemberContext, checkin: Checkin, call: CheckinCall) -> None:
    if call.starts_at <= ctx.now:
        raise Answer(_("That call has started: its answers are closed."))
    if not await checkins.is_participant(ctx.db, checkin.id, ctx.member.id):
        raise Answer(
            _("Only the participants of “{title}” answer its questions; a coordinator can add you.").format(
                title=content(checkin.title)
            )
        )
    row = await checkins.answer_of(ctx.db, call.id, ctx.member.id)
    previous = {p["question"]: p["answer"] for p in (row.answers if row else []) if p.get("answer")}
    await ctx.open_form(cards.answer_form(checkin, call, previous, ctx.when(call.starts_at)))


@routine.form(cards.ANSWER_FORM)
async def answered(ctx: MemberContext, values: dict[str, Any]) -> None:
    call_id = arguments.parse_id(str(ctx.form_state.get("call", "")))
    found = await cycle.live(ctx, call_id) if call_id else None
    if found is None or found[1].starts_at <= ctx.now:
        # Said, not raised: the form is done with either way.
        await ctx.reply(_("That call has started or is no longer planned: your answers were not kept."))
        return
    checkin, call, community = found
    if not await checkins.is_participant(ctx.db, checkin.id, ctx.member.id):
        await ctx.reply(_("You are no longer a participant of “{title}”.").format(title=content(checkin.title)))
        return
    row = await checkins.answer_row(ctx.db, call.id, ctx.member.id)
    first = row.answered_at is None
    row.answers = [
        {"question": q["text"], "answer": str(values.get(f"q{i}") or "").strip(), "support": bool(q["support"])}
        for i, q in enumerate(checkin.questions, 1)
    ]
    if first:
        row.answered_at = ctx.now
        await ctx.record("checkin.answered", subject=str(call.id))
        await contributed(ctx, Act.CHECKIN, checkin.id)
    if call.agenda_at is not None:
        await agenda.offer_support(ctx, checkin, community, row)
        await agenda.refresh(ctx, checkin, call)
        said = _("The agenda in the channel shows it now.")
    else:
        said = _("The agenda is posted {when}.").format(when=ctx.when(cycle.agenda_time(checkin, call)))
    thanks = _("Thank you — your recap for “{title}” is in.") if first else _("Your recap for “{title}” is changed.")
    await ctx.reply(
        " ".join([thanks.format(title=content(checkin.title)), said, _("You can change it until the call.")])
    )
