"""Every member in their own language: /cop language, the platform's and the community's language, channel posts in
the community's language and direct messages in the reader's, dates read and written in it, and whole console
sessions in French and in Portuguese with no English left over."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LOCALE_DIR, _, local_time, ngettext
from storage import members
from tests.harness import ConsoleBot

QUESTION = "Comment garder les dashboards à jour ?"


def _blocks(out: str) -> list[str]:
    """What the console printed, message by message: a header line indented by two spaces, then its lines."""
    return re.split(r"\n(?=  \S)", "\n" + out)


def said_to(out: str, who: str) -> str:
    """What the bot wrote in direct messages to `who` (the console names the reader in the message's language)."""
    return "\n".join(b for b in _blocks(out) if "#" not in b.split("\n", 1)[0] and f" {who} [m" in b.split("\n", 1)[0])


def in_channel(out: str) -> str:
    """What the bot posted in channels (and their threads) or updated there."""
    return "\n".join(b for b in _blocks(out) if b.strip() and " #general" in b.split("\n", 1)[0].split("[m")[0])


def fragments(text: str) -> list[str]:
    """The literal parts of a source text that a reader would see: between placeholders and markup."""
    literal = "".join(lit for lit, *_rest in string.Formatter().parse(text.replace("{{", "(").replace("}}", ")")))
    parts = re.split(r"\{[^}]*\}|[*`“”\n]|https?://\S+|/cop [a-z-]+", literal)
    return [p.strip(" .,:;—-()!?") for p in parts if len(p.split()) >= 3]


@cache
def _catalogue(language: str) -> dict[str, list[str]]:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "cultivate.po").open("rb") as f:
        catalogue = read_po(f)
    found: dict[str, list[str]] = {}
    for m in catalogue:
        if m.id:
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            forms = list(m.string) if isinstance(m.string, tuple) else [m.string]
            for source in ids:
                found[str(source)] = [str(f) for f in forms]
    return found


# The console's own controls ("(console) It is now …") and what was typed ("Ada> …") are the operator's.
_CHROME = re.compile(r"^\s*(?:\(console\).*|\S+> .*)$", re.MULTILINE)


def english_leaks(transcript: str, language: str) -> list[str]:
    """English source text left in a transcript that should be in `language`: every template text's literal
    phrases (three words or more) that appear, unless the translation says the very same."""
    transcript = _CHROME.sub("", transcript)
    with (LOCALE_DIR / "cultivate.pot").open("rb") as f:
        template = read_po(f)
    translations = _catalogue(language)
    leaks = []
    for message in template:
        for source in message.id if isinstance(message.id, tuple) else (message.id,):
            if not source:
                continue
            translated = " ".join(translations.get(str(source), []))
            leaks += [p for p in fragments(str(source)) if p in transcript and p not in translated]
    return sorted(set(leaks))


async def whole_session(bot: ConsoleBot, language: str) -> str:
    """A community in `language`: Baraka introduces himself, Amina asks for help and Baraka offers it, Ada
    announces a webinar Baraka will attend, and the day before he is reminded."""
    await bot.say("Ada", f"/cop community edit language {language}")  # answered in English, before the change
    out = [await bot.say("Baraka", "/cop join")]
    out.append(await bot.say("Baraka", "1"))  # the welcome's "Introduce myself"
    for answer in ("keep", "Ingénieur de données", "Maputo", "Africa/Maputo", "skip", "dashboards", "skip"):
        out.append(await bot.say("Baraka", answer))
    out.append(await bot.say("Baraka", "Grafana"))
    out.append(await bot.say("Baraka", "skip"))
    out.append(await bot.say("Amina", "/cop join"))
    out.append(await bot.say("Amina", "/cop intro skip"))
    out.append(await bot.say("Amina", f"/cop ask {QUESTION}"))
    out.append(await bot.say("Baraka", "1"))  # "I can help", in his DM
    out.append(await bot.say("Ada", "/cop webinar add"))
    when = {"fr": "mardi 10 mars à 14h", "pt": "10 de março às 14:00"}[language]
    for answer in ("Tableaux de bord", "Baraka", "skip", when, "keep", "https://meet.example.org/tb", "skip", "skip"):
        out.append(await bot.say("Ada", answer))
    card = next(s for s in reversed(bot.adapter.shown) if s.buttons and s.buttons[0].action_id == "webinar.rsvp")
    bot.adapter.shown.append(card)
    out.append(await bot.say("Baraka", "1"))  # going
    out.append(await bot.wait(datetime(2026, 3, 9, 15, 0, tzinfo=UTC) - bot.clock.now()))  # a day before
    out.append(await bot.say("Baraka", "/cop help"))
    return "\n".join(out)


@pytest.mark.parametrize("language", ["fr", "pt"])
async def test_a_whole_session_runs_in_the_communitys_language_with_no_english_left(
    bot: ConsoleBot, language: str
) -> None:
    out = await whole_session(bot, language)
    assert "Traceback" not in out
    to_baraka, to_amina, channel = said_to(out, "Baraka"), said_to(out, "Amina"), in_channel(out)
    # The introduction, the request, the offer, the webinar and its reminder all happened, in the language.
    assert head(_("👋 Please welcome *{name}*", language)) in channel
    assert head(_("Thank you! Your introduction is posted in *{name}*.", language)) in to_baraka
    assert head(_("{name} can help with your request #{id}: “{question}”. Reply in the request's thread.", language))
    assert "Baraka" in to_amina and QUESTION in to_amina
    assert _("{name} offered to help.", language).format(name="Baraka") in channel
    reminder = _("⏰ In {left}: *{title}* starts {when}.\nJoin: {link}", language)
    assert reminder.startswith("⏰") and head(reminder.split("*{title}*")[1]) in to_baraka
    assert local_time(datetime(2026, 3, 10, 14, 0, tzinfo=UTC), "Africa/Maputo", language) in to_baraka
    assert _("What you can do here", language) in out
    assert english_leaks(out, language) == []


def head(text: str) -> str:
    """The first literal words of a translated text, up to its first placeholder or markup."""
    return re.split(r"\{[^}]*\}|\*", text)[0].strip() or text


async def test_channel_posts_in_portuguese_while_a_members_direct_messages_are_in_french(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop community edit language pt")
    joined = await bot.say("Baraka", "/cop join")
    # No language of his own yet: the community's.
    assert _("Introduce myself", "pt") in said_to(joined, "Baraka")
    chose = await bot.say("Baraka", "/cop language fr")
    assert "Français" in chose
    out = await bot.say("Baraka", "/cop intro")
    for answer in ("keep", "skip", "skip", "keep", "skip", "dashboards", "skip", "Grafana", "skip"):
        out += "\n" + await bot.say("Baraka", answer)
    welcome = _("👋 Please welcome *{name}*", "pt").format(name="Baraka").replace("*", "")
    assert welcome in in_channel(out)
    assert _("How should we call you?", "fr") in said_to(out, "Baraka")
    assert _("Thank you! Your introduction is posted in *{name}*.", "fr").split("*")[0] in out
    # Amina reads the community's language; Baraka's offer reaches her in Portuguese, his thanks come in French.
    await bot.say("Amina", "/cop join")
    asked = await bot.say("Amina", f"/cop ask {QUESTION}")
    expert = said_to(asked, "Baraka")
    assert _("I can help", "fr") in expert and _("I can help", "pt") not in expert
    assert _("I can help", "pt") in in_channel(asked)
    offered = await bot.say("Baraka", "1")
    can_help = "{name} can help with your request #{id}: “{question}”. Reply in the request's thread."
    assert _(can_help, "pt").format(name="Baraka", id=1, question=QUESTION) in said_to(offered, "Amina")
    assert _("{name} offered to help.", "pt").format(name="Baraka") in in_channel(offered)
    thanked = _("Thank you! {name} has been told; answers go in the request's thread.", "fr")
    assert thanked.format(name="Amina") in offered


async def test_language_shows_and_changes_the_members_language(bot: ConsoleBot) -> None:
    shown = await bot.say("Amina", "/cop language")
    assert "English" in shown and "fr Français" in shown and "pt Português" in shown
    assert "I don't speak “klingon” yet" in await bot.say("Amina", "/cop language klingon")
    await bot.say("Amina", "/cop language português")
    helped = await bot.say("Amina", "/cop help")
    assert _("What you can do{where}:", "pt").format(where="")[:12] in helped
    assert _("What you can do here", "pt") in await bot.say("Amina", "/cop ajuda")
    assert _("What you can do here", "pt") in await bot.say("Amina", "/cop aide")
    async with bot.runtime.services.sessions() as db:
        member = await members.by_identity(db, "console", "local", "amina")
        assert member is not None and member.language == "pt"
    assert "English" in await bot.say("Amina", "/cop language auto")  # the community's, again
    async with bot.runtime.services.sessions() as db:
        member = await members.by_identity(db, "console", "local", "amina")
        assert member is not None and member.language is None


async def test_the_introduction_asks_the_language_and_answers_in_it(bot: ConsoleBot) -> None:
    await bot.say("Baraka", "/cop join")
    out = await bot.say("Baraka", "/cop intro")
    for answer in ("keep", "skip", "skip", "keep"):
        out = await bot.say("Baraka", answer)
    assert "Which language should I write to you in?" in out and "Français" in out
    for answer in ("Français", "skip", "skip", "skip", "skip"):
        out = await bot.say("Baraka", answer)
    assert _("Thank you! Your introduction is posted in *{name}*.", "fr").split("*")[0] in out
    assert "Please welcome Baraka" in out  # the community writes in English


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("fr", "demain à 14h", datetime(2026, 3, 3, 14, 0)),
        ("fr", "vendredi 15h", datetime(2026, 3, 6, 15, 0)),
        ("fr", "mardi prochain 9h30", datetime(2026, 3, 3, 9, 30)),
        ("pt", "amanhã às 14:00", datetime(2026, 3, 3, 14, 0)),
        ("pt", "sexta-feira às 15h", datetime(2026, 3, 6, 15, 0)),
        ("pt", "10 de março às 9:00", datetime(2026, 3, 10, 9, 0)),
        ("en", "tomorrow 14:00", datetime(2026, 3, 3, 14, 0)),
    ],
)
async def test_dates_are_read_in_the_members_language_and_read_back_in_it(
    bot: ConsoleBot, language: str, typed: str, expected: datetime
) -> None:
    await bot.say("Ada", f"/cop language {language}")
    await bot.say("Ada", "/cop timezone Africa/Maputo")
    await bot.say("Ada", "/cop webinar add")
    out = ""
    for answer in ("Dates", "Ada", "skip", typed):
        out = await bot.say("Ada", answer)
    zone = "Africa/Maputo"
    moment = expected.replace(tzinfo=ZoneInfo(zone))
    read_back = local_time(moment, zone, language)
    assert read_back in out, out
    if language != "en":
        assert "(Africa/Maputo)" not in read_back  # the zone named in the reader's words


def test_plural_sentences_choose_their_form_by_the_languages_rule() -> None:
    one, many = "A round has started: {n} member asked.", "A round has started: {n} members asked."
    assert [ngettext(one, many, n, "en").format(n=n) for n in (0, 1, 2, 5)] == [
        "A round has started: 0 members asked.",
        "A round has started: 1 member asked.",
        "A round has started: 2 members asked.",
        "A round has started: 5 members asked.",
    ]
