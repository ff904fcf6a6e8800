"""When digests go out: weekly, monthly (the first <weekday> of the month) or quarterly (the first <weekday> of the
quarter), by default on Mondays at 09:00 in the community's timezone. A first issue given in words ("friday 16:00")
sets the weekday and time the following ones keep."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from storage.models import Cadence

DEFAULT_WEEKDAY, DEFAULT_HOUR, DEFAULT_MINUTE = 0, 9, 0  # Monday 09:00


def first(cadence: str, now: datetime, timezone: str) -> datetime:
    """The first issue after `now` on the default day and time."""
    local = now.astimezone(ZoneInfo(timezone))
    anchor = local.replace(hour=DEFAULT_HOUR, minute=DEFAULT_MINUTE, second=0, microsecond=0)
    anchor -= timedelta(days=(anchor.weekday() - DEFAULT_WEEKDAY) % 7)  # this week's Monday
    return _next_after(cadence, anchor, now, timezone)


def following(cadence: str, previous: datetime, now: datetime, timezone: str) -> datetime:
    """The issue after `previous`, on its weekday and local time, and after `now`."""
    return _next_after(cadence, previous, now, timezone)


def _next_after(cadence: str, anchor: datetime, now: datetime, timezone: str) -> datetime:
    zone = ZoneInfo(timezone)
    local = anchor.astimezone(zone)
    weekday, hour, minute = local.weekday(), local.hour, local.minute
    if cadence == Cadence.WEEKLY:
        at = local
        while at <= now:
            at = _wall(at.date() + timedelta(days=7), hour, minute, zone)
        return at
    step = 3 if cadence == Cadence.QUARTERLY else 1
    year, month = local.year, local.month
    if step == 3:
        month = 3 * ((month - 1) // 3) + 1
    while True:
        at = _first_weekday(year, month, weekday, hour, minute, zone)
        if at > now:
            return at
        month += step
        if month > 12:
            year, month = year + 1, month - 12


def _first_weekday(year: int, month: int, weekday: int, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    day = datetime(year, month, 1, tzinfo=zone).date()
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return _wall(day, hour, minute, zone)


def _wall(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
