"""Neutral message -> Yammer plain text: buttons become numbered replies; long text is split. Pure functions."""

from __future__ import annotations

from bot import plaintext
from bot.i18n import _
from bot.messages import Message
from bot.text import split_lines

# Yammer takes long bodies, but a compact post reads better on a phone on a slow line; longer ones are split.
MAX_BODY = 4000


def bodies(message: Message) -> list[str]:
    """The message as one or more post bodies, in order; the numbered choices come last."""
    text = plaintext.render(message, numbered_buttons=False)
    if message.buttons:
        choices = [_("Reply {n} to {label}").format(n=1, label=message.buttons[0].label)]
        choices += [_("{n} to {label}").format(n=n, label=b.label) for n, b in enumerate(message.buttons[1:], 2)]
        text = f"{text}\n{' · '.join(choices)}"
    return [part.strip() or "·" for part in split_lines(inert(text), MAX_BODY) or [""]]


def inert(text: str) -> str:
    """Yammer turns [[user:1]] and [[tag:2]] in a body into mentions and topics: break the brackets apart."""
    return text.replace("[[", "[\u200b[").replace("]]", "]\u200b]")
