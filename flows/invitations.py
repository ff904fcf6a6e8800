"""Invitations that turn silent members into contributors: rare (at most one a month), personal (built from what
they said in their introduction), one tap, in their morning — and never to a newcomer in their first two weeks or to
someone who took part lately. Members can turn them off. An invitation converts when its member contributes within
a fortnight; `/cop health` shows the rate.

A sweep runs every hour for each community (a delivery that schedules the next one): it invites the silent members
whose local time is the hour after their quiet hours end (09:00 by default)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import arguments
from bot.context import Context, DeliveryContext, MemberContext
from bot.i18n import N_, _, ngettext
from bot.messages import Button, ButtonStyle, Message
from bot.quiet_hours import waking
from bot.registry import Routine
from bot.text import content, shorten
from flows import discussion_cards, introduction_cards, peer_assist_cards, webinar_cards
from flows.levels import COUNTED
from storage import communities, invitations
from storage.invitations import OFF, Candidate, Opening
from storage.models import Community, InvitationKind, Member
from storage.text_search import words

routine = Routine("invitations")
SWEEP = "invitations.sweep"
ONCE_EVERY = timedelta(days=30)  # at most one invitation a month
FIRST_WEEKS = timedelta(days=14)  # a newcomer is left to the welcome and the introduction nudges
RECENT_ASKS = timedelta(days=30)  # "asked this month"
AHEAD = timedelta(days=30)  # webinars and discussions worth inviting to
CHUNK = 500  # members loaded and sent to at a time, so memory stays flat however many are silent


@dataclass(frozen=True)
class SweepRef:
    community: int


@dataclass(frozen=True)
class Invite:
    """What one silent member is invited to."""

    kind: InvitationKind
    subject: int | None
    opening: Opening | None = None
    topic: str = ""
    people: int = 0  # how many different members asked (for requests)


def _on_the_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


async def keep_sweeping(ctx: Context, community: Community) -> None:
    """Make sure the community's hourly sweep is scheduled (the key makes this cheap to call often)."""
    at = _on_the_hour(ctx.now)
    await ctx.schedule(SWEEP, at=at, key=f"invitations:{community.id}:{at.isoformat()}", payload=SweepRef(community.id))


@routine.delivery(SWEEP, payload=SweepRef)
async def sweep_due(ctx: DeliveryContext, payload: SweepRef) -> None:
    community = await communities.by_id(ctx.db, payload.community)
    if community is None:
        return
    ctx.community = community
    await sweep(ctx, community)
    await keep_sweeping(ctx, community)


def invite_hour(ctx: Context) -> int:
    """The hour after the quiet hours end (09:00 with the default 21-8): their morning, not their waking minute."""
    return (ctx.services.settings.quiet_hours[1] + 1) % 24


async def sweep(ctx: Context, community: Community) -> int:
    """Invite the silent members whose morning it is now; returns how many were invited."""
    settings, now = ctx.services.settings, ctx.now
    found = await invitations.candidates(
        ctx.db,
        community.id,
        silent_since=now - timedelta(days=settings.invite_after_silent_days),
        joined_before=now - max(FIRST_WEEKS, timedelta(days=settings.invite_after_silent_days)),
        invited_before=now - ONCE_EVERY,
        counted=COUNTED,
    )
    due = _in_their_morning(ctx, found, community.timezone, now)
    if not due:
        return 0
    requests = await invitations.open_requests(ctx.db, community.id, now - RECENT_ASKS)
    sessions = await invitations.upcoming_webinars(ctx.db, community.id, now, now + AHEAD)
    talks = [d for d in await invitations.upcoming_discussions(ctx.db, community.id, now + AHEAD) if d.at > now]
    asked_to_introduce = await invitations.ever_invited(
        ctx.db, community.id, [c.member_id for c in due if not c.introduced], InvitationKind.INTRODUCE
    )
    catalogue = Catalogue(requests, sessions, talks)
    sent = 0
    for chunk in _chunks(due, CHUNK):
        people = await invitations.members_by_id(ctx.db, [c.member_id for c in chunk])
        for candidate in chunk:
            member = people.get(candidate.member_id)
            invite = catalogue.choose(candidate, introduce=candidate.member_id not in asked_to_introduce)
            if member is None or invite is None:
                continue
            with ctx.language_of(member):
                text = message(invite, community, ctx.zone_of(member))
            if not await ctx.dm(member, text):
                continue  # not reachable on any running platform: nothing was sent, nothing is counted
            invitations.sent(ctx.db, community.id, member.id, invite.kind, invite.subject, now)
            sent += 1
        await ctx.db.flush()  # written out, so the session does not hold every member at once
    if sent:
        await ctx.record("invitations.sent", invited=sent)
    return sent


def _in_their_morning(ctx: Context, found: list[Candidate], fallback: str, now: datetime) -> list[Candidate]:
    """Those whose local time is the invitation hour at `now` (one instant for all: a running clock moves)."""
    hour = invite_hour(ctx)
    quiet_from, quiet_until = ctx.services.settings.quiet_hours
    zones: dict[str, bool] = {}
    due = []
    for candidate in found:
        zone = candidate.timezone or fallback
        if zone not in zones:
            try:
                local = now.astimezone(ZoneInfo(zone))
            except (KeyError, ValueError):
                local = now.astimezone(ZoneInfo(fallback))
            awake = waking(now, str(local.tzinfo), time(quiet_from), time(quiet_until)) == now
            zones[zone] = local.hour == hour and awake
        if zones[zone]:
            due.append(candidate)
    return due


def _chunks(items: list[Candidate], size: int) -> Iterator[list[Candidate]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _keys(text: str) -> set[str]:
    """Word stems good enough to match "dashboards" with "dashboard": the first five letters of longer words."""
    return {w[:5] for w in words(text) if len(w) >= 4}


class Catalogue:
    """What silent members could be invited to now, indexed by word stems once per sweep."""

    def __init__(self, requests: list[Opening], sessions: list[Opening], talks: list[Opening]) -> None:
        self.requests = [(r, _keys(" ".join([r.text, *r.topics]))) for r in requests]
        self.sessions = [(s, _keys(s.text)) for s in sessions]
        self.talks = [(t, _keys(t.text)) for t in talks]

    def choose(self, candidate: Candidate, *, introduce: bool) -> Invite | None:
        """Open requests on what they know first (their help is the surest way in), then a webinar or discussion
        on what they hope to learn; someone who never introduced themselves is asked to, once."""
        for item in [i.strip() for i in candidate.expertise.split(",") if i.strip()] + [candidate.offer]:
            keys = _keys(item)
            matching = [r for r, found in self.requests if keys & found and r.asker_id != candidate.member_id]
            if matching:
                askers = {r.asker_id for r in matching}
                return Invite(InvitationKind.ASSIST, matching[0].id, matching[0], shorten(item, 60), len(askers))
        hopes = _keys(candidate.learn)
        for kind, catalogue in ((InvitationKind.WEBINAR, self.sessions), (InvitationKind.DISCUSSION, self.talks)):
            for opening, found in catalogue:
                if hopes & found:
                    return Invite(kind, opening.id, opening)
        if not candidate.introduced and not candidate.skipped_intro and introduce:
            return Invite(InvitationKind.INTRODUCE, None)
        return None


def message(invite: Invite, community: Community, zone: str) -> Message:
    """The invitation, with the one button that does the thing."""
    footer = _("Not now? No need to answer. `/cop invitations off` stops these.")
    opening = invite.opening
    if invite.kind == InvitationKind.ASSIST and opening is not None:
        return Message(
            ngettext(
                "Someone asked about {topic} this month, which you know about — would you look at it?",
                "{n} people asked about {topic} this month, which you know about — would you look at one?",
                invite.people,
            ).format(n=invite.people, topic=content(invite.topic))
            + "\n"
            + _("“{question}”").format(question=content(shorten(opening.text, 200))),
            buttons=(Button(_("I can help"), peer_assist_cards.OFFER, str(opening.id), ButtonStyle.PRIMARY),),
            footer=footer,
        )
    if invite.kind == InvitationKind.WEBINAR and opening is not None:
        title = opening.text.split("\n", 1)[0]
        return Message(
            _("A webinar on something you hope to learn is coming: “{title}”, {when}. Will you come?").format(
                title=content(shorten(title, 120)), when=webinar_cards.starts_text(opening.at, zone)
            ),
            buttons=(Button(_("Going"), webinar_cards.RSVP, f"{opening.id}:going", ButtonStyle.PRIMARY),),
            footer=footer,
        )
    if invite.kind == InvitationKind.DISCUSSION and opening is not None:
        topic = opening.topics[0] if opening.topics else opening.text
        return Message(
            _("A discussion on “{topic}”, which you hope to learn about, opens {when}. Follow it to hear more.").format(
                topic=content(shorten(topic, 120)), when=webinar_cards.starts_text(opening.at, zone)
            ),
            buttons=(Button(_("Follow"), discussion_cards.FOLLOW, str(opening.id), ButtonStyle.PRIMARY),),
            footer=footer,
        )
    return Message(
        _(
            "You joined *{name}* a while ago. Would you introduce yourself? Two minutes, and others will know "
            "what you know and what you hope to learn."
        ).format(name=content(community.name)),
        buttons=(Button(_("Introduce myself"), introduction_cards.START, str(community.id), ButtonStyle.PRIMARY),),
        footer=footer,
    )


@routine.command(
    "invitations",
    usage=N_("invitations [on|off]"),
    help=N_("Personal invitations when you have been quiet a while: see, turn off or on"),
    example="invitations off",
)
async def invitations_switch(ctx: MemberContext, text: str) -> None:
    switch = arguments.one_of(text, ("on", "off"), default="")
    member: Member = ctx.member
    off = bool((member.profile or {}).get(OFF))
    if not switch:
        await ctx.reply(
            _("Invitations are off for you. `/cop invitations on` turns them back on.")
            if off
            else _(
                "Invitations are on: when you have been quiet for a while, I may send you one, at most once a month, "
                "about something you know or hope to learn. `/cop invitations off` stops them."
            )
        )
        return
    member.profile = {**(member.profile or {}), OFF: switch == "off"}
    await ctx.reply(
        _("Done: no more invitations. `/cop invitations on` brings them back.")
        if switch == "off"
        else _("Done: invitations are on again — at most one a month, and only when you have been quiet.")
    )
