"""Story campaigns: ask a stratified sample of members for their stories, round after round, not only the
enthusiasts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot import arguments
from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer, UsageError
from bot.forms import Choice, FieldKind, Form, FormErrors, FormField
from bot.i18n import N_, _, ngettext
from bot.messages import Button, ButtonStyle, Message, Section
from bot.registry import Routine
from bot.text import content
from flows.stories import story_form
from flows.webinar_series import WEEKDAYS
from storage import campaigns, communities, members, stories
from storage.models import Community, Role, StoryCampaign

routine = Routine("story_campaigns")
FORM_ID, ROUND, REMINDER, TELL = "campaign.setup", "campaign.round", "campaign.reminder", "campaign.tell"
DEFAULT_QUESTION = (
    "Has something from the community helped you lately? Tell us what changed — even a small thing counts."
)
CADENCES = {"monthly": "0 10 1 * *", "weekly": "0 10 * * mon"}
REMIND_AFTER, ROUND_LENGTH, PARTICIPATION_WINDOW = timedelta(days=3), timedelta(days=7), timedelta(days=90)


@dataclass(frozen=True)
class CampaignRef:
    campaign: int


@dataclass(frozen=True)
class RoundRef:
    round: int


@routine.command(
    "stories campaign",
    usage=N_("stories campaign"),
    help=N_("How the story campaign goes: each round's answers"),
    example="stories campaign",
    role=Role.COORDINATOR,
    aliases=("stories campaign status",),
)
async def campaign_status(ctx: MemberContext, text: str) -> None:
    if text.strip():
        raise UsageError(_("Campaigns take start, stop, run or nothing (to see how they go)."))
    await ctx.reply(await _status(ctx, await campaigns.current(ctx.db, ctx.community.id)))


@routine.command(
    "stories campaign start",
    usage=N_("stories campaign start"),
    help=N_("Ask a sample of members for stories, every month or week"),
    example="stories campaign start",
    role=Role.COORDINATOR,
)
async def campaign_start(ctx: MemberContext, text: str) -> None:
    await ctx.open_form(_setup_form())


@routine.command(
    "stories campaign stop",
    usage=N_("stories campaign stop"),
    help=N_("Stop the story campaign"),
    example="stories campaign stop",
    role=Role.COORDINATOR,
)
async def campaign_stop(ctx: MemberContext, text: str) -> None:
    campaign = await campaigns.current(ctx.db, ctx.community.id)
    if campaign is None:
        raise Answer(_("There is no campaign running."))
    campaign.active = False
    await ctx.reply(_("The story campaign is stopped; no more rounds."))


@routine.command(
    "stories campaign run",
    usage=N_("stories campaign run"),
    help=N_("Start a round now"),
    example="stories campaign run",
    role=Role.COORDINATOR,
)
async def campaign_run(ctx: MemberContext, text: str) -> None:
    campaign = await campaigns.current(ctx.db, ctx.community.id)
    if campaign is None:
        raise Answer(_("Start a campaign first: /cop stories campaign start"))
    invited = await _run_round(ctx, campaign, ctx.community)
    await ctx.reply(
        ngettext("A round has started: {n} member asked.", "A round has started: {n} members asked.", invited).format(
            n=invited
        )
    )


def _setup_form() -> Form:
    return Form(
        FORM_ID,
        _("Story campaign"),
        (
            FormField(
                "question",
                _("The question members are asked"),
                FieldKind.LONG_TEXT,
                initial=_(DEFAULT_QUESTION),
                max_length=500,
                help=_("Friendly and concrete; say keep to use this one."),
            ),
            FormField(
                "cadence",
                _("How often?"),
                FieldKind.SINGLE_SELECT,
                allow_other=True,
                choices=(
                    Choice("monthly", _("Monthly (1st of the month, 10:00)")),
                    Choice("weekly", _("Weekly (Mondays, 10:00)")),
                ),
                help=_("Or write cron fields, e.g. 0 10 15 * * for the 15th at 10:00, in the community's timezone."),
            ),
            FormField(
                "sample",
                _("How many members each round?"),
                FieldKind.NUMBER,
                minimum=1,
                maximum=10000,
                initial="10",
                help=_("Drawn from the most active, the occasional and the silent alike."),
            ),
            FormField(
                "rest_days",
                _("Days before someone may be asked again"),
                FieldKind.NUMBER,
                minimum=1,
                maximum=3650,
                initial="90",
                help=_("So nobody is asked every round."),
            ),
        ),
    )


@routine.form(FORM_ID)
async def set_up(ctx: MemberContext, values: dict[str, Any]) -> None:
    community = ctx.community
    cron = CADENCES.get(values["cadence"], values["cadence"])
    try:
        trigger = CronTrigger.from_crontab(cron, timezone=ZoneInfo(community.timezone))
    except ValueError:
        raise FormErrors(
            {"cadence": _("That is not a cadence I can read; try monthly, weekly or cron fields like 0 10 1 * *")}
        ) from None
    errors = {
        k: _("A whole number, please.")
        for k in ("sample", "rest_days")
        if not str(values[k]).isdigit() or int(values[k]) < 1
    }
    if errors:
        raise FormErrors(errors)
    old = await campaigns.current(ctx.db, community.id)
    if old is not None:
        old.active = False
    campaign = await campaigns.start(
        ctx.db,
        community_id=community.id,
        question=values["question"],
        cron=cron,
        sample_size=int(values["sample"]),
        rest_days=int(values["rest_days"]),
        active=True,
        created_at=ctx.now,
    )
    first = await _schedule_next(ctx, campaign, trigger)
    size = len(await campaigns.participation(ctx.db, community.id, ctx.now - PARTICIPATION_WINDOW))
    note = (
        ngettext(
            " The community has {n} member, fewer than the sample: each round asks everyone not asked recently.",
            " The community has {n} members, fewer than the sample: each round asks everyone not asked recently.",
            size,
        ).format(n=size)
        if campaign.sample_size > size
        else ""
    )
    await ctx.reply(
        _("Campaign started. First round: {when}.{note}").format(when=ctx.when(first, community.timezone), note=note)
    )


async def _schedule_next(ctx: Context, campaign: StoryCampaign, trigger: CronTrigger | None = None) -> datetime:
    community = await communities.by_id(ctx.db, campaign.community_id)
    assert community is not None
    trigger = trigger or CronTrigger.from_crontab(campaign.cron, timezone=ZoneInfo(community.timezone))
    at: datetime = trigger.get_next_fire_time(None, ctx.now + timedelta(seconds=1))
    await ctx.schedule(
        ROUND,
        at=at,
        key=f"campaign:{campaign.id}:round:{at.isoformat()}",
        payload=CampaignRef(campaign.id),
        useful_for=timedelta(days=2),
    )
    return at


@routine.delivery(ROUND, payload=CampaignRef)
async def scheduled_round(ctx: DeliveryContext, payload: CampaignRef) -> None:
    campaign = await campaigns.by_id(ctx.db, payload.campaign)
    if campaign is None or not campaign.active:
        return
    community = await communities.by_id(ctx.db, campaign.community_id)
    assert community is not None
    ctx.community = community
    await _run_round(ctx, campaign, community)
    await _schedule_next(ctx, campaign)


def strata(counts: dict[int, int]) -> dict[str, list[int]]:
    """Active (the busiest quarter of those who did anything, at least 5 actions), occasional, silent."""
    doing = sorted((n for n in counts.values() if n > 0), reverse=True)
    threshold = max(5, doing[len(doing) // 4] if doing else 5)
    groups: dict[str, list[int]] = {"active": [], "occasional": [], "silent": []}
    for member_id, n in sorted(counts.items()):
        groups["active" if n >= threshold else "occasional" if n > 0 else "silent"].append(member_id)
    return groups


def allocate(groups: dict[str, list[int]], size: int, rng: random.Random) -> list[tuple[int, str]]:
    """Share the sample across the strata as evenly as they allow, then draw at random within each."""
    left = {name: list(ids) for name, ids in groups.items() if ids}
    chosen: list[tuple[int, str]] = []
    while len(chosen) < size and left:
        for name in list(left):
            if len(chosen) == size:
                break
            pick = left[name].pop(rng.randrange(len(left[name])))
            chosen.append((pick, name))
            if not left[name]:
                del left[name]
    return chosen


async def _run_round(ctx: Context, campaign: StoryCampaign, community: Community) -> int:
    counts = await campaigns.participation(ctx.db, community.id, ctx.now - PARTICIPATION_WINDOW)
    resting = await campaigns.recently_invited(ctx.db, campaign.id, ctx.now - timedelta(days=campaign.rest_days))
    eligible = {m: n for m, n in counts.items() if m not in resting}
    round_ = await campaigns.open_round(ctx.db, campaign.id, ctx.now, ctx.now + ROUND_LENGTH)
    for member_id, stratum in allocate(strata(eligible), campaign.sample_size, random.Random(round_.id)):
        member = await members.by_id(ctx.db, member_id)
        if member is None:
            continue
        await campaigns.invite(ctx.db, round_, member_id, stratum, ctx.now)
        await ctx.dm(member, lambda: _prompt(campaign, round_.id))
    await ctx.schedule(
        REMINDER, at=ctx.now + REMIND_AFTER, key=f"campaign-round:{round_.id}:reminder", payload=RoundRef(round_.id)
    )
    await ctx.record("campaign.round", subject=str(round_.id), invited=round_.invited)
    return round_.invited


def _prompt(campaign: StoryCampaign, round_id: int, reminder: bool = False) -> Message:
    lead = _("A gentle reminder — ") if reminder else ""
    return Message(
        f"{lead}{content(campaign.question)}",
        buttons=(Button(_("Tell my story"), TELL, str(round_id), ButtonStyle.PRIMARY),),
        footer=_("Nothing to tell right now? No need to answer." if not reminder else "This is the only reminder."),
    )


@routine.delivery(REMINDER, payload=RoundRef)
async def remind(ctx: DeliveryContext, payload: RoundRef) -> None:
    round_ = await campaigns.round_by_id(ctx.db, payload.round)
    campaign = await campaigns.by_id(ctx.db, round_.campaign_id) if round_ else None
    if round_ is None or campaign is None:
        return
    for invitation in await campaigns.invites(ctx.db, round_.id, unanswered=True):
        member = await members.by_id(ctx.db, invitation.member_id)
        if member is not None and invitation.reminded_at is None:
            invitation.reminded_at = ctx.now
            await ctx.dm(member, lambda: _prompt(campaign, round_.id, reminder=True))


@routine.action(TELL)
async def tell_from_prompt(ctx: MemberContext, value: str) -> None:
    round_id = arguments.parse_id(value)
    round_ = await campaigns.round_by_id(ctx.db, round_id) if round_id else None
    if round_ is None:
        raise Answer(_("That prompt is no longer here; `/cop story` works any time."))
    recent = [
        (f"assist:{r.id}", _("Peer assist #{id}").format(id=r.id))
        for r in await stories.recent_help(ctx.db, ctx.member.id, ctx.now - timedelta(days=120))
    ]
    await ctx.open_form(story_form(recent, state={"round": round_.id}))


_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6, "0": 6, "7": 6}
_DAYS |= {str(n): n - 1 for n in range(1, 7)}


async def _cadence_words(ctx: Context, campaign: StoryCampaign) -> str:
    """The cadence as a coordinator reads it ("on day 1 of every month, 10:00 (Africa/Nairobi)"), not as cron;
    a rule too intricate for words is shown with its next round."""
    community = await communities.by_id(ctx.db, campaign.community_id)
    zone = community.timezone if community else "UTC"
    parts = campaign.cron.split()
    if len(parts) == 5 and parts[0].isdigit() and parts[1].isdigit() and parts[3] == "*":
        minute, hour, day, _month, weekday = parts
        clock = f"{int(hour):02d}:{int(minute):02d} ({zone})"
        if day.isdigit() and weekday == "*":
            return _("on day {day} of every month, {clock}").format(day=int(day), clock=clock)
        if day == "*" and weekday.casefold() in _DAYS:
            name = _(WEEKDAYS[_DAYS[weekday.casefold()]])
            return _("every {day}, {clock}").format(day=name, clock=clock)
        if day == "*" and weekday == "*":
            return _("every day, {clock}").format(clock=clock)
    trigger = CronTrigger.from_crontab(campaign.cron, timezone=ZoneInfo(zone))
    upcoming = trigger.get_next_fire_time(None, ctx.now)
    return _("by the rule “{cron}” (next: {when})").format(cron=campaign.cron, when=ctx.when(upcoming, zone))


async def _status(ctx: Context, campaign: StoryCampaign | None) -> Message:
    if campaign is None:
        return Message(_("No story campaign is running. Start one with `/cop stories campaign start`."))
    lines = []
    for round_ in await campaigns.rounds(ctx.db, campaign.id):
        rate = round_.responded / round_.invited if round_.invited else 0.0
        lines.append(
            _("- {when}: {responded} of {invited} answered ({rate:.0%})").format(
                when=ctx.when(round_.started_at), responded=round_.responded, invited=round_.invited, rate=rate
            )
        )
    return Message(
        _("Story campaign: “{question}”").format(question=content(campaign.question)),
        sections=(Section("\n".join(lines) or _("No round yet.")),),
        footer=_("Rounds {cadence} · {n} a round · nobody asked twice within {days}").format(
            cadence=await _cadence_words(ctx, campaign),
            n=ngettext("{n} member", "{n} members", campaign.sample_size).format(n=campaign.sample_size),
            days=ngettext("{n} day", "{n} days", campaign.rest_days).format(n=campaign.rest_days),
        ),
    )
