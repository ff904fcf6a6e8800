"""Community health for a report: the figures `/cop health` shows, as CSV (one figure a row, safe to open in a
spreadsheet) or JSON (finite numbers only)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import exports
from flows import health_figures, health_period
from flows.health_figures import Health
from flows.health_period import Period
from storage import communities

COLUMNS = ("section", "item", "metric", "value")


class ExportError(exports.ExportError):
    """An operator's mistake (an unknown community, a period that is not one), said in one line."""


async def export(db: AsyncSession, request: exports.ExportRequest) -> str:
    """`cultivate export health --community SLUG [--period 90d|quarter|… | --since DATE] [--format csv|json]`."""
    if request.community is None:
        raise ExportError("--community is needed: the health of which community (its slug)?")
    figures = await gather(
        db,
        request.community,
        datetime.now(UTC),
        period=request.period or "",
        since=request.since,
        default_days=request.settings.health_window_days if request.settings is not None else 90,
        include_private=request.include_private,
    )
    return render(figures, request.format)


async def gather(
    db: AsyncSession,
    slug: str,
    now: datetime,
    *,
    period: str = "",
    since: datetime | None = None,
    default_days: int = 90,
    include_private: bool = False,
) -> Health:
    """The figures for the community `slug`, over `period` (or from `since` to now)."""
    community = await communities.by_slug(db, slug)
    if community is None:
        known = ", ".join(c.slug for c in await communities.all_communities(db)) or "none"
        raise ExportError(f"there is no community {slug!r} (communities: {known})")
    if since is not None:
        if since >= now:
            raise ExportError(f"--since {since.date()} is not in the past")
        span = Period("since", since, now, since - (now - since))
    else:
        try:
            span = health_period.period(period, now, community.timezone, default_days)
        except health_period.PeriodError:
            raise ExportError(
                f"--period is 30d, 90d (any number of days from 7 to 730), quarter or year, not {period!r}"
            ) from None
    return await health_figures.community_health(db, community, span, include_private=include_private)


def render(figures: Health, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(_plain(as_data(figures)), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows(figures):
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def as_data(figures: Health) -> dict[str, Any]:
    """The figures as plain data (for JSON), with the level shapes spelt out."""
    data = dataclasses.asdict(figures)
    if figures.levels is not None:
        now, before = figures.levels.now, figures.levels.before
        data["levels"]["percent_now"] = dict(zip(("core", "contributing", "silent"), now.shape(), strict=True))
        data["levels"]["percent_before"] = dict(zip(("core", "contributing", "silent"), before.shape(), strict=True))
    return data


def rows(figures: Health) -> list[tuple[str, str, str, Any]]:
    """(section, item, metric, value): every figure on its own row."""
    span = figures.period
    out: list[tuple[str, str, str, Any]] = [
        ("community", "", "slug", figures.community),
        ("community", "", "name", figures.name),
        ("period", "", "name", span.name),
        ("period", "", "since", span.since.isoformat()),
        ("period", "", "until", span.until.isoformat()),
        ("period", "", "before", span.before.isoformat()),
    ]
    if figures.levels is not None:
        levels = figures.levels
        for name in ("core", "active", "occasional", "silent", "newcomer"):
            out.append(("levels", "", name, getattr(levels.now, name)))
            out.append(("levels", "", f"{name}_before", getattr(levels.before, name)))
        for name, value in zip(("core", "contributing", "silent"), levels.now.shape(), strict=True):
            out.append(("levels", "", f"{name}_percent", round(value, 1)))
        out += [
            ("levels", "", "rule_core_acts", levels.rules.core),
            ("levels", "", "rule_core_leading", levels.rules.leading),
            ("levels", "", "rule_active_acts", levels.rules.active),
        ]
    if figures.trend is not None:
        start = span.since
        for acts, joined in zip(figures.trend.acts, figures.trend.joined, strict=True):
            out.append(("trend", start.date().isoformat(), "acts", acts))
            out.append(("trend", start.date().isoformat(), "joined", joined))
            start += timedelta(days=figures.trend.days_per_bucket)
    parts: list[tuple[str, Any]] = [
        ("funnel", figures.funnel),
        ("peer_assist", figures.peer_assist),
        ("recognition", figures.recognition),
        ("invitations", figures.invitations),
    ]
    for section, value in parts:
        if value is not None:
            out += [(section, "", k, v) for k, v in dataclasses.asdict(value).items()]
    if figures.invitations is not None:
        out.append(("invitations", "", "conversion_rate", figures.invitations.rate))
    d = figures.discussions
    out += [
        ("discussions", "", "count", len(d.items)),
        ("discussions", "", "participants", d.participants),
        ("discussions", "", "replies", d.replies),
        ("discussions", "", "summaries", d.summaries),
    ]
    for item in d.items:
        label = f"#{item.id} {item.topic}"
        out += [
            ("discussion", label, "replies", item.replies),
            ("discussion", label, "participants", item.participants),
        ]
    w = figures.webinars
    out += [
        ("webinars", "", "sessions", w.sessions),
        ("webinars", "", "coming", w.coming),
        ("webinars", "", "attended", w.attended),
        ("webinars", "", "feedback_average", w.feedback),
    ]
    for session in w.items:
        label = f"#{session.id} {session.title}"
        average = round(sum(session.feedback) / len(session.feedback), 2) if session.feedback else None
        out += [
            ("webinar", label, "coming", session.coming),
            ("webinar", label, "attended", session.attended),
            ("webinar", label, "feedback_average", average),
        ]
    if figures.library is not None:
        out += [("library", "", f"added_{kind}", n) for kind, n in sorted(figures.library.added.items())]
        out.append(("library", "", "reused_items", figures.library.reused))
        out += [("library_item", f"#{u.item_id} {u.title}", "found_by", u.members) for u in figures.library.most_reused]
    if figures.stories is not None:
        out += [("stories", "", cycle, n) for cycle, n in figures.stories.by_cycle.items()]
        out.append(("stories", "", "for_coordinators_only", figures.stories.private))
    return out


def _cell(value: Any) -> Any:
    """Numbers as they are, nothing as an empty cell, text neutralised if a spreadsheet would run it."""
    value = exports.finite(value)
    return "" if value is None else exports.safe_cell(value)


def _plain(value: Any) -> Any:
    """JSON-ready: times as ISO text, durations in days, and never NaN or infinity."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
