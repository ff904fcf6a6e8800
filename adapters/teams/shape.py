"""Whether botbuilder can read an activity at all. It deserializes the request's JSON into its Activity model
before anything else (authentication included), and a field of the wrong type there ends in a 500 with a
traceback; such a request is refused with a 400 first."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity


def unreadable(raw: dict[str, Any]) -> str | None:
    """Why botbuilder could not read this activity (one short line), or None when it can."""
    try:
        Activity().deserialize(raw)
    except (ValueError, TypeError, AttributeError, KeyError) as e:  # msrest's DeserializationError is a ValueError
        return f"the activity cannot be read ({type(e).__name__})"
    return None
