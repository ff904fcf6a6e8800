"""Whether an activity has the shape every SDK can read. Both deserialize the request's JSON into their own models
before anything else, and a field of the wrong type there ends in a 500 (and, with the Agents SDK, a long log
line); such a request is refused with a 400 first, the same whichever SDK is in use."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlparse

_TEXT = ("id", "text", "serviceUrl", "channelId", "locale", "name", "replyToId", "textFormat", "timestamp", "summary")
_ACCOUNTS = ("from", "recipient", "conversation")
_LISTS = ("entities", "attachments", "membersAdded", "membersRemoved")


def unreadable(raw: dict[str, Any]) -> str | None:
    """Why an SDK could not read this activity (one short line), or None when it can."""
    if not isinstance(raw.get("type"), str) or not raw["type"]:
        return "the activity has no type"
    for key in _TEXT:
        if key in raw and raw[key] is not None and not isinstance(raw[key], str):
            return f"its {key} is not text"
    for key in _ACCOUNTS:
        account = raw.get(key)
        if account is None:
            continue
        if not isinstance(account, dict):
            return f"its {key} is not an object"
        if key != "conversation" and not isinstance(account.get("id"), str):
            return f"its {key} has no id"
        for field in ("id", "name", "aadObjectId", "tenantId", "conversationType"):
            if field in account and account[field] is not None and not isinstance(account[field], str):
                return f"its {key}.{field} is not text"
    for key in _LISTS:
        items = raw.get(key)
        if items is not None and (not isinstance(items, list) or not all(isinstance(i, dict) for i in items)):
            return f"its {key} is not a list of objects"
    stamp = raw.get("timestamp")
    if isinstance(stamp, str) and not _moment(stamp):
        return "its timestamp is not a moment"
    if "channelData" in raw and raw["channelData"] is not None and not isinstance(raw["channelData"], dict):
        return "its channelData is not an object"
    address = raw.get("serviceUrl")
    if isinstance(address, str) and not _absolute(address):
        return "its serviceUrl is not an address"
    return None


def _absolute(address: str) -> bool:
    try:
        parsed = urlparse(address)
        _ = parsed.port  # a port that is not a number raises here
    except ValueError:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.hostname)


def _moment(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True
