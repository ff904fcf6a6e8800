"""The one way user-facing text is written: `_()` for gettext lookups, `N_()` to mark text translated later.

Catalogues live in bot/locale/<lang>/LC_MESSAGES/cultivate.po (domain "cultivate"), extracted with Babel (see
babel.cfg and the README). English is the source language, so a missing catalogue simply shows the English text.

Text is written for one reader at a time: `_()` and `ngettext()` translate into the *current reader's* language, a
context variable the dispatcher sets to the caller's language for the whole of their command, and that handlers
change for a while (`with reading(locale):`, or `ctx.language_of(member)` / `ctx.community_language()`) where they
write for someone else — a direct message to an expert, a card in the community's channel.

The .mo files gettext reads are compiled from the .po files on first use into a cache directory (named by the
.po's content, so a changed catalogue is compiled anew), never committed nor edited by hand.
"""

from __future__ import annotations

import gettext
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_timezone_location
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "cultivate"
DEFAULT_LOCALE = "en"

# The language of whoever will read the text being written now.
_reader: ContextVar[str] = ContextVar("cultivate_reader_locale", default=DEFAULT_LOCALE)


def current_locale() -> str:
    return _reader.get()


@contextmanager
def reading(locale: str | None) -> Iterator[str]:
    """Write for a reader of `locale` inside the block (None: keep the current reader)."""
    if not locale:
        yield _reader.get()
        return
    token = _reader.set(locale)
    try:
        yield locale
    finally:
        _reader.reset(token)


def set_reader(locale: str) -> None:
    """Set the reader for the rest of this task (the dispatcher, once it knows who is speaking)."""
    _reader.set(locale)


# -- catalogues ---------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...]:
    """Every language Cultivate speaks: English and each catalogue under bot/locale."""
    found = sorted(p.parents[1].name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (DEFAULT_LOCALE, *(lang for lang in found if lang != DEFAULT_LOCALE))


def supported(locale: str | None) -> str | None:
    """The language we have for a locale as platforms write it ("fr-FR", "pt_BR", "PT"), or None: the exact
    catalogue if there is one, else its language's ("pt_BR" → "pt")."""
    if not locale:
        return None
    code = locale.strip().replace("-", "_")
    if not code:
        return None
    language, _sep, region = code.partition("_")
    candidates = [f"{language.lower()}_{region.upper()}" if region else language.lower(), language.lower()]
    languages = available_languages()
    return next((c for c in candidates if c in languages), None)


def _cache_dir() -> Path:
    configured = os.environ.get("CULTIVATE_LOCALE_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cultivate" / "locale"


def compiled(language: str) -> Path | None:
    """The .mo file for `language`, compiled from its .po when missing or older than it; None without a .po."""
    po = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return None
    built = po.with_suffix(".mo")  # compiled by a package build (pybabel compile), when it is up to date
    if built.exists() and built.stat().st_mtime >= po.stat().st_mtime:
        return built
    # Named by the catalogue's content: two installs (or versions) on one machine never read each other's.
    version = hashlib.sha256(po.read_bytes()).hexdigest()[:16]
    for cache in (_cache_dir(), Path(tempfile.gettempdir()) / f"cultivate-locale-{os.getuid()}"):
        mo = cache / version / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        try:
            if not mo.exists():
                _compile(po, mo)
            return mo
        except OSError as e:  # a read-only home: try the next place
            log.warning("cannot write the compiled catalogue %s: %s", mo, e)
    return None


def _compile(po: Path, mo: Path) -> None:
    with po.open("rb") as f:
        catalog = read_po(f, locale=po.parents[1].name, domain=DOMAIN)
    mo.parent.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed into place, so two processes starting at once never read half a file.
    fd, partial = tempfile.mkstemp(dir=mo.parent, suffix=".part")
    with os.fdopen(fd, "wb") as out:
        write_mo(out, catalog)  # fuzzy entries are left out, as msgfmt does
    Path(partial).replace(mo)


def compile_all() -> list[str]:
    """Compile every catalogue now (at start); returns the languages ready."""
    return [lang for lang in available_languages() if lang == DEFAULT_LOCALE or compiled(lang) is not None]


@lru_cache(maxsize=16)
def _translations(locale: str) -> gettext.NullTranslations:
    language = supported(locale)
    mo = compiled(language) if language and language != DEFAULT_LOCALE else None
    if mo is None:
        return gettext.NullTranslations()
    with mo.open("rb") as f:
        return gettext.GNUTranslations(f)


def reload_catalogues() -> None:
    """Forget loaded catalogues (tests that write one)."""
    _translations.cache_clear()
    available_languages.cache_clear()


# -- writing ------------------------------------------------------------------------------------------------------
def _(message: str, locale: str | None = None) -> str:
    """Translate a message now, for the current reader (or `locale`)."""
    return _translations(locale or _reader.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int, locale: str | None = None) -> str:
    """The form of a sentence for `n` things, by the reader's language's plural rules."""
    return _translations(locale or _reader.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown (help texts registered at import)."""
    return message


def babel_locale(locale: str | None = None) -> str:
    """The reader's locale for Babel's formats (dates, numbers, lists)."""
    return supported(locale or _reader.get()) or DEFAULT_LOCALE


def zone_name(timezone: str, locale: str | None = None) -> str:
    """A timezone as the reader names it: its IANA name in English (what members type back), the place in words
    in other languages ("heure : Kenya")."""
    lang = babel_locale(locale)
    if lang == DEFAULT_LOCALE or timezone in ("UTC", "Etc/UTC"):
        return timezone
    return get_timezone_location(ZoneInfo(timezone), locale=lang)


def channel_time(moment: datetime, community_zone: str, own_zone: str, locale: str | None = None) -> str:
    """A moment on a card many read: in the community's timezone, then in the zone it was planned in when that
    differs (a card cannot be in each reader's zone; reminders and DMs are)."""
    shown = local_time(moment, community_zone, locale)
    return shown if own_zone == community_zone else f"{shown} — {local_time(moment, own_zone, locale)}"


def local_time(moment: datetime, timezone: str, locale: str | None = None) -> str:
    """A moment as a member reads it: in their timezone and language, with the zone named — never bare UTC."""
    tz = ZoneInfo(timezone)
    lang = babel_locale(locale)
    text = format_datetime(moment.astimezone(tz), "EEE d MMM yyyy, HH:mm", tzinfo=tz, locale=lang)
    return f"{text} ({zone_name(timezone, lang)})"


def number(n: float, locale: str | None = None) -> str:
    """A number written the reader's way (1,234.5 / 1 234,5)."""
    return format_decimal(n, locale=babel_locale(locale))


def listing(items: Sequence[str], locale: str | None = None) -> str:
    """Words joined as the reader's language does ("a, b and c" / "a, b et c")."""
    return format_list(list(items), locale=babel_locale(locale)) if items else ""
