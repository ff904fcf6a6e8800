"""Reading platform payloads as what they may be, not what they should be: every getter returns the expected
shape or an empty one, text is cleaned (`bot.text.clean`), ids and names are bounded. Each adapter's inbound
translation reads its payloads through these, so a hostile field becomes a quiet "not for us", never a traceback."""

from __future__ import annotations

import functools
import math
import re
import zoneinfo
from typing import Any

from bot.text import clean

# Platform ids are kept in columns of 128 characters (identity, channel); real ones are far shorter, so a longer one
# is refused rather than cut (cut, two ids could become one).
MAX_ID = 128
MAX_NAME = 200  # what the member table keeps of a display name
MAX_ZONE = 64


def obj(value: Any, *path: str) -> dict[str, Any]:
    """The object at value[path[0]][path[1]]…, or {} when any step is missing or not an object."""
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def objects(value: Any, key: str) -> list[dict[str, Any]]:
    """The objects in the list at value[key]; anything else in it is skipped."""
    found = value.get(key) if isinstance(value, dict) else None
    return [v for v in found if isinstance(v, dict)] if isinstance(found, list) else []


def text(value: Any, key: str) -> str:
    """A text field, cleaned; "" when it is missing or not text (numbers are read as text)."""
    found = value.get(key) if isinstance(value, dict) else None
    if isinstance(found, str):
        return clean(found)
    if isinstance(found, int | float) and not isinstance(found, bool):
        return str(found)
    return ""


def ident(value: Any, key: str, limit: int = MAX_ID) -> str | None:
    """A platform id (text or a whole number), or None when it is missing, empty or longer than `limit`."""
    found = value.get(key) if isinstance(value, dict) else None
    if isinstance(found, int) and not isinstance(found, bool):
        found = str(found)
    if not isinstance(found, str):
        return None
    found = clean(found).strip()
    return found if 0 < len(found) <= limit else None


def name(value: Any, key: str) -> str:
    """A display name: cleaned, on one line, within what we keep."""
    return " ".join(text(value, key).split())[:MAX_NAME]


def flag(value: Any, key: str, default: bool = False) -> bool:
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, bool) else default


def whole(value: Any) -> int | None:
    """A whole number given as a number or as digits (not a bool, not NaN or infinite), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if isinstance(value, str) and value.isascii() and value.strip().lstrip("-").isdigit() and len(value) < 20:
        return int(value)
    return None


def zone(value: Any) -> str | None:
    """A timezone name we can use (IANA, as the platform tells it), else None."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ZONE:
        return None
    return value if value in _zones() else None


def locale(value: Any) -> str | None:
    """A locale as a platform writes it ("fr-FR", "pt_BR", "en"), else None: letters, a separator, letters."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,2}", value):
        return None
    return value[:16]


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())
