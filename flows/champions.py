"""Champions: members whose contributions rose over the period and who do not hold a role yet, with what they did
(the reason a coordinator reads) and what they could lead next — the soonest discussion or webinar on their topic."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import _, ngettext
from flows import levels
from flows.health_period import Period
from storage import champions, ledger
from storage.champions import DISCUSSION, WEBINAR, Lead
from storage.models import Act
from storage.text_search import words

TOP = 5
REASONS = 3
# The order deeds are told in: leading others first.
ORDER = (
    Act.OFFERED,
    Act.MODERATED,
    Act.SUMMARISED,
    Act.PRESENTED,
    Act.REPLIED,
    Act.WELCOMED,
    Act.RESOLVED,
    Act.STORY,
    Act.LIBRARY,
    Act.ASKED,
    Act.ATTENDED,
    Act.THANKED,
    Act.CHECKIN,
)


@dataclass(frozen=True)
class Deed:
    """What a champion did, counted: `n` acts (or distinct discussions, for replies), on `topic` when one stands out."""

    act: Act
    n: int
    topic: str | None = None


@dataclass(frozen=True)
class Champion:
    member_id: int
    acts: int
    acts_before: int
    leading: int
    deeds: list[Deed]
    topics: list[str]
    discussion: Lead | None  # the discussion they could co-moderate
    webinar: Lead | None  # the webinar they could present at


async def find(db: AsyncSession, community_id: int, span: Period, limit: int = TOP) -> list[Champion]:
    """Members (not moderators or coordinators) with more acts than in the period before, at least active now."""
    chosen = await ledger.rising(
        db,
        community_id,
        before=span.before,
        since=span.since,
        until=span.until,
        at_least=levels.thresholds(span.days).active,
        counted=levels.COUNTED,
        leading=levels.LEADING,
        limit=limit,
    )
    if not chosen:
        return []
    ids = [r.member_id for r in chosen]
    acts = await ledger.acts_of(db, community_id, ids, span.since, span.until)
    requests = await champions.request_topics(db, {s for _m, k, s in acts if k == Act.OFFERED and s is not None})
    talks = await champions.discussion_topics(
        db, {s for _m, k, s in acts if k in (Act.REPLIED, Act.MODERATED, Act.SUMMARISED) and s is not None}
    )
    listed = await champions.expertise(db, community_id, ids)
    upcoming = await champions.leads(db, community_id, span.until)
    found = []
    for rise in chosen:
        mine = [(k, s) for m, k, s in acts if m == rise.member_id]
        topics = _topics(mine, requests, talks, listed.get(rise.member_id, ""))
        found.append(
            Champion(
                member_id=rise.member_id,
                acts=rise.now.acts,
                acts_before=rise.before.acts,
                leading=rise.now.leading,
                deeds=_deeds(mine, requests, talks)[:REASONS],
                topics=topics,
                discussion=_next(upcoming, DISCUSSION, rise.member_id, topics),
                webinar=_next(upcoming, WEBINAR, rise.member_id, topics),
            )
        )
    return found


def _topics(
    acts: list[tuple[str, int | None]], requests: dict[int, list[str]], talks: dict[int, str], expertise: str
) -> list[str]:
    """Their topics, most frequent first: those of the requests they helped with and the discussions they took part
    in, then what they listed as their expertise."""
    seen: Counter[str] = Counter()
    for kind, subject in acts:
        if subject is None:
            continue
        if kind == Act.OFFERED:
            seen.update(t.casefold() for t in requests.get(subject, []))
        elif kind in (Act.REPLIED, Act.MODERATED, Act.SUMMARISED) and subject in talks:
            seen[talks[subject].casefold()] += 1
    ranked = [t for t, _n in seen.most_common()]
    return ranked + [
        t.strip().casefold() for t in expertise.split(",") if t.strip() and t.strip().casefold() not in ranked
    ]


def _deeds(acts: list[tuple[str, int | None]], requests: dict[int, list[str]], talks: dict[int, str]) -> list[Deed]:
    by_kind: dict[str, list[int | None]] = {}
    for kind, subject in acts:
        by_kind.setdefault(kind, []).append(subject)
    deeds = []
    for act in ORDER:
        subjects = by_kind.get(act, [])
        if not subjects:
            continue
        topic = None
        if act == Act.OFFERED:
            common = Counter(t for s in subjects if s is not None for t in requests.get(s, [])).most_common(1)
            topic = common[0][0] if common else None
        elif act in (Act.MODERATED, Act.SUMMARISED):
            common = Counter(talks[s] for s in subjects if s in talks).most_common(1)
            topic = common[0][0] if common and len(set(subjects)) == 1 else None
        n = len(set(subjects)) if act in (Act.REPLIED, Act.ATTENDED) else len(subjects)
        deeds.append(Deed(act, n, topic))
    return deeds


def _next(upcoming: list[Lead], kind: str, member_id: int, topics: list[str]) -> Lead | None:
    """The soonest discussion (or webinar) on one of their topics, else the soonest one they do not lead already."""
    open_to_them = [lead for lead in upcoming if lead.kind == kind and member_id not in lead.leaders]
    wanted = {w for t in topics for w in words(t)}
    for lead in open_to_them:
        if wanted & set(words(lead.title)):
            return lead
    return open_to_them[0] if open_to_them else None


def reason(deeds: list[Deed]) -> str:
    """ "offered help with 4 requests on data quality; replied in 2 discussions" """
    return "; ".join(_deed(d) for d in deeds)


def _deed(deed: Deed) -> str:
    n, topic = deed.n, deed.topic
    match deed.act:
        case Act.OFFERED if topic:
            return ngettext(
                "offered help with {n} request on {topic}", "offered help with {n} requests on {topic}", n
            ).format(n=n, topic=topic)
        case Act.OFFERED:
            return ngettext("offered help with {n} request", "offered help with {n} requests", n).format(n=n)
        case Act.MODERATED:
            return ngettext("co-moderated {n} discussion", "co-moderated {n} discussions", n).format(n=n)
        case Act.SUMMARISED:
            return ngettext("summarised {n} discussion", "summarised {n} discussions", n).format(n=n)
        case Act.PRESENTED:
            return ngettext("presented {n} webinar", "presented {n} webinars", n).format(n=n)
        case Act.REPLIED:
            return ngettext("replied in {n} discussion", "replied in {n} discussions", n).format(n=n)
        case Act.WELCOMED:
            return ngettext("welcomed {n} newcomer", "welcomed {n} newcomers", n).format(n=n)
        case Act.RESOLVED:
            return ngettext("closed {n} request with what worked", "closed {n} requests with what worked", n).format(
                n=n
            )
        case Act.STORY:
            return ngettext("told {n} story of value", "told {n} stories of value", n).format(n=n)
        case Act.LIBRARY:
            return ngettext("added {n} item to the library", "added {n} items to the library", n).format(n=n)
        case Act.ASKED:
            return ngettext("asked {n} question", "asked {n} questions", n).format(n=n)
        case Act.ATTENDED:
            return ngettext("came to {n} webinar", "came to {n} webinars", n).format(n=n)
        case Act.THANKED:
            return ngettext("thanked others {n} time", "thanked others {n} times", n).format(n=n)
        case Act.CHECKIN:
            return ngettext("answered {n} check-in", "answered {n} check-ins", n).format(n=n)
    return _("took part")
