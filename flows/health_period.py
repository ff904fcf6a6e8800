"""The period a health report covers: a rolling number of days, or the calendar quarter or year so far — each
compared with the period just before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

NAMED = ("quarter", "year")
MIN_DAYS, MAX_DAYS = 7, 730


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
