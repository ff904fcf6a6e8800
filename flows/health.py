"""Community health for coordinators: participation levels against 90-9-1, the newcomer funnel, help, events,
recognition, the library and value stories; and champions, invited in one tap to lead what comes next."""

from __future__ import annotations

from bot import arguments
from bot.context import MemberContext
from bot.errors import Answer, UsageError
from bot.i18n import N_, _, ngettext
from bot.messages import Button, ButtonStyle, Message, Section
from bot.registry import Routine
from bot.text import content, shorten
from flows import (
    champions,
    health_export,
    health_figures,
    health_period,
    health_report,
    invitations,
    levels,
    webinar_cards,
)
from flows.health_period import Period, PeriodError
from storage import champions as offers
from storage import communities, discussions, members, webinars
from storage.champions import DISCUSSION, NO, WEBINAR, YES, Lead
from storage.models import ChampionOffer, Community, DiscussionStatus, Member, Role, WebinarStatus

routine = Routine("health")
routine.export("health", help=N_("A community's health figures, for a report"))(health_export.export)
INVITE, ANSWER = "champion.invite", "champion.answer"
KIND_CODES = {"d": DISCUSSION, "w": WEBINAR}


@routine.command(
    "health",
    usage=N_("health [30d|90d|quarter|year]"),
    help=N_("How the community is doing: participation, newcomers, help, events, value (moderators: their own)"),
    example="health 90d",
    role=Role.MODERATOR,
)
async def health(ctx: MemberContext, text: str) -> None:
    span = _period(ctx, text)
    await invitations.keep_sweeping(ctx, ctx.community)  # a community older than this routine starts its sweep here
    own = not ctx.has_role(Role.COORDINATOR)  # a moderator sees the discussions and webinars they run
    figures = await health_figures.community_health(
        ctx.db, ctx.community, span, viewer_id=ctx.member.id if own else None
    )
    await ctx.reply(health_report.render(figures, ctx.timezone), private=True)


@routine.command(
    "health champions",
    usage=N_("health champions [30d|90d|quarter|year]"),
    help=N_("Members whose contributions rose, with why, to invite to lead"),
    example="health champions",
    role=Role.COORDINATOR,
)
async def health_champions(ctx: MemberContext, text: str) -> None:
    span = _period(ctx, text)
    found = await champions.find(ctx.db, ctx.community.id, span)
    if not found:
        raise Answer(
            _(
                "No rising member in the {period} yet. Champions are members without a role who did more than in the "
                "period before, and at least {n} things in this one."
            ).format(period=health_report.period_label(span, ctx.timezone), n=levels.thresholds(span.days).active)
        )
    lines: list[str] = []
    buttons: list[Button] = []
    for n, champion in enumerate(found, 1):
        member = await members.by_id(ctx.db, champion.member_id)
        if member is None:
            continue
        name = content(member.called)
        lines.append(
            _("{n}. *{name}* — {reason} ({acts}; {before} in the period before)").format(
                n=n,
                name=name,
                reason=content(champions.reason(champion.deeds)),
                acts=ngettext("{n} act", "{n} acts", champion.acts).format(n=champion.acts),
                before=champion.acts_before,
            )
        )
        could = [_lead_line(ctx, lead) for lead in (champion.discussion, champion.webinar) if lead is not None]
        if could:
            lines.append("   → " + " · ".join(could))
        if champion.discussion is not None:
            buttons.append(
                Button(
                    _("{name}: co-moderate #{id}").format(name=member.called, id=champion.discussion.id),
                    INVITE,
                    f"d:{champion.discussion.id}:{member.id}",
                )
            )
        if champion.webinar is not None:
            buttons.append(
                Button(
                    _("{name}: present at webinar #{id}").format(name=member.called, id=champion.webinar.id),
                    INVITE,
                    f"w:{champion.webinar.id}:{member.id}",
                )
            )
    footer = (
        _("One tap invites them; they answer yes or no in one tap, and you hear back.")
        if buttons
        else _("Nothing to lead yet: schedule a discussion (/cop discuss schedule) or a webinar (/cop webinar add).")
    )
    await ctx.reply(
        Message(
            _("🌱 Rising members, {period}:").format(period=health_report.period_label(span, ctx.timezone)),
            sections=(Section("\n".join(lines)),),
            buttons=tuple(buttons),
            footer=footer,
        ),
        private=True,
    )


def _lead_line(ctx: MemberContext, lead: Lead) -> str:
    template = (
        _("co-moderate #{id} “{title}” ({when})")
        if lead.kind == DISCUSSION
        else _("present at webinar #{id} “{title}” ({when})")
    )
    return template.format(id=lead.id, title=content(shorten(lead.title, 40)), when=ctx.when(lead.at))


def _period(ctx: MemberContext, text: str) -> Period:
    try:
        return health_period.period(text, ctx.now, ctx.community.timezone, ctx.services.settings.health_window_days)
    except PeriodError:
        raise UsageError(
            _("“{what}” is not a period: say 30d, 90d (any number of days from 7 to 730), quarter or year.").format(
                what=content(text.strip()[:30])
            )
        ) from None


@routine.action(INVITE)
async def invite(ctx: MemberContext, value: str) -> None:
    """A coordinator invites a champion to co-moderate a discussion or to present at a webinar."""
    ctx.require_role(Role.COORDINATOR)
    code, _sep, rest = value.partition(":")
    ident, _sep, who = rest.partition(":")
    kind, subject_id, member_id = KIND_CODES.get(code), arguments.parse_id(ident), arguments.parse_id(who)
    member = await members.by_id(ctx.db, member_id) if member_id else None
    if (
        kind is None
        or subject_id is None
        or member is None
        or await communities.role_of(ctx.db, ctx.community, member) is None
    ):
        raise Answer(_("That invitation is no longer possible."))
    what = await _what(ctx, kind, subject_id, member)
    made = await offers.offer(
        ctx.db,
        community_id=ctx.community.id,
        member_id=member.id,
        kind=kind,
        subject_id=subject_id,
        by=ctx.member.id,
        now=ctx.now,
    )
    if made is None:
        raise Answer(
            _("{name} has that invitation already; I will tell you their answer.").format(name=content(member.called))
        )
    with ctx.language_of(member):
        ask = (
            _("{who} would like you to co-moderate the discussion {what}.")
            if kind == DISCUSSION
            else _("{who} would like you to present at the webinar {what}.")
        )
        ask += " " + _("You have been one of the community's most active voices lately. Will you?")
        message = Message(
            ask.format(who=content(ctx.member.called), what=what),
            buttons=(
                Button(_("Yes, gladly"), ANSWER, f"{made.id}:{YES}", ButtonStyle.PRIMARY),
                Button(_("Not this time"), ANSWER, f"{made.id}:{NO}"),
            ),
            footer=_("One tap either way; a no is fine."),
        )
    await ctx.dm(member, message)
    await ctx.record("champion.invited", subject=str(member.id), what=kind, to=subject_id)
    await ctx.reply(_("I asked {name}; I will tell you their answer.").format(name=content(member.called)))


async def _what(ctx: MemberContext, kind: str, subject_id: int, member: Member) -> str:
    """The discussion or webinar, described, if the member can still be asked to lead it."""
    if kind == DISCUSSION:
        discussion = await discussions.by_id(ctx.db, subject_id)
        if (
            discussion is None
            or discussion.community_id != ctx.community.id
            or discussion.status != DiscussionStatus.SCHEDULED
        ):
            raise Answer(_("Discussion #{id} is no longer to come.").format(id=subject_id))
        if member.id in discussion.moderator_ids:
            raise Answer(_("{name} already moderates it.").format(name=content(member.called)))
        return _("#{id} on “{topic}”, opening {when}").format(
            id=discussion.id, topic=content(discussion.topic), when=ctx.when(discussion.opens_at, ctx.zone_of(member))
        )
    session = await webinars.by_id(ctx.db, subject_id)
    if (
        session is None
        or session.community_id != ctx.community.id
        or session.status != WebinarStatus.SCHEDULED
        or session.starts_at <= ctx.now
    ):
        raise Answer(_("Webinar #{id} is no longer to come.").format(id=subject_id))
    if member.id in (session.presenter_ids or []):
        raise Answer(_("{name} already presents it.").format(name=content(member.called)))
    return _("“{title}” ({when})").format(
        title=content(session.title), when=ctx.when(session.starts_at, ctx.zone_of(member))
    )


@routine.action(ANSWER)
async def answer(ctx: MemberContext, value: str) -> None:
    """The champion's one-tap yes or no; yes gives them the lead of that discussion or a place among the presenters."""
    ident, _sep, choice = value.partition(":")
    number = arguments.parse_id(ident)
    made = await offers.offer_by_id(ctx.db, number) if number else None
    if made is None or made.member_id != ctx.member.id or choice not in (YES, NO):
        raise Answer(_("That invitation is not for you, or no longer here."))
    if made.answer is not None:
        raise Answer(_("You have answered already — thank you."))
    community = await communities.by_id(ctx.db, made.community_id)
    assert community is not None
    offers.answered(made, choice, ctx.now)
    if choice == NO:
        await ctx.reply(_("Understood — thank you for considering it. There will be other chances."))
        await _tell_inviter(ctx, made, N_("{name} said no this time to {what}."))
        return
    done = await (_co_moderate(ctx, made) if made.kind == DISCUSSION else _present(ctx, made, community))
    await ctx.reply(done)
    await _tell_inviter(ctx, made, N_("{name} said yes: {what}."))


async def _co_moderate(ctx: MemberContext, made: ChampionOffer) -> str:
    discussion = await discussions.by_id(ctx.db, made.subject_id)
    if discussion is None or discussion.status not in (DiscussionStatus.SCHEDULED, DiscussionStatus.OPEN):
        raise Answer(_("That discussion is over or cancelled — thank you all the same."))
    if ctx.member.id not in discussion.moderator_ids:
        discussion.moderator_ids = [*discussion.moderator_ids, ctx.member.id]
    await ctx.record("champion.accepted", subject=str(discussion.id), what=DISCUSSION)
    return _(
        "Thank you! You co-moderate discussion #{id} on “{topic}”, opening {when}. You will get the moderators' "
        "prompts; `/cop discuss list` shows it."
    ).format(id=discussion.id, topic=content(discussion.topic), when=ctx.when(discussion.opens_at))


async def _present(ctx: MemberContext, made: ChampionOffer, community: Community) -> str:
    session = await webinars.by_id(ctx.db, made.subject_id)
    if session is None or session.status != WebinarStatus.SCHEDULED or session.starts_at <= ctx.now:
        raise Answer(_("That webinar is over or cancelled — thank you all the same."))
    if ctx.member.id not in (session.presenter_ids or []):
        session.presenter_ids = [*(session.presenter_ids or []), ctx.member.id]
        session.presenters = shorten(", ".join(filter(None, [session.presenters, ctx.member.called])), 300)
        counts = await webinars.counts(ctx.db, session.id)
        await ctx.update_posts(session.cards, lambda: webinar_cards.card(session, counts, community.timezone))
    await ctx.record("champion.accepted", subject=str(session.id), what=WEBINAR)
    return _("Thank you! You present at “{title}” ({when}); the card now names you.").format(
        title=content(session.title), when=ctx.when(session.starts_at)
    )


async def _tell_inviter(ctx: MemberContext, made: ChampionOffer, template: str) -> None:
    inviter = await members.by_id(ctx.db, made.offered_by) if made.offered_by else None
    if inviter is None:
        return
    with ctx.language_of(inviter):  # `template` is marked with N_ and translated for the inviter
        what = (
            _("co-moderating discussion #{id}") if made.kind == DISCUSSION else _("presenting at webinar #{id}")
        ).format(id=made.subject_id)
        text = _(template).format(name=content(ctx.member.called), what=what)
    await ctx.dm(inviter, text)
