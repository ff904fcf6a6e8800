"""Community health as figures: what `/cop health`, the export, the digest and the web pages all show.

Plain functions over the database returning frozen dataclasses; no text here (see flows/health_report.py)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from flows import levels as rules
from flows.levels import COUNTED, FIRST_STEPS, LEADING, Distribution, Level, Thresholds
from storage import health, invitations, ledger
from storage.health import Belonging
from storage.ledger import Bucket, Tally
from storage.models import AssistStatus, Community, DiscussionStatus, ValueCycle

NAMED = ("quarter", "year")
MIN_DAYS, MAX_DAYS = 7, 730
MAX_BUCKETS = 13  # a trend line that fits a phone's width
CONVERTS_WITHIN = timedelta(days=14)
OFFER_WITHIN = timedelta(hours=24)


class PeriodError(ValueError):
    """What a member typed is not a period."""


@dataclass(frozen=True)
class Period:
    """(since, until], compared with the period before it, (before, since]."""

    name: str  # "90d", "quarter", "year"
    since: datetime
    until: datetime
    before: datetime

    @property
    def days(self) -> float:
        return (self.until - self.since).total_seconds() / 86400

    @property
    def days_before(self) -> float:
        return (self.since - self.before).total_seconds() / 86400


def period(text: str, now: datetime, timezone: str, default_days: int) -> Period:
    """`30d`, `90d` (any whole number of days from 7 to 730) — rolling, ending now — or `quarter` / `year`: the
    calendar quarter or year so far in the community's timezone, compared with the whole one before."""
    word = text.strip().casefold() or f"{default_days}d"
    if word in NAMED:
        local = now.astimezone(ZoneInfo(timezone))
        if word == "quarter":
            month = 3 * ((local.month - 1) // 3) + 1
            start = local.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)
            previous = start.replace(year=start.year - 1, month=10) if month == 1 else start.replace(month=month - 3)
        else:
            start = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
            previous = start.replace(year=start.year - 1)
        # A zone-aware wall time knows its own offset: local midnight, whatever daylight saving did.
        return Period(word, start.astimezone(UTC), now, previous.astimezone(UTC))
    days = word.removesuffix("d").removesuffix(" days").removesuffix(" day").strip()
    if not days.isascii() or not days.isdigit() or not MIN_DAYS <= int(days) <= MAX_DAYS:
        raise PeriodError(word)
    span = timedelta(days=int(days))
    return Period(f"{int(days)}d", now - span, now, now - 2 * span)


# -- participation levels ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Participation:
    """The raw material of levels and champions: members, and their acts in this period and the one before."""

    period: Period
    members: list[Belonging]
    now: dict[int, Tally]
    before: dict[int, Tally]

    @property
    def rules_now(self) -> Thresholds:
        return rules.thresholds(self.period.days)

    @property
    def rules_before(self) -> Thresholds:
        return rules.thresholds(self.period.days_before)

    def level_now(self, member: Belonging) -> Level:
        return rules.level(self.now.get(member.member_id), member.joined_at, self.period.until, self.rules_now)

    def level_before(self, member: Belonging) -> Level | None:
        """None for members who had not joined yet."""
        if member.joined_at > self.period.since:
            return None
        return rules.level(self.before.get(member.member_id), member.joined_at, self.period.since, self.rules_before)


async def participation(db: AsyncSession, community_id: int, span: Period) -> Participation:
    members = await health.belonging(db, community_id, span.until)
    now = await ledger.tallies(db, community_id, span.since, span.until, counted=COUNTED, leading=LEADING)
    before = await ledger.tallies(db, community_id, span.before, span.since, counted=COUNTED, leading=LEADING)
    return Participation(span, members, now, before)


@dataclass(frozen=True)
class Levels:
    now: Distribution
    before: Distribution
    rules: Thresholds


def levels(p: Participation) -> Levels:
    before = [lv for m in p.members if (lv := p.level_before(m)) is not None]
    return Levels(rules.distribute([p.level_now(m) for m in p.members]), rules.distribute(before), p.rules_now)


def member_levels(p: Participation) -> dict[int, Level]:
    """Each current member's level at the end of the period."""
    return {m.member_id: p.level_now(m) for m in p.members}


# -- the rest of the picture ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trend:
    """Acts and contributing members per slice of the period (a week, or longer for long periods)."""

    days_per_bucket: int
    buckets: list[Bucket]


async def trend(db: AsyncSession, community_id: int, span: Period) -> Trend:
    width = max(7, -(-int(span.days) // MAX_BUCKETS))
    edges = [span.since]
    while edges[-1] < span.until:
        edges.append(min(edges[-1] + timedelta(days=width), span.until))
    return Trend(width, await ledger.buckets(db, community_id, edges, counted=COUNTED))


@dataclass(frozen=True)
class Funnel:
    joined: int
    introduced: int
    contributed: int
    days_to_introduce: float | None  # medians
    days_to_contribute: float | None


async def funnel(db: AsyncSession, community_id: int, span: Period) -> Funnel:
    people = await health.newcomers(db, community_id, span.since, span.until)
    first = await ledger.first_acts_of_newcomers(db, community_id, span.since, span.until, counted=FIRST_STEPS)
    to_intro = [_days(p.introduced_at - p.joined_at) for p in people if p.introduced_at is not None]
    to_act = [_days(first[p.member_id] - p.joined_at) for p in people if p.member_id in first]
    return Funnel(len(people), len(to_intro), len(to_act), _median(to_intro), _median(to_act))


@dataclass(frozen=True)
class PeerAssist:
    asked: int
    offered_within_day: int
    resolved: int
    hours_to_first_offer: float | None  # median, over requests that had an offer
    still_open: int  # now, whenever they were asked


async def peer_assist(db: AsyncSession, community_id: int, span: Period) -> PeerAssist:
    asked = await health.requests(db, community_id, span.since, span.until)
    waits = [r.first_offer_at - r.created_at for r in asked if r.first_offer_at is not None]
    return PeerAssist(
        asked=len(asked),
        offered_within_day=sum(1 for w in waits if w <= OFFER_WITHIN),
        resolved=sum(1 for r in asked if r.status == AssistStatus.RESOLVED),
        hours_to_first_offer=_median([w.total_seconds() / 3600 for w in waits]),
        still_open=await health.open_requests(db, community_id),
    )


@dataclass(frozen=True)
class Discussions:
    items: list[health.DiscussionRow]
    participants: int
    replies: int
    summaries: int


async def discussions(db: AsyncSession, community_id: int, span: Period, moderator_id: int | None) -> Discussions:
    rows, everyone = await health.discussions(db, community_id, span.since, span.until, moderator_id=moderator_id)
    return Discussions(
        rows, everyone, sum(r.replies for r in rows), sum(1 for r in rows if r.status == DiscussionStatus.SUMMARISED)
    )


@dataclass(frozen=True)
class Webinars:
    items: list[health.WebinarRow]
    coming: int
    attended: int
    feedback: float | None  # the average score, 1-5

    @property
    def sessions(self) -> int:
        return len(self.items)


async def webinars(db: AsyncSession, community_id: int, span: Period, viewer_id: int | None) -> Webinars:
    rows = await health.webinars(db, community_id, span.since, span.until, viewer_id=viewer_id)
    scores = [s for r in rows for s in r.feedback]
    return Webinars(
        rows,
        sum(r.coming for r in rows),
        sum(r.attended for r in rows),
        round(statistics.fmean(scores), 2) if scores else None,
    )


@dataclass(frozen=True)
class Recognition:
    thanks: int
    credits: int  # for help with a peer assist
    members: int  # how many different members were recognised


async def recognition(db: AsyncSession, community_id: int, span: Period) -> Recognition:
    kinds, people = await health.recognition(db, community_id, span.since, span.until)
    return Recognition(kinds.get("thanks", 0), sum(n for k, n in kinds.items() if k != "thanks"), people)


@dataclass(frozen=True)
class Library:
    added: dict[str, int]
    reused: int  # items found by members other than their adder
    most_reused: list[health.Reuse]

    @property
    def total_added(self) -> int:
        return sum(self.added.values())


async def library(db: AsyncSession, community_id: int, span: Period) -> Library:
    reuse, items = await health.library_reused(db, community_id, span.since, span.until)
    return Library(await health.library_added(db, community_id, span.since, span.until), items, reuse)


@dataclass(frozen=True)
class Stories:
    """Stories by the value cycle they report; `private` of them were told for coordinators only (counted only
    where coordinators read)."""

    by_cycle: dict[str, int]  # every ValueCycle, plus "unsaid" for stories told before the question was asked
    private: int

    @property
    def total(self) -> int:
        return sum(self.by_cycle.values())


async def stories(db: AsyncSession, community_id: int | None, span: Period, *, include_private: bool) -> Stories:
    counted = await health.stories_by_cycle(db, community_id, span.since, span.until, include_private=include_private)
    shared = (
        await health.stories_by_cycle(db, community_id, span.since, span.until, include_private=False)
        if include_private
        else counted
    )
    by_cycle = {c.value: counted.get(c.value, 0) for c in ValueCycle}
    by_cycle["unsaid"] = sum(n for c, n in counted.items() if c not in by_cycle)
    return Stories(by_cycle, sum(counted.values()) - sum(shared.values()))


@dataclass(frozen=True)
class Invitations:
    sent: int
    converted: int
    switched_off: int

    @property
    def rate(self) -> float | None:
        return self.converted / self.sent if self.sent else None


async def invitation_figures(db: AsyncSession, community_id: int, span: Period) -> Invitations:
    # Invitations sent up to the end of the period; their fortnight may run past it (a late yes still counts).
    found = await invitations.conversions(
        db, community_id, span.since, span.until, within=CONVERTS_WITHIN, counted=COUNTED
    )
    return Invitations(found.sent, found.converted, await invitations.switched_off(db, community_id))


# -- all of it -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Health:
    """Everything `/cop health` shows. For a moderator (`own`), only their discussions and webinars are filled."""

    community: str
    name: str
    period: Period
    own: bool
    discussions: Discussions
    webinars: Webinars
    levels: Levels | None = None
    trend: Trend | None = None
    funnel: Funnel | None = None
    peer_assist: PeerAssist | None = None
    recognition: Recognition | None = None
    library: Library | None = None
    stories: Stories | None = None
    invitations: Invitations | None = None


async def community_health(
    db: AsyncSession, community: Community, span: Period, *, viewer_id: int | None = None, include_private: bool = True
) -> Health:
    """The whole picture (`viewer_id` None), or a moderator's own discussions and webinars."""
    own = viewer_id is not None
    talks = await discussions(db, community.id, span, viewer_id)
    sessions = await webinars(db, community.id, span, viewer_id)
    if own:
        return Health(community.slug, community.name, span, True, talks, sessions)
    return Health(
        community.slug,
        community.name,
        span,
        False,
        talks,
        sessions,
        levels=levels(await participation(db, community.id, span)),
        trend=await trend(db, community.id, span),
        funnel=await funnel(db, community.id, span),
        peer_assist=await peer_assist(db, community.id, span),
        recognition=await recognition(db, community.id, span),
        library=await library(db, community.id, span),
        stories=await stories(db, community.id, span, include_private=include_private),
        invitations=await invitation_figures(db, community.id, span),
    )


def _days(span: timedelta) -> float:
    return span.total_seconds() / 86400


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None
