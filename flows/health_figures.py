"""Community health as figures: what `/cop health`, the export, the digest and the web pages all show.

Plain functions over the database returning frozen dataclasses; no text here (see flows/health_report.py)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from flows import levels as rules
from flows.health_period import Period, PeriodError, period
from flows.levels import COUNTED, FIRST_STEPS, LEADING, Distribution, Thresholds
from storage import health, health_events, invitations, ledger
from storage.models import AssistStatus, Community, DiscussionStatus, Level, ValueCycle

__all__ = ["Health", "Period", "PeriodError", "community_health", "period"]
MAX_BUCKETS = 13  # a trend line that fits a phone's width
CONVERTS_WITHIN = timedelta(days=14)
OFFER_WITHIN = timedelta(hours=24)


# -- participation levels ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Levels:
    now: Distribution
    before: Distribution
    rules: Thresholds


async def levels(db: AsyncSession, community_id: int, span: Period) -> Levels:
    """The level distribution at the end of the period and at its start, counted in the database."""
    now_rules, then_rules = rules.thresholds(span.days), rules.thresholds(span.days_before)
    now, then = await ledger.level_counts(
        db,
        community_id,
        before=span.before,
        since=span.since,
        until=span.until,
        now=now_rules,
        then=then_rules,
        counted=COUNTED,
        leading=LEADING,
    )
    return Levels(_distribution(now), _distribution(then), now_rules)


def _distribution(counts: dict[Level, int]) -> Distribution:
    return Distribution(**{which.value: n for which, n in counts.items()})


# -- the rest of the picture ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trend:
    """Acts, and members joining, per slice of the period (a week, or longer for long periods)."""

    days_per_bucket: int
    acts: list[int]
    joined: list[int]


async def trend(db: AsyncSession, community_id: int, span: Period) -> Trend:
    width = max(7, -(-int(span.days) // MAX_BUCKETS))
    edges = [span.since]
    while edges[-1] < span.until:
        edges.append(min(edges[-1] + timedelta(days=width), span.until))
    return Trend(
        width,
        await ledger.buckets(db, community_id, edges, counted=COUNTED),
        await health.joins(db, community_id, edges),
    )


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
    items: list[health_events.DiscussionRow]
    participants: int
    replies: int
    summaries: int


async def discussions(db: AsyncSession, community_id: int, span: Period, moderator_id: int | None) -> Discussions:
    rows, everyone = await health_events.discussions(
        db, community_id, span.since, span.until, moderator_id=moderator_id
    )
    return Discussions(
        rows, everyone, sum(r.replies for r in rows), sum(1 for r in rows if r.status == DiscussionStatus.SUMMARISED)
    )


@dataclass(frozen=True)
class Webinars:
    items: list[health_events.WebinarRow]
    coming: int
    attended: int
    feedback: float | None  # the average score, 1-5

    @property
    def sessions(self) -> int:
        return len(self.items)


async def webinars(db: AsyncSession, community_id: int, span: Period, viewer_id: int | None) -> Webinars:
    rows = await health_events.webinars(db, community_id, span.since, span.until, viewer_id=viewer_id)
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
        levels=await levels(db, community.id, span),
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
