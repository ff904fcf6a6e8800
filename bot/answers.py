"""Reading a member's typed answer to one form field: numbers for choices, dates, times, limits."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from bot.forms import FieldKind, Form, FormField
from bot.i18n import _, current_locale, supported
from bot.text import is_web_address


class InvalidAnswer(ValueError):
    """The answer cannot be used; the message says why, in words the member understands."""


def parse_answer(field: FormField, text: str, timezone: str, now: datetime | None = None) -> Any:
    """Turn raw text into the field's JSON-friendly value, or raise InvalidAnswer with the reason.

    `now` anchors relative dates ("tomorrow 14:00"); the system clock when not given."""
    text = text.strip()
    if not text:
        raise InvalidAnswer(_("This one is required."))
    if field.kind is FieldKind.NUMBER:  # a number's trouble is never its length
        return _number(field, text)
    if len(text) > field.limit:
        raise InvalidAnswer(
            _("Please keep it under {limit} characters (this is {n}).").format(limit=field.limit, n=len(text))
        )
    match field.kind:
        case FieldKind.SHORT_TEXT | FieldKind.LONG_TEXT:
            return text
        case FieldKind.WEB_ADDRESS:
            if not is_web_address(text):
                raise InvalidAnswer(_("A link starts with https:// — for example https://example.org/page"))
            return text
        case FieldKind.TIMEZONE:
            return timezone_named(text)
        case FieldKind.SINGLE_SELECT:
            return _pick(field, text)
        case FieldKind.MULTI_SELECT:
            parts = [p for p in re.split(r"[,;]+|\s+(?=\d)", text) if p.strip()]
            picked: list[str] = []
            for part in parts:
                value = _pick(field, part.strip())
                if value not in picked:
                    picked.append(value)
            return picked
        case FieldKind.DATE:
            day = day_in_words(text, timezone, now)
            today = (now or datetime.now(UTC)).astimezone(ZoneInfo(timezone)).date()
            if field.future and day < today:
                raise InvalidAnswer(
                    _("{day} has already passed; choose today or a later day.").format(day=f"{day:%a %-d %b %Y}")
                )
            return day.isoformat()
        case FieldKind.TIME:
            return _time(text).strftime("%H:%M")
        case FieldKind.DATETIME:
            moment = _datetime(text, timezone, now)
            if field.future and moment <= (now or datetime.now(UTC)):
                raise InvalidAnswer(
                    _("That is in the past ({when}); choose a time ahead.").format(
                        when=f"{moment:%a %-d %b %Y, %H:%M} ({moment.tzinfo})"
                    )
                )
            # The zone's name travels with the offset (RFC 9557 style), so "Africa/Nairobi" is not lost to "+03:00".
            return f"{moment.isoformat()}[{moment.tzinfo}]"
    raise InvalidAnswer(_("I cannot read that."))


def moment_in_words(text: str, timezone: str, now: datetime | None = None) -> datetime:
    """A date and time as typed — "2026-03-10 14:00", "tomorrow 14:00 Africa/Nairobi" — read in `timezone`;
    raises InvalidAnswer with the reason."""
    text = text.strip()
    if not text:
        raise InvalidAnswer(_("Say when: a date and a time of day, like “tomorrow 14:00”."))
    return _datetime(text, timezone, now)


def _pick(field: FormField, text: str) -> str:
    if text.isdigit() and not field.choices:
        raise InvalidAnswer(_("There is nothing to choose from yet: write it in words."))
    if text.isdigit():
        n = int(text)
        if 1 <= n <= len(field.choices):
            return field.choices[n - 1].value
        if len(field.choices) == 1:
            raise InvalidAnswer(_("There is one choice: answer 1."))
        raise InvalidAnswer(_("Choose a number from 1 to {n}.").format(n=len(field.choices)))
    lowered = text.casefold()
    for choice in field.choices:
        if lowered in (choice.value.casefold(), choice.label.casefold()):
            return choice.value
    if field.allow_other:
        return text
    raise InvalidAnswer(_("Choose one of the numbers listed."))


_NUMBER = re.compile(r"[+-]?\d{1,15}(?:\.\d{1,6})?")


def _number(field: FormField, text: str) -> int | float:
    """A finite number in the field's range: 1,500 and 8.5 are read; 1e309, nan, words and signs out of range are
    refused with the range said."""
    typed = text.replace(",", "").replace(" ", "").replace("\u00a0", "")
    low, high = field.minimum, field.maximum
    if low is not None and high is not None:
        wanted = _("a number from {low:g} to {high:g}").format(low=low, high=high)
    elif low is not None:
        wanted = _("a number of at least {low:g}").format(low=low)
    else:
        wanted = _("a number")
    if not _NUMBER.fullmatch(typed):
        raise InvalidAnswer(_("Only {wanted} here, in digits, like 8.").format(wanted=wanted))
    value = float(typed)
    if not field.decimals and not value.is_integer():
        raise InvalidAnswer(_("Only a whole number here, like 8."))
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidAnswer(_("Only {wanted} here.").format(wanted=wanted))
    return int(value) if value.is_integer() and not field.decimals else value


def timezone_named(text: str) -> str:
    """The IANA zone a member means: "Africa/Nairobi", "africa/nairobi", or a city that names one ("Nairobi",
    "sao paulo"); raises InvalidAnswer when none (or more than one) fits."""
    typed = "_".join(text.split()).casefold()
    zones, cities = _zones()
    if typed in zones:
        return zones[typed]
    found = cities.get(typed.rsplit("/", 1)[-1], [])
    if len({zone.split("/")[0] for zone in found}) == 1:
        # One region, several names: old aliases (America/Buenos_Aires) beside the full name, which is the longest.
        return max(found, key=len)
    if found:
        raise InvalidAnswer(
            _("{city} is in more than one timezone: {zones}. Which one?").format(
                city=text.strip()[:60], zones=", ".join(sorted(found))
            )
        )
    raise InvalidAnswer(
        _("I don't know the timezone “{tz}”; write a city like Nairobi or a zone like Africa/Nairobi.").format(
            tz=text.strip()[:60]
        )
    )


@cache
def _zones() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Zone names by their casefolded form, and the zones of each city (the part after the last /)."""
    zones: dict[str, str] = {}
    cities: dict[str, list[str]] = {}
    for zone in available_timezones():
        zones[zone.casefold()] = zone
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/")):
            cities.setdefault(zone.rsplit("/", 1)[1].casefold(), []).append(zone)
    return zones, cities


# Days outside these years are typing slips (or tests of the limits), not plans.
MIN_YEAR, MAX_YEAR = 1900, 2999


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise InvalidAnswer(_("{day} is not a day on the calendar.").format(day=text)) from None
        raise InvalidAnswer(_("Write the date as YYYY-MM-DD, for example 2026-03-14.")) from None


def _time(text: str) -> time:
    m = re.fullmatch(r"(\d{1,2})[:h.](\d{2})", text)
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise InvalidAnswer(_("Write the time as HH:MM on a 24-hour clock, for example 14:30."))
    return time(int(m[1]), int(m[2]))


_ZONE = r"(?:\s+([A-Za-z_]+/[A-Za-z_/+-]+|UTC))?"
_CLOCK = re.compile(
    r"\b\d{1,2}(?:[:h.]\d{2})?\s*(?:am|pm)\b|\b\d{1,2}[:h.]\d{2}\b|\b\d{1,2}h\b"
    r"|\bnoon\b|\bmidnight\b|\bmidi\b|\bminuit\b|\bmeio-dia\b|\bmeia-noite\b",
    re.IGNORECASE,
)
# "15h" and "14h30", as French and Portuguese write the hour: dateparser would read "15" as a day of the month.
_HOUR_H = re.compile(r"\b(\d{1,2})h(\d{2})?\b", re.IGNORECASE)
# "next Tuesday" said in French or Portuguese: the future is preferred anyway, and dateparser does not know these.
_NEXT = re.compile(r"\b(?:prochaine?|próxim[ao]s?|que vem)\b", re.IGNORECASE)


def reader_languages() -> list[str]:
    """The languages dates are read in: the reader's, then English (what examples and help show)."""
    language = (supported(current_locale()) or "en").split("_")[0]
    return list(dict.fromkeys([language, "en"]))


def _words_for_dateparser(words: str) -> str:
    words = _HOUR_H.sub(lambda m: f"{m[1]}:{m[2] or '00'}", words)
    return " ".join(_NEXT.sub(" ", words).split())


def _zone(name: str | None, timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or timezone)
    except (KeyError, ValueError):
        raise InvalidAnswer(
            _("I do not know the timezone {tz}; try a name like Africa/Nairobi.").format(tz=name)
        ) from None


def _datetime(text: str, timezone: str, now: datetime | None) -> datetime:
    if re.fullmatch(r"@\d{9,11}", text):  # an instant picked on a platform's date-time picker
        return datetime.fromtimestamp(int(text[1:]), ZoneInfo(timezone))
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T](\S+)" + _ZONE, text)
    if m:
        day, clock = _date(m[1]), _time(m[2])
        return datetime.combine(day, clock, tzinfo=_zone(m[3], timezone))
    return _natural(text, timezone, now)


def _natural(text: str, timezone: str, now: datetime | None) -> datetime:
    """Words people write — "tomorrow 14:00", "next Tuesday 9am", "5 March 10:00 Africa/Nairobi" — read with
    dateparser in the member's zone, days before months, the future preferred."""
    m = re.fullmatch(r"(.+?)" + _ZONE, text)
    words, tz = (m[1], _zone(m[2], timezone)) if m else (text, _zone(None, timezone))
    example = _(
        "Write the date and time as YYYY-MM-DD HH:MM, for example 2026-03-14 14:30, or in words like "
        "“tomorrow 14:00” or “next Tuesday 9:00” (your timezone: {tz})."
    ).format(tz=timezone)
    if not _CLOCK.search(words):
        # "Add the time of day" only when the words name a day; otherwise nothing was understood, and we say so.
        try:
            day_in_words(words, str(tz), now)
        except InvalidAnswer:
            raise InvalidAnswer(_("I cannot read “{words}” as a date. ").format(words=words[:60]) + example) from None
        raise InvalidAnswer(_("Add the time of day. ") + example)
    import dateparser  # loaded on first use: it is large, and most answers are not dates

    base = (now or datetime.now(UTC)).astimezone(tz).replace(tzinfo=None)
    parsed = dateparser.parse(
        _words_for_dateparser(words),
        languages=reader_languages(),
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if not isinstance(parsed, datetime):
        raise InvalidAnswer(example)
    return parsed.replace(second=0, microsecond=0, tzinfo=tz)


def day_in_words(text: str, timezone: str, now: datetime | None = None) -> date:
    """A day as typed — "2026-03-20", "20 March", "Friday", "in two weeks" — read in `timezone`, the future preferred;
    raises InvalidAnswer with the reason."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return _date(text)
    if not re.search(r"[^\W\d_]", text):
        # Digits alone ("27/02/2026", "03.04") are read differently in different countries: only YYYY-MM-DD is.
        raise InvalidAnswer(_("Write the day as YYYY-MM-DD, or in words like “20 March” or “next Friday”."))
    import dateparser  # loaded on first use, as in _natural

    base = (now or datetime.now(UTC)).astimezone(_zone(None, timezone)).replace(tzinfo=None)
    parsed = dateparser.parse(
        _words_for_dateparser(text),
        languages=reader_languages(),
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "DATE_ORDER": "DMY"},
    )
    if not isinstance(parsed, datetime):
        raise InvalidAnswer(_("Write the day as YYYY-MM-DD, or in words like “20 March” or “next Friday”."))
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise InvalidAnswer(_("{year} is too far off; choose a day nearer.").format(year=parsed.year))
    return parsed.date()


def read_datetime(value: str) -> datetime:
    """An ISO datetime, with its zone's name in brackets when it has one: 2026-03-10T14:00:00+03:00[Africa/Nairobi]."""
    base, _sep, zone = value.partition("[")
    moment = datetime.fromisoformat(base)
    if not zone:
        return moment
    tz = ZoneInfo(zone.rstrip("]"))
    # Keep the wall-clock time as typed (so clock_note can still tell a skipped or doubled hour), with the fold
    # that gives the stored offset.
    for fold in (0, 1):
        local = moment.replace(tzinfo=tz, fold=fold)
        if local.utcoffset() == moment.utcoffset():
            return local
    return moment.astimezone(tz)


def typed_values(form: Form, raw: dict[str, Any]) -> dict[str, Any]:
    """Stored JSON values -> Python values for the handler (dates and datetimes as objects)."""
    out: dict[str, Any] = {}
    for f in form.fields:
        value = raw.get(f.name)
        if value is None:
            out[f.name] = [] if f.kind is FieldKind.MULTI_SELECT else None
        elif f.kind is FieldKind.DATE:
            out[f.name] = date.fromisoformat(value)
        elif f.kind is FieldKind.TIME:
            out[f.name] = time.fromisoformat(value)
        elif f.kind is FieldKind.DATETIME:
            out[f.name] = read_datetime(value)
        else:
            out[f.name] = value
    return out


def check_submission(
    form: Form, raw: dict[str, Any], timezone: str, now: datetime | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate a whole native-form submission: (JSON values, errors by field)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in form.fields:
        given = raw.get(f.name)
        if given in (None, "", []):
            if f.required:
                errors[f.name] = _("This one is required.")
            values[f.name] = None
            continue
        try:
            if isinstance(given, list):
                values[f.name] = [
                    parse_answer(f, str(g), timezone, now) if f.kind is not FieldKind.MULTI_SELECT else _pick(f, str(g))
                    for g in given
                ]
            else:
                values[f.name] = parse_answer(f, str(given), timezone, now)
        except InvalidAnswer as e:
            errors[f.name] = str(e)
    return values, errors


def clock_note(moment: datetime) -> str | None:
    """Say so when a wall-clock time is ambiguous or skipped in its zone (a daylight-saving change), and which
    instant was taken; None when the time is plain."""
    if moment.tzinfo is None:
        return None
    first, second = moment.replace(fold=0), moment.replace(fold=1)
    if first.utcoffset() != second.utcoffset():
        taken = moment.astimezone(UTC).astimezone(moment.tzinfo)
        if taken.replace(tzinfo=None) != moment.replace(tzinfo=None):  # a skipped hour: the clocks jumped over it
            return _("{time} does not exist on {day} in {zone} (the clocks change); I took {taken}.").format(
                time=moment.strftime("%H:%M"),
                day=moment.strftime("%Y-%m-%d"),
                zone=moment.tzinfo,
                taken=taken.strftime("%H:%M %Z"),
            )
        return _("{time} happens twice on {day} in {zone} (the clocks change); I took the first, {taken}.").format(
            time=moment.strftime("%H:%M"),
            day=moment.strftime("%Y-%m-%d"),
            zone=moment.tzinfo,
            taken=first.strftime("%H:%M %Z (UTC%z)"),
        )
    return None
