"""What a digest carries: the period's own records, section by section, leaving out what an earlier issue carried.

No text here (flows/digest_render.py writes it); the same Digest is rendered for each reader's zone and language,
so a preview and what is sent are the same records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from flows import health_figures
from flows.health_period import Period
from storage import digest_sections as records
from storage import digests
from storage.digest_sections import Closed, Newcomer
from storage.models import AssistRequest, Community, KnowledgeItem, Recognition, Story, Webinar

# Per section, at most this many are read; the renderer keeps as many as fit the length limit.
MOST = 6
# Webinars announced as coming: those within this span after the digest.
COMING_WITHIN = timedelta(days=45)
# Without an earlier issue, a first digest looks back this far.
FIRST_LOOK_BACK = timedelta(days=30)
SECTIONS = ("members", "discussions", "held", "coming", "resolved", "open", "stories", "library", "thanks")


@dataclass(frozen=True)
class Figures:
    """The line of health figures: active members, newcomers, requests resolved in the period."""

    active: int
    newcomers: int
    resolved: int


@dataclass
class Digest:
    community_id: int
    name: str
    since: datetime
    until: datetime
    note: str
    newcomers: list[Newcomer] = field(default_factory=list)
    closed: list[Closed] = field(default_factory=list)
    held: list[tuple[Webinar, list[str]]] = field(default_factory=list)
    coming: list[Webinar] = field(default_factory=list)
    resolved: list[AssistRequest] = field(default_factory=list)
    open: list[AssistRequest] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    library: list[KnowledgeItem] = field(default_factory=list)
    thanks: list[Recognition] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    figures: Figures | None = None

    def items(self, section: str) -> list[int]:
        """The ids a section holds (members for "members"; records otherwise)."""
        match section:
            case "members":
                return [n.member_id for n in self.newcomers]
            case "discussions":
                return [c.id for c in self.closed]
            case "held":
                return [w.id for w, _links in self.held]
            case "thanks":
                return [t.id for t in self.thanks]
        rows: list[AssistRequest] | list[Webinar] | list[Story] | list[KnowledgeItem] = getattr(self, section)
        return [r.id for r in rows]

    def keep(self, section: str, n: int) -> None:
        """Keep only the first `n` items of a section (the renderer's cut to fit)."""
        name = {"members": "newcomers", "discussions": "closed"}.get(section, section)
        setattr(self, name, getattr(self, name)[:n])

    @property
    def empty(self) -> bool:
        return not self.note and not any(self.items(s) for s in SECTIONS)

    def carried(self) -> dict[str, list[int]]:
        return {s: self.items(s) for s in SECTIONS if self.items(s)}


async def compose(db: AsyncSession, community: Community, now: datetime, note: str) -> Digest:
    """The digest as it would go out now: from the last issue (or a month back) until now."""
    last = await digests.last_issue(db, community.id)
    since = last.sent_at if last is not None else now - FIRST_LOOK_BACK
    c = community.id
    digest = Digest(
        community_id=c,
        name=community.name,
        since=since,
        until=now,
        note=note,
        newcomers=await records.newcomers(db, c, since, now, MOST),
        closed=await records.discussions_closed(db, c, since, now, MOST),
        held=await records.webinars_held(db, c, since, now, MOST),
        coming=await records.webinars_coming(db, c, now, now + COMING_WITHIN, MOST),
        resolved=await records.requests_resolved(db, c, since, now, MOST),
        open=await records.requests_open(db, c, now, MOST),
        stories=await records.stories_shared(db, c, since, now, MOST),
        library=await records.library_added(db, c, since, now, MOST),
        thanks=await records.thanks_given(db, c, since, now, MOST),
    )
    wanted = {s.teller_id for s in digest.stories} | {r.asker_id for r in digest.open + digest.resolved}
    wanted |= {t.member_id for t in digest.thanks} | {t.by_id for t in digest.thanks if t.by_id is not None}
    digest.names = await records.names(db, wanted)
    digest.figures = await figures(db, community, since, now)
    return digest


async def figures(db: AsyncSession, community: Community, since: datetime, until: datetime) -> Figures:
    """From the community health routine: the same counts `/cop health` shows, over the digest's period."""
    span = Period("digest", since, until, since - (until - since))
    levels = await health_figures.levels(db, community.id, span)
    funnel = await health_figures.funnel(db, community.id, span)
    assist = await health_figures.peer_assist(db, community.id, span)
    now = levels.now
    # Active: everyone who contributed in the period, newcomers who already did included.
    active = now.core + now.active + now.occasional + funnel.contributed
    return Figures(active=active, newcomers=funnel.joined, resolved=assist.resolved)
