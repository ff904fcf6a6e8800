"""What a member is told after two of their accounts became one: what was settled, and how."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.context import Context
from bot.i18n import N_, _
from bot.messages import Message, Section
from bot.text import content, shorten
from storage import communities, webinars
from storage.member_merge import MergeReport
from storage.models import Member
from storage.reconcile import Conflict

PLATFORM_NAMES = {
    "slack": N_("Slack"),
    "teams": N_("Microsoft Teams"),
    "yammer": N_("Yammer"),
    "console": N_("console"),
    "email": N_("email"),
}
PROFILE_FIELDS = {
    "name": N_("name"),
    "role": N_("role"),
    "organisation": N_("organisation"),
    "location": N_("location"),
    "expertise": N_("expertise"),
    "offer": N_("what you offer"),
    "learn": N_("what you want to learn"),
    "link": N_("link"),
}
MAX_LISTED = 15


def platform_name(platform: str) -> str:
    known = PLATFORM_NAMES.get(platform)
    return _(known) if known else content(platform[:30])


async def describe_merge(ctx: Context, member: Member, report: MergeReport, platforms: list[str]) -> Message:
    """Linked: the accounts, and each disagreement with the answer kept (the more recent one)."""
    lines = [await _conflict_line(ctx, member, c) for c in report.conflicts]
    for p in report.profile_conflicts:
        field = _(PROFILE_FIELDS[p.key]) if p.key in PROFILE_FIELDS else content(p.key[:40])
        lines.append(
            _("- Your profile's {field}: kept “{kept}” (the more recent answer), not “{dropped}”.").format(
                field=field, kept=_value(p.kept), dropped=_value(p.dropped)
            )
        )
    linked = ", ".join(platform_name(p) for p in dict.fromkeys(i.platform for i in member.identities))
    sections = [Section(_("Your accounts now: {platforms}.").format(platforms=linked))]
    if lines:
        shown = lines[:MAX_LISTED]
        if len(lines) > MAX_LISTED:
            shown.append(_("- and {n} more, settled the same way.").format(n=len(lines) - MAX_LISTED))
        sections.append(Section("\n".join(shown), title=_("Where your two accounts disagreed")))
    else:
        sections.append(Section(_("Nothing disagreed: everything from both accounts is kept.")))
    others = ", ".join(platform_name(p) for p in platforms)
    return Message(
        _("Linked: your account here and your {platforms} account are one.").format(platforms=others),
        sections=tuple(sections),
        footer=_("Undo with `/cop unlink <platform>`. Choose where my messages reach you: `/cop reach me on …`."),
    )


async def _conflict_line(ctx: Context, member: Member, conflict: Conflict) -> str:
    key = conflict.key
    if conflict.table == "rsvp":
        webinar = await webinars.by_id(ctx.db, key["webinar_id"])
        title = content(webinar.title) if webinar else "?"
        return _("- Webinar *{title}*: kept your more recent answer “{kept}”, not “{dropped}”.").format(
            title=title, kept=_answer(conflict.kept["answer"]), dropped=_answer(conflict.dropped["answer"])
        )
    community = await communities.by_id(ctx.db, key["community_id"]) if "community_id" in key else None
    where = content(community.name) if community else "?"
    if conflict.table == "directory_entry":
        return _("- Your directory entry in *{community}*: kept the more recently updated one.").format(community=where)
    if conflict.table == "introduction":
        when = conflict.kept.get("introduced_at")
        moment = ctx.when(when, ctx.zone_of(member)) if isinstance(when, datetime) else "?"
        return _("- You had introduced yourself twice in *{community}*: kept the more recent one ({when}).").format(
            community=where, when=moment
        )
    return _("- {what}: kept the more recent answer.").format(what=content(conflict.table))


def _answer(value: Any) -> str:
    names = {"going": N_("going"), "maybe": N_("maybe"), "no": N_("not going")}
    return _(names[value]) if value in names else content(str(value))


def _value(value: Any) -> str:
    return content(shorten(str(value), 80))
