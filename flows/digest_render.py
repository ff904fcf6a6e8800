"""A digest in words: plain and short first (under 3,000 characters of plain text, links to the rest), one
neutral message that each platform renders natively — Slack blocks, a Teams card, plain text elsewhere."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot import plaintext
from bot.i18n import _, local_time, ngettext
from bot.messages import Button, ButtonStyle, Message, Section
from bot.text import content, shorten
from flows.digest_compose import SECTIONS, Digest
from flows.peer_assist_cards import OFFER
from flows.webinar_cards import RSVP
from storage.models import Consent, Webinar

LIMIT = 3000  # plain characters: readable on a phone, on a slow line
MARGIN = 150  # readers' zones and languages change a few words; the cut leaves room for them
BUTTONS = 5  # RSVPs and offers of help, the first of each


def fit(digest: Digest, timezone: str, locale: str, limit: int = LIMIT) -> Digest:
    """A copy of the digest cut, longest section first, until its plain text fits `limit` less a margin."""
    cut = copy.copy(digest)
    for name in ("newcomers", "closed", "held", "coming", "resolved", "open", "stories", "library", "thanks"):
        setattr(cut, name, list(getattr(digest, name)))
    while len(plain(cut, timezone, locale)) > limit - MARGIN:
        longest = max(SECTIONS, key=lambda s: len(cut.items(s)))
        if not cut.items(longest):
            cut.note = shorten(cut.note, max(0, len(cut.note) - 200))
            if not cut.note:
                break
            continue
        cut.keep(longest, len(cut.items(longest)) - 1)
    return cut


def plain(digest: Digest, timezone: str, locale: str) -> str:
    return plaintext.render(render(digest, timezone, locale))


def render(digest: Digest, timezone: str, locale: str, *, unsubscribe: str = "") -> Message:
    """The digest for a reader in `timezone` and `locale` (the channel copy: the community's)."""
    t = _Words(locale, timezone)
    sections: list[Section] = []
    if digest.note:
        sections.append(Section(content(digest.note), title=_("📌 A note from the coordinators", locale)))
    if digest.newcomers:
        sections.append(
            Section(_lines(_newcomer(n.name, n.profile) for n in digest.newcomers), title=_("👋 New members", locale))
        )
    if digest.closed:
        sections.append(
            Section(
                _lines(
                    f"*{content(c.topic)}*: {content(shorten(c.summary, 200))}" + (f" {c.url}" if c.url else "")
                    for c in digest.closed
                ),
                title=_("💬 Discussions closed", locale),
            )
        )
    if digest.held:
        sections.append(
            Section(_lines(_held(t, w, links) for w, links in digest.held), title=_("🎥 Webinars held", locale))
        )
    if digest.coming:
        sections.append(
            Section(
                _lines(f"#{w.id} *{content(w.title)}* — {t.when(w.starts_at)}" for w in digest.coming),
                title=_("📅 Coming up", locale),
            )
        )
    if digest.resolved:
        sections.append(
            Section(
                _lines(
                    f"{content(shorten(r.question, 120))} — "
                    + _("what worked: {what}", locale).format(what=content(shorten(r.what_worked or "", 160)))
                    for r in digest.resolved
                ),
                title=_("✅ Requests resolved", locale),
            )
        )
    if digest.open:
        sections.append(
            Section(
                _lines(
                    f"#{r.id} {content(shorten(r.question, 140))} ({content(digest.names.get(r.asker_id, '?'))})"
                    for r in digest.open
                ),
                title=_("🙋 Can you help?", locale),
            )
        )
    if digest.stories:
        sections.append(
            Section(
                _lines(
                    _("{who}: {outcome}", locale).format(
                        who=content(digest.names.get(s.teller_id, "?"))
                        if s.consent != Consent.PUBLIC_ANONYMOUS
                        else _("A member", locale),
                        outcome=content(shorten(s.outcome, 200)),
                    )
                    for s in digest.stories
                ),
                title=_("🌟 Stories", locale),
            )
        )
    if digest.library:
        sections.append(
            Section(
                _lines(f"{content(shorten(i.title, 120))}" + (f" {i.url}" if i.url else "") for i in digest.library),
                title=_("📚 New in the library", locale),
            )
        )
    if digest.thanks:
        sections.append(
            Section(
                _lines(
                    _("{by} thanked *{who}*: {why}", locale).format(
                        by=content(digest.names.get(r.by_id or 0, _("a member", locale))),
                        who=content(digest.names.get(r.member_id, "?")),
                        why=content(shorten(r.reason, 120)),
                    )
                    for r in digest.thanks
                ),
                title=_("🙏 Thanks", locale),
            )
        )
    if digest.figures is not None:
        f = digest.figures
        sections.append(
            Section(
                " · ".join(
                    (
                        ngettext("{n} active member", "{n} active members", f.active, locale).format(n=f.active),
                        ngettext("{n} newcomer", "{n} newcomers", f.newcomers, locale).format(n=f.newcomers),
                        ngettext("{n} request resolved", "{n} requests resolved", f.resolved, locale).format(
                            n=f.resolved
                        ),
                    )
                ),
                title=_("📈 In figures", locale),
            )
        )
    buttons = [
        Button(
            _("Going: {title}", locale).format(title=shorten(w.title, 40)), RSVP, f"{w.id}:going", ButtonStyle.PRIMARY
        )
        for w in digest.coming
    ][:BUTTONS]
    buttons += [Button(_("I can help with #{id}", locale).format(id=r.id), OFFER, str(r.id)) for r in digest.open][
        :BUTTONS
    ]
    more = _("More: /cop library recent · /cop webinar list · /cop asks", locale)
    if unsubscribe:
        more += "\n" + _("Stop these emails: {link}", locale).format(link=unsubscribe)
    quiet = not sections
    return Message(
        _("📰 *{name}* — what happened {since} – {until}", locale).format(
            name=content(digest.name), since=t.day(digest.since), until=t.day(digest.until)
        )
        + ("\n" + _("A quiet period: nothing new to tell this time.", locale) if quiet else ""),
        sections=tuple(sections),
        buttons=tuple(buttons),
        footer=more,
        unsubscribe=unsubscribe,
    )


class _Words:
    """Text in one reader's language, times in their zone."""

    def __init__(self, locale: str, timezone: str) -> None:
        self.locale = locale
        self.timezone = timezone

    def when(self, moment: datetime) -> str:
        return local_time(moment, self.timezone, self.locale)

    def day(self, moment: datetime) -> str:
        return format_date(moment.astimezone(ZoneInfo(self.timezone)).date(), "d MMM yyyy", locale=self.locale)


def _lines(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _newcomer(name: str, profile: dict[str, object]) -> str:
    said = [str(profile[k]) for k in ("role", "location") if profile.get(k)]
    expertise = profile.get("expertise")
    if isinstance(expertise, list) and expertise:
        said.append(", ".join(str(e) for e in expertise))
    elif expertise:
        said.append(str(expertise))
    line = f"*{content(name)}*"
    return line + (f" — {content(shorten(' · '.join(said), 140))}" if said else "")


def _held(t: _Words, webinar: Webinar, links: list[str]) -> str:
    locale = t.locale
    parts = [f"*{content(webinar.title)}* ({t.day(webinar.starts_at)})"]
    if webinar.recording_url:
        parts.append(_("recording: {url}", locale).format(url=webinar.recording_url))
    if links:
        parts.append(_("slides: {url}", locale).format(url=" ".join(links[:2])))
    return " — ".join(parts)
