"""Neutral message -> Teams text or Adaptive Card (schema 1.5), and Form -> a card with Input.* elements.
Pure functions; what members wrote cannot become a mention, a link or a card action."""

from __future__ import annotations

import json
import re
from typing import Any

from adapters.teams.inbound import (
    ACTION,
    DATE_PART,
    FORM,
    KIND,
    OTHER_PART,
    TIME_PART,
    VALUE,
)
from bot.forms import FieldKind, Form, FormField
from bot.i18n import _
from bot.messages import Button, ButtonStyle, Message
from bot.plaintext import render as plain_render
from bot.text import split_lines

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA_VERSION = "1.5"
MAX_CARD_JSON = 24_000  # characters of card JSON: Teams refuses messages over about 28 KB
MAX_ELEMENTS = 100  # body elements per card
MAX_ACTIONS = 6  # Teams shows at most six buttons side by side; more go to further cards
MAX_SUMMARY = 250

# Portable emphasis: *bold* becomes markdown's **bold**; _italic_ and `code` read the same.
_BOLD = re.compile(r"(?<![\\\w*])\*(?=\S)(.+?)(?<=\S)(?<!\\)\*(?![\w*])")
_ESCAPED = re.compile(r"\\([*_~`\[\]|\\])")


def markdown(text: str) -> str:
    """Portable markdown -> Teams markdown. '<' gets a word joiner, so no <at> mention or HTML tag can form;
    escaped member text keeps its backslash for emphasis marks, and brackets get a zero-width space so no link forms.
    Cultivate writes no markdown links of its own, so "](" is broken wherever it comes from (a display name, a
    title a platform gave us): no text can look like a link to somewhere else."""
    text = text.replace("<", "<\u2060").replace("](", "]\u200b(")
    text = _BOLD.sub(r"**\1**", text)
    return _ESCAPED.sub(lambda m: m[1] + "\u200b" if m[1] in "[]|" else "\\" + m[1], text)


def needs_card(message: Message) -> bool:
    return bool(message.sections or message.buttons or message.footer)


def text_activity(message: Message) -> dict[str, Any]:
    """A message that is only text: sent as markdown text, which is lighter than a card."""
    return {"type": "message", "textFormat": "markdown", "text": markdown(message.text).replace("\n", "\n\n")}


def summary(message: Message) -> str:
    text = plain_render(message, numbered_buttons=False).replace("<", "<\u2060").replace("](", "]\u200b(")
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


def activities(message: Message) -> list[dict[str, Any]]:
    """One activity, or several when a long message would not fit one card."""
    if not needs_card(message):
        return [text_activity(message)]
    cards = cards_for(message)
    return [
        {"type": "message", "summary": summary(message) if n == 0 else "", "attachments": [attachment(card)]}
        for n, card in enumerate(cards)
    ]


def attachment(card: dict[str, Any]) -> dict[str, Any]:
    return {"contentType": CARD_TYPE, "content": card}


def card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": SCHEMA_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if actions:
        out["actions"] = actions
    return out


def text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": markdown(text), "wrap": True, **style}


def _elements(message: Message) -> list[dict[str, Any]]:
    body = [text_block(part) for part in split_lines(message.text, 4000)] if message.text.strip() else []
    for section in message.sections:
        group: list[dict[str, Any]] = []
        if section.title:
            group.append(text_block(section.title, weight="Bolder"))
        group += (
            [text_block(part, spacing="Small") for part in split_lines(section.text, 4000)]
            if section.text.strip()
            else []
        )
        if section.facts:
            group.append(
                {
                    "type": "FactSet",
                    "facts": [
                        {"title": markdown(f.label)[:200], "value": markdown(f.value)[:2000]} for f in section.facts
                    ],
                }
            )
        if group:
            group[0]["separator"] = True
            body += group
    if message.footer:
        body.append(text_block(message.footer, isSubtle=True, size="Small"))
    return body


def _size(element: dict[str, Any]) -> int:
    return len(json.dumps(element, ensure_ascii=False).encode())


def button(b: Button) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "Action.Submit",
        "title": b.label[:100],
        "data": {KIND: "action", ACTION: b.action_id, VALUE: b.value[:2000]},
    }
    if b.style is ButtonStyle.PRIMARY:
        action["style"] = "positive"
    elif b.style is ButtonStyle.DANGER:
        action["style"] = "destructive"
    return action


def cards_for(message: Message) -> list[dict[str, Any]]:
    """The message as cards within Teams' size limits; buttons in rows of six, on the last card(s)."""
    bodies: list[list[dict[str, Any]]] = [[]]
    used = 0
    for element in _elements(message):
        if bodies[-1] and (used + _size(element) > MAX_CARD_JSON or len(bodies[-1]) >= MAX_ELEMENTS):
            bodies.append([])
            used = 0
        bodies[-1].append(element)
        used += _size(element)
    actions = [button(b) for b in message.buttons]
    rows = [actions[i : i + MAX_ACTIONS] for i in range(0, len(actions), MAX_ACTIONS)]
    out = [card(body) for body in bodies]
    if rows:
        out[-1]["actions"] = rows[0]
        out += [card([text_block("…", isSubtle=True)], row) for row in rows[1:]]
    return out


# -- forms -------------------------------------------------------------------------------------


def form_card(form: Form, errors: dict[str, str] | None = None, given: dict[str, Any] | None = None) -> dict[str, Any]:
    """A form as a card: required inputs checked by Teams before sending, our own errors shown under each field.
    The form travels in the submit data, so the submission can be read without asking the database."""
    errors, given = errors or {}, given or {}
    body: list[dict[str, Any]] = [text_block(form.title, weight="Bolder", size="Medium")]
    if form.intro:
        body.append(text_block(form.intro))
    if errors:
        body.append(text_block(_("Please check the fields marked below."), color="Attention"))
    for f in form.fields:
        body += _inputs(f, given.get(f.name))
        if f.help:
            body.append(text_block(f.help, isSubtle=True, size="Small", spacing="None"))
        if f.name in errors:
            body.append(text_block(errors[f.name], color="Attention", spacing="None"))
    submit = {
        "type": "Action.Submit",
        "title": form.submit_label[:100],
        "style": "positive",
        "data": {KIND: "form", FORM: json.loads(json.dumps(form.to_json()))},
    }
    return card(body, [submit])


def done_card(form: Form, note: str) -> dict[str, Any]:
    """What a form card becomes once accepted: no inputs left to send twice."""
    return card([text_block(form.title, weight="Bolder", size="Medium"), text_block(note, isSubtle=True)])


def _inputs(f: FormField, given: Any) -> list[dict[str, Any]]:
    initial = given if given not in (None, "", []) else f.initial
    base: dict[str, Any] = {"id": f.name, "label": f.label[:200], "isRequired": f.required}
    if f.required:
        base["errorMessage"] = _("This one is required.")
    choices = [{"title": c.label[:200], "value": c.value} for c in f.choices[:100]]
    match f.kind:
        case FieldKind.SINGLE_SELECT:
            element = base | {"type": "Input.ChoiceSet", "style": "compact", "choices": choices}
        case FieldKind.MULTI_SELECT:
            element = base | {"type": "Input.ChoiceSet", "isMultiSelect": True, "choices": choices}
            if isinstance(initial, list):
                initial = ",".join(str(v) for v in initial)
            if f.allow_other:
                other = {
                    "type": "Input.Text",
                    "id": f.name + OTHER_PART,
                    "label": _("Other (separate with commas)"),
                    "maxLength": f.limit,
                }
                return [element | ({"value": str(initial)} if initial else {}), other]
        case FieldKind.DATE:
            element = base | {"type": "Input.Date"}
        case FieldKind.TIME:
            element = base | {"type": "Input.Time"}
        case FieldKind.DATETIME:
            day = {"type": "Input.Date", "id": f.name + DATE_PART, "label": f.label[:200], "isRequired": f.required}
            clock = {"type": "Input.Time", "id": f.name + TIME_PART, "isRequired": f.required}
            if f.required:
                day["errorMessage"] = clock["errorMessage"] = _("This one is required.")
            return [day, clock]
        case _:
            element = base | {
                "type": "Input.Text",
                "isMultiline": f.kind is FieldKind.LONG_TEXT,
                "maxLength": min(f.limit, 3000),
            }
    if initial:
        element["value"] = str(initial)
    return [element]
