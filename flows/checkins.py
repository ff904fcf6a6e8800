"""Check-ins: a recurring group (a community's country focal points, say) gives a short recap before each call; the
agenda is compiled for everyone to read, and minutes and action items follow. Here: setting one up and running it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.answers import InvalidAnswer
from bot.context import MemberContext
from bot.errors import Answer
from bot.forms import FormErrors
from bot.i18n import N_, _, ngettext
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import content, is_web_address
from flows import checkin_cadence as cadence
from flows import checkin_cards as cards
from flows import checkin_cycle as cycle
from flows import checkin_people as people_of
from storage import checkins
from storage.models import Checkin, CheckinCall, CheckinStatus, Role

routine = Routine("checkins")
routine.group("checkin", help=N_("Check-ins: a group's recaps before each call, the agenda, minutes and actions"))
DEFAULT_LEAD = timedelta(days=2)


@routine.command(
    "checkin list",
    usage=N_("checkin [list]"),
    help=N_("The check-ins of this community and their next calls"),
    example="checkin list",
    default=True,
)
async def checkin_list(ctx: MemberContext, text: str) -> None:
    found = await checkins.listing(ctx.db, ctx.community.id)
    if not found:
        raise Answer(_("No check-in is scheduled. Coordinators set one up with `/cop checkin schedule`."))
    lines = []
    for checkin in found:
        people = await checkins.participants(ctx.db, checkin.id)
        call = await checkins.upcoming_call(ctx.db, checkin.id)
        state = (
            _("paused")
            if checkin.status == CheckinStatus.PAUSED
            else _("next call {when}").format(when=ctx.when(call.starts_at))
            if call
            else _("no call planned")
        )
        lines.append(
            _("- #{id} {title} — {rule} · {state} · {people}").format(
                id=checkin.id,
                title=content(checkin.title),
                rule=cadence.describe(cycle.cadence_of(checkin)),
                state=state,
                people=ngettext("{n} participant", "{n} participants", len(people)).format(n=len(people)),
            )
        )
    await ctx.reply(
        Message(_("Check-ins, in your time ({zone}):").format(zone=ctx.timezone), sections=(Section("\n".join(lines)),))
    )


@routine.command(
    "checkin schedule",
    usage=N_("checkin schedule"),
    help=N_("Set up a recurring check-in for a group (a form)"),
    example="checkin schedule",
    role=Role.COORDINATOR,
)
async def checkin_schedule(ctx: MemberContext, text: str) -> None:
    await ctx.open_form(
        cards.schedule_form(
            editing=None,
            participants="",
            cadence="",
            questions=cards.default_questions(),
            lead=cadence.say_span(DEFAULT_LEAD),
        )
    )


@routine.command(
    "checkin edit",
    usage=N_("checkin edit <number>"),
    help=N_("Change a check-in: its people, time, link, questions or lead time"),
    example="checkin edit 1",
    role=Role.COORDINATOR,
)
async def checkin_edit(ctx: MemberContext, text: str) -> None:
    checkin = await _running(ctx, text)
    people = await checkins.participants(ctx.db, checkin.id)
    await ctx.open_form(
        cards.schedule_form(
            editing=checkin,
            participants=", ".join(m.called for m in people),
            cadence=cadence.describe(cycle.cadence_of(checkin)),
            questions=checkin.questions,
            lead=cadence.say_span(cycle.lead_of(checkin)),
        )
    )


@routine.form(cards.SCHEDULE_FORM)
async def scheduled(ctx: MemberContext, values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    title = " ".join(str(values["title"]).split())
    if not 2 <= len(title) <= 200:
        errors["title"] = _("Name the call, in 2 to 200 characters.")
    people, unknown = await people_of.read_people(ctx, str(values["participants"]))
    if unknown:
        errors["participants"] = _(
            "I find no member called {names} here; a participant must have joined the community (/cop join)."
        ).format(names=content(", ".join(unknown)))
    elif not people:
        errors["participants"] = _("Name at least one participant.")
    rule: cadence.Cadence | None = None
    try:
        rule = cadence.read(str(values["cadence"]), ctx.timezone, ctx.now)
    except InvalidAnswer as e:
        errors["cadence"] = str(e)
    url = str(values.get("call_url") or "").strip() or None
    if url and not is_web_address(url):
        errors["call_url"] = _("A call link starts with https://")
    try:
        questions = cards.read_questions(str(values["questions"]))
    except InvalidAnswer as e:
        errors["questions"] = str(e)
    try:
        lead = cadence.read_span(str(values["lead"]))
        longest = min(timedelta(days=14), rule.period - timedelta(days=3)) if rule else timedelta(days=14)
        if not timedelta(hours=1) <= lead <= longest:
            errors["lead"] = _("Between 1 hour and {most} before the call, so there is time to answer.").format(
                most=cadence.say_span(longest)
            )
    except InvalidAnswer as e:
        errors["lead"] = str(e)
    if errors or rule is None:
        raise FormErrors(errors)
    editing = await checkins.by_id(ctx.db, int(ctx.form_state["edit"])) if ctx.form_state.get("edit") else None
    fields = {
        "title": title,
        "call_url": url,
        "questions": questions,
        "lead_minutes": int(lead.total_seconds() // 60),
        "rule": rule.rule,
        "timezone": rule.timezone,
    }
    if editing is None:
        checkin = await checkins.add(
            ctx.db,
            community_id=ctx.community.id,
            anchor=rule.anchor,
            status=CheckinStatus.ACTIVE,
            created_by=ctx.member.id,
            created_at=ctx.now,
            **fields,
        )
        added = await people_of.add_people(ctx, checkin, people)
        call: CheckinCall | None = await cycle.plan_next(ctx, checkin, ctx.now)
        await ctx.record("checkin.scheduled", subject=str(checkin.id))
        lead_line = _("Check-in #{id} “{title}” is scheduled: {rule}.")
    else:
        checkin = editing
        if checkin.status == CheckinStatus.CANCELLED or checkin.community_id != ctx.community.id:
            raise Answer(_("Check-in #{id} is cancelled.").format(id=checkin.id))
        same_rule = (rule.rule, rule.timezone) == (checkin.rule, checkin.timezone)
        for name, value in {**fields, "anchor": checkin.anchor if same_rule else rule.anchor}.items():
            setattr(checkin, name, value)
        added = await people_of.set_people(ctx, checkin, people)
        call = await _replan(ctx, checkin)
        lead_line = _("Check-in #{id} “{title}” is changed: {rule}.")
    lines = [
        lead_line.format(id=checkin.id, title=content(title), rule=cadence.describe(rule)),
        _("Participants: {names}.").format(names=content(", ".join(m.called for m in people))),
    ]
    if call is not None:
        lines.append(
            _(
                "Next call: {when}. Each participant is asked in their morning, two days before the agenda is "
                "posted ({agenda})."
            ).format(when=ctx.when(call.starts_at), agenda=ctx.when(cycle.agenda_time(checkin, call)))
        )
    if added:
        lines.append(ngettext("{n} participant was told.", "{n} participants were told.", added).format(n=added))
    await ctx.reply("\n".join(lines))


async def _replan(ctx: MemberContext, checkin: Checkin) -> CheckinCall | None:
    """After a change: keep the coming call if its time still holds (its agenda moved to the new lead time),
    otherwise call it off and plan the next one."""
    if checkin.status != CheckinStatus.ACTIVE:
        return None
    upcoming = await checkins.upcoming_call(ctx.db, checkin.id)
    start = cycle.first_start(checkin, ctx.now, ctx.now)
    if upcoming is not None and upcoming.starts_at == start:
        await cycle.schedule_call(ctx, checkin, upcoming)
        return upcoming
    if upcoming is not None:
        await cycle.call_off(ctx, upcoming)
    return await cycle.plan_next(ctx, checkin, ctx.now)


async def _running(ctx: MemberContext, text: str) -> Checkin:
    return cycle.not_cancelled(await cycle.checkin_here(ctx, text))


@routine.command(
    "checkin pause",
    usage=N_("checkin pause <number>"),
    help=N_("Pause a check-in: no questions, no agenda until resumed"),
    example="checkin pause 1",
    role=Role.COORDINATOR,
)
async def checkin_pause(ctx: MemberContext, text: str) -> None:
    checkin = await _running(ctx, text)
    if checkin.status == CheckinStatus.PAUSED:
        raise Answer(_("Check-in #{id} is already paused.").format(id=checkin.id))
    checkin.status = CheckinStatus.PAUSED
    if (call := await checkins.upcoming_call(ctx.db, checkin.id)) is not None:
        await cycle.call_off(ctx, call)
    await ctx.reply(
        _("Check-in #{id} is paused: nobody is asked and no agenda is posted until `/cop checkin resume {id}`.").format(
            id=checkin.id
        )
    )


@routine.command(
    "checkin resume",
    usage=N_("checkin resume <number>"),
    help=N_("Resume a paused check-in from its next call"),
    example="checkin resume 1",
    role=Role.COORDINATOR,
)
async def checkin_resume(ctx: MemberContext, text: str) -> None:
    checkin = await _running(ctx, text)
    if checkin.status != CheckinStatus.PAUSED:
        raise Answer(_("Check-in #{id} is not paused.").format(id=checkin.id))
    checkin.status = CheckinStatus.ACTIVE
    call = await cycle.plan_next(ctx, checkin, ctx.now)
    await ctx.reply(
        _("Check-in #{id} is running again. Next call: {when}.").format(id=checkin.id, when=ctx.when(call.starts_at))
    )


@routine.command(
    "checkin cancel",
    usage=N_("checkin cancel <number>"),
    help=N_("End a check-in (its minutes stay in the library)"),
    example="checkin cancel 1",
    role=Role.COORDINATOR,
)
async def checkin_cancel(ctx: MemberContext, text: str) -> None:
    checkin = await _running(ctx, text)
    checkin.status = CheckinStatus.CANCELLED
    if (call := await checkins.upcoming_call(ctx.db, checkin.id)) is not None:
        await cycle.call_off(ctx, call)
    await ctx.reply(
        _("Check-in #{id} “{title}” is cancelled; its minutes stay in the library.").format(
            id=checkin.id, title=content(checkin.title)
        )
    )
