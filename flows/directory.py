"""The member directory: who knows about a topic, and a member's profile."""

from __future__ import annotations

from bot.context import Context, MemberContext
from bot.errors import Answer, UsageError
from bot.i18n import N_, _, ngettext
from bot.messages import Button, Fact, Message, Section
from bot.registry import Routine
from bot.text import content, shorten
from storage import directory, members, recognition
from storage.models import Member

routine = Routine("directory")
PAGE = 5
MORE = "directory.more"


@routine.command(
    "who", usage=N_("who <topic>"), help=N_("Find members who know about a topic"), example="who dashboards"
)
async def who(ctx: MemberContext, text: str) -> None:
    if not directory.words(text):
        raise UsageError(_("Say which topic you are looking for."))
    await _page(ctx, text.strip(), 0)


@routine.action(MORE)
async def more(ctx: MemberContext, value: str) -> None:
    offset, _sep, topic = value.partition("|")
    await _page(ctx, topic, int(offset) if offset.isdigit() and len(offset) < 7 else 0)


async def _page(ctx: MemberContext, topic: str, offset: int) -> None:
    community = ctx.community
    found = await directory.search(ctx.db, community.id, topic, limit=PAGE + 1, offset=offset)
    if not found:
        raise Answer(
            _("Nobody in *{name}* lists “{topic}” yet. Try a broader word, or ask the community with /cop ask.").format(
                name=community.name, topic=content(shorten(topic, 60))
            )
        )
    lines = []
    people = await members.by_ids(ctx.db, [m.member_id for m in found[:PAGE]])  # one query, not one per match
    for match in found[:PAGE]:
        member = people.get(match.member_id)
        if member is None:
            continue
        lines.append(
            _("- *{name}* — knows {expertise}{offer}").format(
                name=content(member.called),
                expertise=content(match.expertise or "—"),
                offer=_("; offers {offer}").format(offer=content(shorten(match.offer, 80))) if match.offer else "",
            )
        )
    buttons = (Button(_("More"), MORE, f"{offset + PAGE}|{topic[:150]}"),) if len(found) > PAGE else ()
    await ctx.reply(
        Message(
            _("Members who know about “{topic}”:").format(topic=content(shorten(topic, 60))),
            sections=(Section("\n".join(lines)),),
            buttons=buttons,
            footer=_("See someone's profile: /cop profile <name>"),
        )
    )


@routine.command(
    "profile",
    usage=N_("profile [member]"),
    help=N_("Show a member's profile (yours by default)"),
    example="profile Baraka",
)
async def profile(ctx: MemberContext, text: str) -> None:
    community = ctx.community
    member = ctx.member
    if text.strip():
        found = list(await members.find_in_community(ctx.db, community.id, text))
        if not found:
            raise Answer(
                _("I don't know anyone called “{name}” in *{community}*.").format(
                    name=content(shorten(text.strip(), 60)), community=community.name
                )
            )
        member = found[0]
    credits = await recognition.count(ctx.db, community.id, member.id)
    reasons = await recognition.recent_reasons(ctx.db, community.id, member.id)
    await ctx.reply(card(ctx, member, credits, reasons))


def card(ctx: Context, member: Member, credits: int = 0, reasons: list[str] | None = None) -> Message:
    data = member.profile or {}
    zone = member.timezone
    facts = [
        Fact(label, content(value if isinstance(value, str) else ", ".join(value)))
        for label, value in (
            (_("Role"), data.get("role")),
            (_("Based in"), data.get("location")),
            (_("Expertise"), data.get("expertise")),
            (_("Hopes to learn"), data.get("learn")),
            (_("Can offer"), data.get("offer")),
            (_("Link"), data.get("link")),
        )
        if value
    ]
    if zone:
        facts.append(Fact(_("Local time"), ctx.when(ctx.now, zone)))
    if credits:
        facts.append(Fact(_("Thanked"), ngettext("{n} time", "{n} times", credits).format(n=credits)))
    if reasons:
        facts.append(Fact(_("Recently thanked for"), "; ".join(content(shorten(r, 80)) for r in reasons)))
    footer = "" if data else _("No introduction yet — /cop intro")
    return Message(f"*{content(member.called)}*", sections=(Section(facts=tuple(facts)),), footer=footer)
