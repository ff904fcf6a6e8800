"""The community digest: a newsletter written from what happened, for those who missed it — posted in each home
channel on the community's cadence, and sent to subscribers by direct message (and by email, flows/digest_mail.py),
each in their own zone and language. What one issue carried, the next leaves out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import arguments
from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer, UsageError
from bot.events import Place
from bot.i18n import N_, _, reading
from bot.languages import language_for
from bot.messages import Message
from bot.registry import Routine
from bot.text import content, shorten
from flows import digest_compose, digest_mail, digest_render, digest_schedule
from storage import communities, digests
from storage.models import Cadence, Community, DigestPlan, Member, Role

routine = Routine("digest")
routine.group("digest", help=N_("The community digest: what happened, in chat and by email"))
ISSUE = "digest.issue"
CADENCES = (Cadence.WEEKLY, Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.OFF)
# How each cadence reads in a sentence ("the digest goes out weekly").
SAID = {Cadence.WEEKLY: N_("weekly"), Cadence.MONTHLY: N_("monthly"), Cadence.QUARTERLY: N_("quarterly")}
NOTE_MAX = 600


@dataclass(frozen=True)
class IssueRef:
    community: int


@dataclass(frozen=True)
class Outcome:
    channels: int
    dms: int
    mails: int
    unmailed: int  # email readers not reached because email is not set up


def locale_of(member: Member | None, community: Community) -> str:
    """The language a reader reads the digest in: their own, else the community's (None: the channel copy)."""
    return language_for(member, community)


# -- the cadence ---------------------------------------------------------------------------------------------------
async def keep_scheduled(ctx: Context, community: Community) -> DigestPlan:
    """Make sure the next issue is scheduled (monthly by default); cheap to call from every digest verb."""
    plan = await digests.plan_of(ctx.db, community.id, ctx.now)
    if plan.cadence == Cadence.OFF:
        return plan
    if plan.next_key is None or plan.next_at is None or plan.next_at < ctx.now - timedelta(days=1):
        await _schedule(ctx, community, plan, digest_schedule.first(plan.cadence, ctx.now, community.timezone))
    return plan


async def _schedule(ctx: Context, community: Community, plan: DigestPlan, at: datetime) -> None:
    if plan.next_key:
        await ctx.cancel(plan.next_key)
    key = f"digest:{community.id}:{at.isoformat()}"
    await ctx.schedule(ISSUE, at=at, key=key, payload=IssueRef(community.id), replace=True)
    plan.next_at, plan.next_key, plan.updated_at = at, key, ctx.now


@routine.command(
    "digest schedule",
    usage=N_("digest schedule weekly|monthly|quarterly|off [first issue, in words]"),
    help=N_("How often the digest goes out (monthly, first Monday 09:00, by default)"),
    example="digest schedule weekly friday 16:00",
    role=Role.COORDINATOR,
)
async def schedule(ctx: MemberContext, text: str) -> None:
    word, rest = arguments.first_word(text)
    cadence = arguments.one_of(word, CADENCES)
    community = ctx.community
    plan = await digests.plan_of(ctx.db, community.id, ctx.now)
    plan.cadence, plan.updated_at = cadence, ctx.now
    if cadence == Cadence.OFF:
        if plan.next_key:
            await ctx.cancel(plan.next_key)
        plan.next_at = plan.next_key = None
        await ctx.reply(_("The digest is off. `/cop digest send` still sends one when you want."))
        return
    if rest:
        at = arguments.moment(rest, community.timezone, ctx.now)
        if at <= ctx.now:
            raise UsageError(_("The first issue must be in the future."))
    else:
        at = digest_schedule.first(cadence, ctx.now, community.timezone)
    await _schedule(ctx, community, plan, at)
    await ctx.reply(
        _("The digest goes out {cadence}; the next one {when}.").format(
            cadence=_(SAID.get(Cadence(cadence), cadence)), when=ctx.when(at, community.timezone)
        )
    )


@routine.delivery(ISSUE, payload=IssueRef)
async def issue_due(ctx: DeliveryContext, ref: IssueRef) -> None:
    community = await communities.by_id(ctx.db, ref.community)
    if community is None or community.archived_at is not None:
        return
    ctx.community = community
    plan = await digests.plan_of(ctx.db, community.id, ctx.now)
    if plan.cadence == Cadence.OFF or plan.next_key != ctx.key:
        return  # a cadence changed since this was scheduled: the new schedule has its own
    digest = await digest_compose.compose(ctx.db, community, ctx.now, plan.note)
    if not digest.empty:  # a quiet period is not worth a message
        await send(ctx, community, plan, digest)
    previous = plan.next_at or ctx.now
    await _schedule(
        ctx, community, plan, digest_schedule.following(plan.cadence, previous, ctx.now, community.timezone)
    )


# -- preview and send ----------------------------------------------------------------------------------------------
def channel_copy(digest: digest_compose.Digest, community: Community) -> tuple[digest_compose.Digest, Message]:
    """The digest cut to fit, and the message the home channels get (the community's zone and language)."""
    shown = digest_render.fit(digest, community.timezone, locale_of(None, community))
    return shown, digest_render.render(shown, community.timezone, locale_of(None, community))


async def send(ctx: Context, community: Community, plan: DigestPlan, digest: digest_compose.Digest) -> Outcome:
    """Post the digest home, DM and mail it to its readers, and keep what it carried."""
    shown, message = channel_copy(digest, community)
    posted = await ctx.post_home(message, community)
    copies: dict[tuple[str, str], Message] = {}
    letters: dict[str, list[tuple[Place, Message]]] = {}  # by language, so each copy is queued as written
    unmailed = 0
    mailing = digest_mail.Mailing(ctx, community, shown)
    for reader in await digests.readers(ctx.db, community.id):
        zone, locale = ctx.zone_of(reader.member), locale_of(reader.member, community)
        if reader.chat and (place := await ctx.direct_place(reader.member)) is not None:
            copy = copies.get((zone, locale))
            if copy is None:
                copy = copies[(zone, locale)] = digest_render.render(shown, zone, locale)
            letters.setdefault(locale, []).append((place, copy))
        if reader.email and not mailing.add(reader.member, reader.email, zone, locale):
            unmailed += 1
    # One insert for the whole fan-out: 5,000 readers are queued in seconds, then sent at each platform's pace.
    dms = 0
    for locale, written in letters.items():
        with reading(locale):
            dms += await ctx.post_all(written)
    await digests.record_issue(
        ctx.db, community.id, since=digest.since, sent_at=ctx.now, note=plan.note, carried=shown.carried()
    )
    mails = await mailing.done()
    plan.note, plan.updated_at = "", ctx.now
    await ctx.record("digest.sent", str(community.id), channels=len(posted), dms=dms, mails=mails)
    return Outcome(len(posted), dms, mails, unmailed)


@routine.command(
    "digest preview",
    usage=N_("digest preview"),
    help=N_("See exactly what the digest would say if it went out now"),
    role=Role.COORDINATOR,
)
async def preview(ctx: MemberContext, text: str) -> None:
    community = ctx.community
    plan = await keep_scheduled(ctx, community)
    digest = await digest_compose.compose(ctx.db, community, ctx.now, plan.note)
    _shown, message = channel_copy(digest, community)
    await ctx.reply(message, private=True)
    chat, mail = await digests.count_readers(ctx.db, community.id)
    channels = len([c for c in communities.home_channels(community) if ctx.services.adapter(c.platform)])
    lines = [
        _(
            "Preview only: nothing was sent. It would go to {channels} home channel(s), {chat} by direct message "
            "and {mail} by email."
        ).format(channels=channels, chat=chat, mail=mail)
    ]
    if digest.empty:
        lines.append(_("Nothing new since the last digest: a scheduled one would be skipped."))
    if plan.next_at is not None and plan.cadence != Cadence.OFF:
        lines.append(_("Next scheduled: {when}.").format(when=ctx.when(plan.next_at, community.timezone)))
    await ctx.reply("\n".join(lines), private=True)


@routine.command(
    "digest send",
    usage=N_("digest send"),
    help=N_("Send the digest now: home channels, subscribers, email"),
    role=Role.COORDINATOR,
)
async def send_now(ctx: MemberContext, text: str) -> None:
    community = ctx.community
    plan = await keep_scheduled(ctx, community)
    digest = await digest_compose.compose(ctx.db, community, ctx.now, plan.note)
    if digest.empty:
        raise Answer(_("Nothing new since the last digest, and no note: nothing was sent."))
    done = await send(ctx, community, plan, digest)
    said = _("Digest sent: {channels} home channel(s), {dms} direct message(s), {mails} email(s).").format(
        channels=done.channels, dms=done.dms, mails=done.mails
    )
    if done.unmailed:
        said += " " + _("{n} email reader(s) not reached: email is not set up here (CULTIVATE_SMTP_URL).").format(
            n=done.unmailed
        )
    await ctx.reply(said)


@routine.command(
    "digest note",
    usage=N_("digest note <text> | clear"),
    help=N_("A note from the coordinators at the top of the next digest"),
    example="digest note Welcome to our 40 new members from the field offices!",
    role=Role.COORDINATOR,
)
async def note(ctx: MemberContext, text: str) -> None:
    plan = await keep_scheduled(ctx, ctx.community)
    said = text.strip()
    if not said:
        current = plan.note or _("(none)")
        await ctx.reply(_("The next digest's note: {note}").format(note=content(current)))
        return
    if said.casefold() == "clear":
        plan.note = ""
        await ctx.reply(_("The note is cleared."))
        return
    if len(said) > NOTE_MAX:
        raise UsageError(_("A note is at most {n} characters: the digest stays short.").format(n=NOTE_MAX))
    plan.note, plan.updated_at = said, ctx.now
    await ctx.reply(
        _("The next digest opens with your note: “{note}”. `/cop digest preview` shows it.").format(
            note=content(shorten(said, 80))
        )
    )


# -- readers -------------------------------------------------------------------------------------------------------
@routine.command(
    "digest subscribe",
    usage=N_("digest subscribe"),
    help=N_("Get the digest as a direct message"),
)
async def subscribe(ctx: MemberContext, text: str) -> None:
    await keep_scheduled(ctx, ctx.community)
    row = await digests.subscription(ctx.db, ctx.community.id, ctx.member.id, ctx.now)
    row.chat, row.updated_at = True, ctx.now
    await ctx.reply(
        _("You will get the digest of *{name}* as a direct message, times in your zone ({zone}).").format(
            name=content(ctx.community.name), zone=ctx.timezone
        )
    )


@routine.command(
    "digest unsubscribe",
    usage=N_("digest unsubscribe"),
    help=N_("Stop getting the digest by direct message and by email"),
)
async def unsubscribe(ctx: MemberContext, text: str) -> None:
    row = await digests.find_subscription(ctx.db, ctx.community.id, ctx.member.id)
    if row is None or not (row.chat or row.email or row.pending_email):
        raise Answer(_("You do not get the digest; it stays in the home channel for when you want it."))
    digests.stop(row, ctx.now)
    await ctx.reply(_("Done: no more digests by direct message or email. The home channel still has them."))


@routine.command(
    "digest",
    usage=N_("digest"),
    help=N_("How you get the digest, and when the next one comes"),
    default=True,
)
async def status(ctx: MemberContext, text: str) -> None:
    community = ctx.community
    plan = await keep_scheduled(ctx, community)
    row = await digests.find_subscription(ctx.db, community.id, ctx.member.id)
    lines = []
    if plan.cadence == Cadence.OFF or plan.next_at is None:
        lines.append(_("The digest is not scheduled."))
    else:
        lines.append(
            _("The digest goes out {cadence}; the next one {when}.").format(
                cadence=_(SAID.get(Cadence(plan.cadence), plan.cadence)), when=ctx.when(plan.next_at)
            )
        )
    ways = []
    if row is not None and row.chat:
        ways.append(_("by direct message"))
    if row is not None and row.email and row.set_aside_at is None:
        ways.append(_("by email to {address}").format(address=content(row.email)))
    lines.append(
        _("You get it {ways}.").format(ways=_(" and ").join(ways))
        if ways
        else _(
            "You read it in the home channel. `/cop digest subscribe` sends it to you; "
            "`/cop digest email <address>` mails it."
        )
    )
    await ctx.reply("\n".join(lines))
