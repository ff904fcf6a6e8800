"""How a webinar series repeats: the next session's start, kept at the same wall-clock time in the series' zone
(so a monthly 14:00 stays 14:00 across daylight-saving changes), and the rule said in words."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from bot.i18n import N_, _, local_time

MAX_SESSIONS = 12
ORDINALS = {1: N_("first"), 2: N_("second"), 3: N_("third"), 4: N_("fourth"), -1: N_("last")}
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))


class Repeat(StrEnum):
    ONCE = "once"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY_WEEKDAY = "monthly-weekday"  # e.g. the first Tuesday of every month
    MONTHLY_DATE = "monthly-date"  # e.g. the 8th of every month


LABELS = {
    Repeat.ONCE: N_("Once"),
    Repeat.WEEKLY: N_("Every week"),
    Repeat.FORTNIGHTLY: N_("Every two weeks"),
    Repeat.MONTHLY_WEEKDAY: N_("Every month, same weekday (e.g. first Tuesday)"),
    Repeat.MONTHLY_DATE: N_("Every month, same date"),
}


def _nth(day: int) -> int:
    """Which occurrence of its weekday a day is in its month: 1 to 4, or -1 (the last) for a fifth."""
    n = (day - 1) // 7 + 1
    return -1 if n == 5 else n


def _rule(repeat: Repeat, local: datetime) -> rrule:
    match repeat:
        case Repeat.WEEKLY:
            return rrule(WEEKLY, dtstart=local, count=2)
        case Repeat.FORTNIGHTLY:
            return rrule(WEEKLY, interval=2, dtstart=local, count=2)
        case Repeat.MONTHLY_WEEKDAY:
            return rrule(MONTHLY, dtstart=local, count=2, byweekday=weekday(local.weekday(), _nth(local.day)))
        case Repeat.MONTHLY_DATE:
            # A 31st falls on the last day of shorter months rather than skipping them.
            return rrule(MONTHLY, dtstart=local, count=2, bymonthday=(local.day if local.day <= 28 else -1))
    raise ValueError(f"{repeat} does not repeat")


def next_start(repeat: Repeat, start: datetime, timezone: str) -> datetime:
    """The start of the session after the one at `start`, at the same wall-clock time in `timezone`."""
    tz = ZoneInfo(timezone)
    local = start.astimezone(tz).replace(tzinfo=None)
    return _rule(repeat, local)[1].replace(tzinfo=tz)


def describe(repeat: Repeat, start: datetime, timezone: str) -> str:
    """The rule in words, e.g. "every first Tuesday of the month, 14:00 (Africa/Nairobi)"."""
    local = start.astimezone(ZoneInfo(timezone))
    clock = f"{local:%H:%M} ({timezone})"
    match repeat:
        case Repeat.WEEKLY:
            return _("every {day}, {clock}").format(day=_(WEEKDAYS[local.weekday()]), clock=clock)
        case Repeat.FORTNIGHTLY:
            return _("every other {day}, {clock}").format(day=_(WEEKDAYS[local.weekday()]), clock=clock)
        case Repeat.MONTHLY_WEEKDAY:
            nth = _nth(local.day)
            return _("every {nth} {day} of the month, {clock}").format(
                nth=_(ORDINALS[nth]), day=_(WEEKDAYS[local.weekday()]), clock=clock
            )
        case Repeat.MONTHLY_DATE if local.day > 28:
            return _("on the last day of every month, {clock}").format(clock=clock)
        case Repeat.MONTHLY_DATE:
            return _("on day {day} of every month, {clock}").format(day=local.day, clock=clock)
    return local_time(start, timezone)
