"""Which language a member reads: the one they chose (/cop language, or the introduction form), else their
platform's (Slack's user locale, a Teams activity's, Yammer's where it tells), else their community's, else English.
Only languages Cultivate has a catalogue for count; a platform locale we cannot speak falls through."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

from bot.i18n import DEFAULT_LOCALE, supported
from storage.models import Community, Member


def language_for(member: Member | None, community: Community | None) -> str:
    """The language to write to `member` in (for a channel, pass no member: the community's)."""
    if member is not None:
        for wanted in (member.language, member.platform_locale):
            found = supported(wanted)
            if found:
                return found
    if community is not None:
        found = supported(community.language)
        if found:
            return found
    return DEFAULT_LOCALE


def community_language(community: Community | None) -> str:
    return language_for(None, community)


def language_name(code: str) -> str:
    """A language in its own words ("français", "português"): what its speakers look for in a list."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]
