"""The one way user-facing text is written: `_()` for gettext lookups, `N_()` to mark text translated later.

Catalogs live in bot/locale (domain "cultivate"), extracted and compiled with Babel (see babel.cfg).
English is the source language, so a missing catalog simply shows the English text.
"""

from __future__ import annotations

import gettext
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "cultivate"
DEFAULT_LOCALE = "en"


@lru_cache(maxsize=16)
def _translations(locale: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[locale], fallback=True)


def _(message: str, locale: str = DEFAULT_LOCALE) -> str:
    """Translate a message now."""
    return _translations(locale).gettext(message)


def ngettext(singular: str, plural: str, n: int, locale: str = DEFAULT_LOCALE) -> str:
    return _translations(locale).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown (help texts registered at import)."""
    return message


def channel_time(moment: datetime, community_zone: str, own_zone: str, locale: str = DEFAULT_LOCALE) -> str:
    """A moment on a card many read: in the community's timezone, then in the zone it was planned in when that
    differs (a card cannot be in each reader's zone; reminders and DMs are)."""
    shown = local_time(moment, community_zone, locale)
    return shown if own_zone == community_zone else f"{shown} — {local_time(moment, own_zone, locale)}"


def local_time(moment: datetime, timezone: str, locale: str = DEFAULT_LOCALE) -> str:
    """A moment as a member reads it: in their timezone, with the zone named — never bare UTC."""
    tz = ZoneInfo(timezone)
    text = format_datetime(moment.astimezone(tz), "EEE d MMM yyyy, HH:mm", tzinfo=tz, locale=locale)
    return f"{text} ({timezone})"
