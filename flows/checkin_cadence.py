"""When a check-in's call comes round, read from words like a webinar series ("first Tuesday of every month, 10:00
Africa/Nairobi") into a recurrence rule (RFC 5545, read with dateutil), and said back in words."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from dateutil.rrule import rrulestr

from bot.answers import InvalidAnswer
from bot.i18n import _, ngettext
from flows.webinar_series import ORDINALS, WEEKDAYS

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAYS = {
    **{
        name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    },
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1}
_CLOCK = re.compile(r"\b(\d{1,2})(?:[:h.](\d{2}))?\s*(am|pm)?\b")
_ZONE = re.compile(r"\b([A-Za-z_]+/[A-Za-z_/+-]+|utc)\b", re.IGNORECASE)
_SPAN = re.compile(r"^(\d{1,3})\s*(h|hours?|d|days?|w|weeks?)$")
# The shortest gap between two calls, by kind of rule: the lead time must leave room to ask before the agenda.
_PERIOD = {"WEEKLY": timedelta(days=7), "FORTNIGHTLY": timedelta(days=14), "MONTHLY": timedelta(days=28)}


@dataclass(frozen=True)
class Cadence:
    """A rule such as "FREQ=MONTHLY;BYDAY=+1TU;BYHOUR=10;BYMINUTE=0", its zone, and its first call."""

    rule: str
    timezone: str
    anchor: datetime

    @property
    def period(self) -> timedelta:
        parts = _parts(self.rule)
        kind = "FORTNIGHTLY" if parts.get("INTERVAL") == "2" else parts["FREQ"]
        return _PERIOD[kind]


def examples() -> str:
    return _(
        "Try “first Tuesday of every month 10:00”, “every Monday 9:00”, “every other Thursday 14:00” or “day 8 of "
        "every month 10:00”; a timezone such as Africa/Nairobi may follow."
    )


def read(text: str, timezone: str, now: datetime) -> Cadence:
    """A cadence typed in words, read in `timezone` unless it names one; raises InvalidAnswer saying why not."""
    words = " ".join(text.replace(",", " ").replace("(", " ").replace(")", " ").split())
    zone_match = _ZONE.search(words)
    zone = timezone
    if zone_match:
        zone = _zone_named(zone_match[1])
        words = words[: zone_match.start()] + words[zone_match.end() :]
    lowered = words.casefold()
    clock_of_day = _clock(lowered)
    if clock_of_day is not None:
        lowered = clock_of_day[2]
    tokens = re.findall(r"[a-z0-9]+", lowered)
    day = next((_DAYS[t.removesuffix("s")] for t in tokens if t.removesuffix("s") in _DAYS), None)
    nth = next((_NTH[t] for t in tokens if t in _NTH), None)
    monthly = any(t.startswith("month") for t in tokens)
    other = "other" in tokens or any(t.startswith("fortnight") for t in tokens) or _pair(tokens, ("two", "2"), "weeks")
    date = _day_of_month(tokens)
    if day is not None and nth is not None:
        rule = f"FREQ=MONTHLY;BYDAY={nth:+d}{CODES[day]}"
    elif day is not None and not monthly:
        rule = f"FREQ=WEEKLY;{'INTERVAL=2;' if other else ''}BYDAY={CODES[day]}"
    elif date is not None and monthly:
        rule = f"FREQ=MONTHLY;BYMONTHDAY={date}"
    else:
        raise InvalidAnswer(_("I cannot read that as a cadence.") + " " + examples())
    if clock_of_day is None:
        raise InvalidAnswer(_("Add the time of the call, like 10:00.") + " " + examples())
    rule += f";BYHOUR={clock_of_day[0]};BYMINUTE={clock_of_day[1]};BYSECOND=0"
    tz = ZoneInfo(zone)
    local_now = now.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0)
    first = rrulestr(rule, dtstart=local_now).after(local_now)
    if first is None:  # pragma: no cover - every rule above recurs forever
        raise InvalidAnswer(examples())
    return Cadence(rule, zone, first.replace(tzinfo=tz))


def next_call(cadence: Cadence, after: datetime) -> datetime:
    """The first call strictly after `after`, at the rule's wall-clock time in its zone (kept across DST)."""
    tz = ZoneInfo(cadence.timezone)
    start = cadence.anchor.astimezone(tz).replace(tzinfo=None)
    local_after = after.astimezone(tz).replace(tzinfo=None)
    found = rrulestr(cadence.rule, dtstart=start).after(max(local_after, start - timedelta(seconds=1)))
    assert found is not None
    return found.replace(tzinfo=tz)


def describe(cadence: Cadence) -> str:
    """The rule in words, e.g. "every first Tuesday of the month, 10:00 (Africa/Nairobi)"; read back by `read`."""
    parts = _parts(cadence.rule)
    clock = f"{int(parts['BYHOUR']):02d}:{int(parts['BYMINUTE']):02d} ({cadence.timezone})"
    if "BYMONTHDAY" in parts:
        return _("on day {day} of every month, {clock}").format(day=parts["BYMONTHDAY"], clock=clock)
    by_day = parts["BYDAY"]
    day = _(WEEKDAYS[CODES.index(by_day[-2:])])
    if parts["FREQ"] == "MONTHLY":
        return _("every {nth} {day} of the month, {clock}").format(
            nth=_(ORDINALS[int(by_day[:-2])]), day=day, clock=clock
        )
    if parts.get("INTERVAL") == "2":
        return _("every other {day}, {clock}").format(day=day, clock=clock)
    return _("every {day}, {clock}").format(day=day, clock=clock)


def read_span(text: str) -> timedelta:
    """A lead time typed as "2 days", "36 hours", "1 week", "2d"; raises InvalidAnswer."""
    m = _SPAN.match(" ".join(text.casefold().split()))
    if not m:
        raise InvalidAnswer(_("Say how long before the call, like “2 days” or “36 hours”."))
    unit = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}[m[2][0]]
    return int(m[1]) * unit


def say_span(span: timedelta) -> str:
    hours = int(span.total_seconds() // 3600)
    if hours % 24:
        return ngettext("{n} hour", "{n} hours", hours).format(n=hours)
    return ngettext("{n} day", "{n} days", hours // 24).format(n=hours // 24)


def _parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.split(";"))


def _clock(text: str) -> tuple[int, int, str] | None:
    """The time of day in the text (10:00, 9am, 2.30pm, noon) and the text without it; None if it has none."""
    if re.search(r"\bnoon\b", text):
        return 12, 0, re.sub(r"\bnoon\b", " ", text)
    for m in _CLOCK.finditer(text):
        if m[2] is None and m[3] is None:
            continue  # a bare number is a day of the month, not a time
        hour, minute = int(m[1]), int(m[2] or 0)
        if m[3] == "pm" and hour < 12:
            hour += 12
        elif m[3] == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            raise InvalidAnswer(_("Write the time as HH:MM on a 24-hour clock, for example 14:30."))
        return hour, minute, text[: m.start()] + " " + text[m.end() :]
    return None


def _day_of_month(tokens: list[str]) -> int | None:
    for i, token in enumerate(tokens):
        m = re.fullmatch(r"(\d{1,2})(st|nd|rd|th)?", token)
        if m and (m[2] or (i > 0 and tokens[i - 1] == "day")):
            day = int(m[1])
            if not 1 <= day <= 28:
                raise InvalidAnswer(
                    _("Choose a day from 1 to 28, so that every month has it (or a weekday: “last Friday”).")
                )
            return day
    return None


def _pair(tokens: list[str], first: tuple[str, ...], second: str) -> bool:
    return any(a in first and b == second for a, b in itertools.pairwise(tokens))


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {zone.casefold(): zone for zone in available_timezones()} | {"utc": "UTC"}


def _zone_named(name: str) -> str:
    zone = _zones().get(name.casefold())
    if zone is None:
        raise InvalidAnswer(_("I do not know the timezone {tz}; try a name like Africa/Nairobi.").format(tz=name))
    return zone
