"""The shape Bolt takes for granted in a payload before any of our code sees it. Bolt indexes what Slack documents
(`actions[0]["action_id"]`, `"id" in team`, `view["callback_id"]`) while building a request's context and matching
listeners; a signed payload of another shape would fail inside Bolt with a 500 and a traceback. It is refused first.
"""

from __future__ import annotations

from typing import Any

# Fields Bolt reads ids from as `x` (a string) or `x["id"]` (an object), wherever it looks for them.
_ID_HOLDERS = ("enterprise", "team", "user", "channel")
# Objects Bolt descends into, looking for the same fields.
_NESTED = ("message", "previous_message", "item", "assistant_thread")
# Fields Bolt matches listeners on with == or a pattern.
_TEXT = ("type", "command", "callback_id")


def unreadable(body: dict[str, Any]) -> str | None:
    """Why Bolt could not read this payload, or None when it can."""
    problem = _ids(body, depth=0)
    if problem:
        return problem
    for key in _TEXT:
        if key in body and not isinstance(body[key], str):
            return f"{key} is not text"
    event = body.get("event")
    if "event" in body and not (isinstance(event, dict) and isinstance(event.get("type"), str)):
        return "event is not an event"
    view = body.get("view")
    # Bolt reads view["type"] of any view with a callback_id (to tell workflow steps apart).
    if "view" in body and not (
        isinstance(view, dict) and isinstance(view.get("type"), str) and _text_or_absent(view, "callback_id")
    ):
        return "view is not a view"
    if "actions" in body and not _actions(body["actions"]):
        return "actions name no action"
    urls = body.get("response_urls")
    if "response_urls" in body and not (
        isinstance(urls, list) and all(isinstance(u, dict) and isinstance(u.get("response_url"), str) for u in urls)
    ):
        return "response_urls are not addresses"
    return None


def _ids(payload: dict[str, Any], depth: int) -> str | None:
    if depth > 3:  # Bolt descends at most event -> message; deeper is no concern of its
        return None
    for key in _ID_HOLDERS:
        if not isinstance(payload.get(key), str | dict | None):
            return f"{key} is neither an id nor an object"
    authorizations = payload.get("authorizations")
    if "authorizations" in payload and not (
        isinstance(authorizations, list) and all(isinstance(a, dict) for a in authorizations)
    ):
        return "authorizations are not objects"
    inner = [payload[k] for k in ("event", *_NESTED) if isinstance(payload.get(k), dict)]
    inner += authorizations[:1] if isinstance(authorizations, list) else []
    return next((p for p in (_ids(i, depth + 1) for i in inner) if p), None)


def _actions(actions: Any) -> bool:
    return (
        isinstance(actions, list)
        and bool(actions)
        and all(isinstance(a, dict) for a in actions)
        and isinstance(actions[0].get("action_id"), str)
        and bool(actions[0]["action_id"])
        and _text_or_absent(actions[0], "block_id")
    )


def _text_or_absent(payload: dict[str, Any], key: str) -> bool:
    return key not in payload or isinstance(payload[key], str)
