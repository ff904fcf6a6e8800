"""Never in someone's night: moving a moment out of their quiet hours, in their own timezone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)


def waking(moment: datetime, timezone: str, quiet_from: time = QUIET_FROM, quiet_until: time = QUIET_UNTIL) -> datetime:
    """`moment` if it falls in the person's waking hours, else the next end of their quiet hours (in UTC)."""
    local = moment.astimezone(ZoneInfo(timezone))
    clock = local.time()
    overnight = quiet_from > quiet_until  # e.g. 21:00-08:00; otherwise a daytime window such as 12:00-14:00
    awake = quiet_until <= clock < quiet_from if overnight else not (quiet_from <= clock < quiet_until)
    if awake:
        return moment.astimezone(UTC)
    day = local.date() if clock < quiet_until or not overnight else local.date() + timedelta(days=1)
    wake = datetime.combine(day, quiet_until, tzinfo=ZoneInfo(timezone))
    return wake.astimezone(UTC)


def morning(day: date, timezone: str, quiet_from: time = QUIET_FROM, quiet_until: time = QUIET_UNTIL) -> datetime:
    """The start of the person's day on `day`, in their zone (in UTC): when their quiet hours end."""
    return waking(datetime.combine(day, quiet_until, tzinfo=ZoneInfo(timezone)), timezone, quiet_from, quiet_until)
