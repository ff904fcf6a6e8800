"""Neutral message -> Block Kit, and Form -> modal. Pure functions, kept within Slack's limits."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from bot.answers import InvalidAnswer, parse_answer, read_datetime
from bot.forms import FieldKind, Form, FormField
from bot.messages import Button, ButtonStyle, Message
from bot.plaintext import render as plain_render
from bot.text import split_lines

MAX_BLOCKS = 50  # per message
MAX_SECTION_TEXT = 3000  # per section text
MAX_FIELDS = 10  # per section
MAX_FIELD_TEXT = 2000
MAX_BUTTONS = 25  # per actions block
MAX_FALLBACK = 3000  # the notification text
BUTTON_SEPARATOR = "#"  # action ids must be unique within a block: "rsvp#0", "rsvp#1"

_ESCAPED = re.compile(r"\\([*_~`\[\]|\\])")


def mrkdwn(text: str) -> str:
    """Portable markdown -> Slack mrkdwn: &, <, > escaped so text cannot mention <!channel> or forge links;
    member text escaped in the core (\\*) is shown literally, with a zero-width space so it pairs with nothing."""
    return _ESCAPED.sub(lambda m: m[1] + "\u200b", inert(text))


def inert(text: str) -> str:
    """&, < and > escaped: Slack reads <!channel>, <!subteam^…>, <@U…> and <https://…|label> in any text it
    formats, the notification text of a message included."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str, limit: int) -> dict[str, Any]:
    text = text.strip() or "·"
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…", "emoji": True}


def _section(text: str) -> list[dict[str, Any]]:
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": part}}
        for part in split_lines(mrkdwn(text), MAX_SECTION_TEXT)
    ]


def _buttons(buttons: tuple[Button, ...]) -> list[dict[str, Any]]:
    blocks = []
    for start in range(0, len(buttons), MAX_BUTTONS):
        elements = []
        for i, button in enumerate(buttons[start : start + MAX_BUTTONS], start):
            element: dict[str, Any] = {
                "type": "button",
                "text": plain(button.label, 75),
                "action_id": f"{button.action_id}{BUTTON_SEPARATOR}{i}",
                "value": button.value[:2000],
            }
            if button.style is not ButtonStyle.DEFAULT:
                element["style"] = button.style.value
            elements.append(element)
        blocks.append({"type": "actions", "elements": elements})
    return blocks


def blocks(message: Message) -> list[dict[str, Any]]:
    out = _section(message.text) if message.text.strip() else []
    for section in message.sections:
        head = f"*{section.title}*\n{section.text}" if section.title else section.text
        if head.strip():
            out.extend(_section(head))
        facts = [f"*{mrkdwn(f.label)}*\n{mrkdwn(f.value)}"[:MAX_FIELD_TEXT] for f in section.facts]
        for start in range(0, len(facts), MAX_FIELDS):
            out.append(
                {
                    "type": "section",
                    "fields": [{"type": "mrkdwn", "text": t} for t in facts[start : start + MAX_FIELDS]],
                }
            )
    if message.buttons:
        out.extend(_buttons(message.buttons))
    if message.footer:
        out.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn(message.footer)[:MAX_SECTION_TEXT]}]}
        )
    return out


def payloads(message: Message) -> list[dict[str, Any]]:
    """One or more chat.postMessage payloads (text + blocks), each within 50 blocks. The text is what
    notifications show: plain, but as inert as the blocks (it is cut before escaping, so no entity is cut)."""
    every = blocks(message)
    fallback = plain_render(message, numbered_buttons=False)
    fallback = fallback if len(fallback) <= MAX_FALLBACK else fallback[: MAX_FALLBACK - 1] + "…"
    parts = [every[i : i + MAX_BLOCKS] for i in range(0, len(every), MAX_BLOCKS)] or [[]]
    return [{"text": inert(fallback if n == 0 else fallback[:150]), "blocks": part} for n, part in enumerate(parts)]


def action_id(slack_action_id: str) -> str:
    """Our action id back from the one made unique for Slack."""
    return slack_action_id.rsplit(BUTTON_SEPARATOR, 1)[0]


# -- forms -------------------------------------------------------------------------------------


def modal(form: Form, metadata: dict[str, Any]) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": form.form_id,
        "title": plain(form.title, 24),
        "submit": plain(form.submit_label, 24),
        "close": plain("Cancel", 24),
        "private_metadata": json.dumps(metadata)[:3000],
        "blocks": [],
    }
    if form.intro:
        view["blocks"].append(
            {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn(form.intro)[:MAX_SECTION_TEXT]}}
        )
    view["blocks"].extend(_input(f) for f in form.fields[: MAX_BLOCKS - 1])
    return view


def _input(field: FormField) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": field.name,
        "optional": not field.required,
        "label": plain(field.label, 2000),
        "element": _element(field),
    }
    if field.help:
        block["hint"] = plain(field.help, 2000)
    return block


def _typed_choice(field: FormField) -> bool:
    """A select with nothing to pick from yet is typed instead (Slack refuses a menu without options)."""
    return field.kind in (FieldKind.SINGLE_SELECT, FieldKind.MULTI_SELECT) and not field.choices


def _element(field: FormField) -> dict[str, Any]:
    options = [{"text": plain(c.label, 75), "value": c.value[:150]} for c in field.choices[:100]]
    initial = field.initial
    element: dict[str, Any]
    match field.kind:
        case _ if _typed_choice(field):
            element = {"type": "plain_text_input", "max_length": min(field.limit, 3000)}
            if initial:
                element["initial_value"] = initial
        case FieldKind.SINGLE_SELECT:
            element = {"type": "static_select", "options": options}
            chosen = [o for o in options if o["value"] == initial]
            if chosen:
                element["initial_option"] = chosen[0]
        case FieldKind.MULTI_SELECT:
            element = {"type": "multi_static_select", "options": options}
        case FieldKind.DATE:
            element = {"type": "datepicker"} | ({"initial_date": initial} if initial else {})
        case FieldKind.TIME:
            element = {"type": "timepicker"} | ({"initial_time": initial} if initial else {})
        case FieldKind.DATETIME:
            element = {"type": "datetimepicker"}
            if initial and (moment := _instant(initial)) is not None:
                element["initial_date_time"] = int(moment.timestamp())
        case _:
            element = {
                "type": "plain_text_input",
                "multiline": field.kind is FieldKind.LONG_TEXT,
                "max_length": min(field.limit, 3000),
            }
            if initial:
                element["initial_value"] = initial
    element["action_id"] = "value"
    return element


def _instant(typed: str) -> datetime | None:
    """A datetime initial value as typed ("2026-03-05 09:00 Africa/Nairobi"), as an instant; None if unreadable."""
    try:
        return read_datetime(parse_answer(FormField("at", "at", FieldKind.DATETIME), typed, "UTC"))
    except InvalidAnswer:
        return None
