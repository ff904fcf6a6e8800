"""A member's own settings: their timezone, so every time they read is their local time, and their language."""

from __future__ import annotations

import difflib
from functools import lru_cache
from zoneinfo import available_timezones

from bot.context import MemberContext
from bot.errors import UsageError
from bot.i18n import N_, _, available_languages, reading, supported
from bot.languages import language_name
from bot.registry import Routine
from bot.text import content

routine = Routine("preferences")


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """Zone names by their lower-case form ('africa/nairobi' -> 'Africa/Nairobi')."""
    return {zone.casefold(): zone for zone in available_timezones()}


def zone_named(text: str) -> str | None:
    """The zone name as the database knows it ("africa/nairobi" -> "Africa/Nairobi"), or None."""
    return _zones().get(text.strip().replace(" ", "_").casefold())


@routine.command(
    "timezone",
    usage=N_("timezone [Area/City]"),
    help=N_("See or set your timezone"),
    example="timezone Africa/Nairobi",
    role=None,
)
async def timezone(ctx: MemberContext, text: str) -> None:
    wanted = text.strip().replace(" ", "_")
    if not wanted:
        await ctx.reply(
            _("Your timezone is {zone}; it is {now} for you. Change it with `/cop timezone Area/City`.").format(
                zone=ctx.timezone, now=ctx.when(ctx.now)
            )
        )
        return
    zone = _zones().get(wanted.casefold())
    if zone is None:
        close = difflib.get_close_matches(wanted.casefold(), list(_zones()), n=3, cutoff=0.6)
        hint = (
            _("Did you mean {names}?").format(names=", ".join(_zones()[c] for c in close))
            if close
            else _("Timezones are written Area/City, like Africa/Nairobi or America/Sao_Paulo.")
        )
        raise UsageError(_("I don't know the timezone “{zone}”. {hint}").format(zone=content(wanted[:60]), hint=hint))
    ctx.member.timezone = zone
    await ctx.reply(
        _("Done: your timezone is now {zone}; it is {now} for you.").format(zone=zone, now=ctx.when(ctx.now, zone))
    )


def language_named(text: str) -> str | None:
    """A language Cultivate speaks, by code ("fr", "pt-BR") or by its own name ("français", "Português")."""
    wanted = text.strip().casefold()
    by_name = {language_name(code).casefold(): code for code in available_languages()}
    return by_name.get(wanted) or supported(wanted)


@routine.command(
    "language",
    usage=N_("language [code|auto]"),
    help=N_("See or choose the language I write to you in"),
    example="language fr",
    role=None,
)
async def language(ctx: MemberContext, text: str) -> None:
    choices = " | ".join(f"`{code}` {language_name(code)}" for code in available_languages())
    if not text.strip():
        await ctx.reply(
            _("I write to you in {language}. Choose another with `/cop language <code>`: {choices}.").format(
                language=language_name(ctx.language(ctx.member)), choices=choices
            )
        )
        return
    if text.strip().casefold() == "auto":
        ctx.member.language = None  # back to the platform's language, else the community's
        with reading(ctx.language(ctx.member)):
            await ctx.reply(
                _("Done: I will write to you in your platform's language, else the community's: {language}.").format(
                    language=language_name(ctx.language(ctx.member))
                )
            )
        return
    chosen = language_named(text)
    if chosen is None:
        raise UsageError(
            _("I don't speak “{language}” yet. Choose one of: {choices}.").format(
                language=content(text.strip()[:40]), choices=choices
            )
        )
    ctx.member.language = chosen
    with reading(chosen):  # the answer already in the new language
        await ctx.reply(
            _("Done: I will write to you in {language}. Posts in the community's channels stay in {community}.").format(
                language=language_name(chosen), community=language_name(ctx.language(None))
            )
        )
