"""Neutral message -> plain text, for platforms without rich layout (console, Yammer)."""

from __future__ import annotations

import re

from bot.messages import Message
from bot.text import unescape

# Markers of the portable subset that are not escaped: *bold*, _italic_, `code`.
_EMPHASIS = re.compile(r"(?<![\\\w])([*_`])(?=\S)(.+?)(?<=\S)(?<!\\)\1(?!\w)")


def render(message: Message, *, numbered_buttons: bool = True) -> str:
    """Readable text: lead, sections with 'Label: value' facts, numbered buttons, then the footer."""
    parts = [message.text]
    for section in message.sections:
        lines = []
        if section.title:
            lines.append(section.title)
        if section.text:
            lines.append(section.text)
        lines.extend(f"{fact.label}: {fact.value}" for fact in section.facts)
        parts.append("\n".join(lines))
    if message.buttons and numbered_buttons:
        parts.append("   ".join(f"[{i}] {b.label}" for i, b in enumerate(message.buttons, 1)))
    if message.footer:
        parts.append(message.footer)
    return unescape(plain("\n".join(p for p in parts if p)))


def plain(text: str) -> str:
    """Drop emphasis markers: a screen reader should not read out asterisks."""
    return _EMPHASIS.sub(r"\2", text)
