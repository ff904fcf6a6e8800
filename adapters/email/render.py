"""Neutral message -> a multipart email: plain text first, simple HTML beside it; no images, no tracking."""

from __future__ import annotations

import html
import re
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from bot import plaintext
from bot.messages import Message
from bot.text import unescape

SUBJECT_MAX = 120
_LINK = re.compile(r"https?://[^\s<>\"]+")
_BOLD = re.compile(r"(?<![\\\w])\*(?=\S)(.+?)(?<=\S)(?<!\\)\*(?!\w)")


def subject(message: Message) -> str:
    first = plaintext.plain(unescape(message.text)).strip().splitlines() or [""]
    text = first[0].strip()
    return text if len(text) <= SUBJECT_MAX else text[: SUBJECT_MAX - 1] + "…"


def text_part(message: Message) -> str:
    """The plain part: what the console shows, without numbered buttons (mail has none)."""
    return plaintext.render(message, numbered_buttons=False)


def html_part(message: Message) -> str:
    """Simple HTML: headings, paragraphs and lists; every character of content escaped, links made clickable."""
    out = ['<!doctype html><html><body style="font-family:sans-serif;max-width:40em">']
    out.append(f"<p>{_inline(message.text)}</p>")
    for section in message.sections:
        if section.title:
            out.append(f"<h3>{_inline(section.title)}</h3>")
        items = [line[2:] for line in section.text.splitlines() if line.startswith("- ")]
        if items and len(items) == len(section.text.splitlines()):
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
        elif section.text:
            out.append("<p>" + "<br>".join(_inline(line) for line in section.text.splitlines()) + "</p>")
        for fact in section.facts:
            out.append(f"<p><b>{_inline(fact.label)}</b>: {_inline(fact.value)}</p>")
    if message.footer:
        out.append(
            "<hr><p><small>" + "<br>".join(_inline(line) for line in message.footer.splitlines()) + "</small></p>"
        )
    out.append("</body></html>")
    return "\n".join(out)


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=True)
    escaped = _BOLD.sub(r"<b>\1</b>", escaped)
    escaped = unescape(escaped)
    return _LINK.sub(lambda m: f'<a href="{m[0]}">{m[0]}</a>', escaped)


def email(message: Message, *, to: str, sender: str, now: datetime) -> EmailMessage:
    """The whole message, headers included; `List-Unsubscribe` (RFC 2369) with one-click POST (RFC 8058) when the
    message carries an unsubscribe link."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject(message)
    mail["Date"] = format_datetime(now)
    domain = sender.rpartition("@")[2].strip("> ") or "cultivate.invalid"
    mail["Message-ID"] = make_msgid(domain=domain)
    mail["Auto-Submitted"] = "auto-generated"
    if message.unsubscribe:
        mail["List-Unsubscribe"] = f"<{message.unsubscribe}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(text_part(message))
    mail.add_alternative(html_part(message), subtype="html")
    return mail
