"""Moderated eDiscussions: champions schedule a discussion on a topic of the learning agenda; members follow topics."""

from __future__ import annotations

import difflib
from datetime import datetime, timedelta
from typing import Any

from bot import arguments
from bot.answers import clock_note
from bot.context import MemberContext
from bot.errors import Answer, UsageError
from bot.forms import Form, FormErrors
from bot.i18n import N_, _, ngettext
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import content, shorten
from flows import discussion_cards as cards
from flows import discussion_life as life
from storage import agenda, communities, discussions, members
from storage.models import Discussion, DiscussionStatus, Member, Role

routine = Routine("discussions")
STATUS_LABELS = {
    DiscussionStatus.SCHEDULED: N_("Upcoming"),
    DiscussionStatus.OPEN: N_("Open"),
    DiscussionStatus.CLOSED: N_("Closed, summary to come"),
    DiscussionStatus.SUMMARISED: N_("Closed"),
}


@routine.command(
    "discuss list",
    usage=N_("discuss [list]"),
    help=N_("Moderated discussions on the topics of the learning agenda"),
    example="discuss",
    default=True,
)
async def discuss_list(ctx: MemberContext, text: str) -> None:
    await _list(ctx)


@routine.command(
    "discuss schedule",
    usage=N_("discuss schedule"),
    help=N_("Schedule a discussion (a form)"),
    example="discuss schedule",
    role=Role.MODERATOR,
)
async def discuss_schedule(ctx: MemberContext, text: str) -> None:
    await ctx.open_form(await _form(ctx, None))


@routine.command(
    "discuss edit",
    usage=N_("discuss edit <id>"),
    help=N_("Change a discussion that has not opened yet"),
    example="discuss edit 2",
    role=Role.MODERATOR,
)
async def discuss_edit(ctx: MemberContext, text: str) -> None:
    discussion = await _mine(ctx, text)
    _still_scheduled(ctx, discussion, _("edited"))
    await ctx.open_form(await _form(ctx, discussion))


@routine.command(
    "discuss cancel",
    usage=N_("discuss cancel <id>"),
    help=N_("Cancel a discussion that has not opened yet"),
    example="discuss cancel 2",
    role=Role.MODERATOR,
)
async def discuss_cancel(ctx: MemberContext, text: str) -> None:
    await _cancel(ctx, await _mine(ctx, text))


@routine.command(
    "discuss close",
    usage=N_("discuss close <id>"),
    help=N_("Close an open discussion now and ask for its summary"),
    example="discuss close 2",
    role=Role.MODERATOR,
)
async def discuss_close(ctx: MemberContext, text: str) -> None:
    discussion = await _mine(ctx, text)
    if discussion.status != DiscussionStatus.OPEN:
        raise Answer(_("Discussion #{id} is not open, so there is nothing to close.").format(id=discussion.id))
    await life.close(ctx, discussion, by=ctx.member)
    await ctx.open_form(cards.summary_form(discussion))


@routine.command(
    "discuss summary",
    usage=N_("discuss summary <id>"),
    help=N_("Write the summary of a closed discussion"),
    example="discuss summary 2",
    role=Role.MODERATOR,
)
async def discuss_summary(ctx: MemberContext, text: str) -> None:
    await life.ask_for_summary(ctx, await _discussion(ctx, text))


@routine.command(
    "discuss follow",
    usage=N_("discuss follow <topic>"),
    help=N_("Hear when a discussion on a topic is scheduled, opens or changes"),
    example="discuss follow alert fatigue",
)
async def discuss_follow(ctx: MemberContext, text: str) -> None:
    await _follow(ctx, ctx.community.id, " ".join(text.split()), on=True)


@routine.command(
    "discuss unfollow",
    usage=N_("discuss unfollow <topic>"),
    help=N_("Stop following a topic"),
    example="discuss unfollow alert fatigue",
)
async def discuss_unfollow(ctx: MemberContext, text: str) -> None:
    await _follow(ctx, ctx.community.id, " ".join(text.split()), on=False)


@routine.command(
    "discuss following",
    usage=N_("discuss following"),
    help=N_("The topics you follow"),
    example="discuss following",
)
async def discuss_following(ctx: MemberContext, text: str) -> None:
    topics = await discussions.followed(ctx.db, ctx.community.id, ctx.member.id)
    if not topics:
        raise Answer(
            _(
                "You follow no topic. `/cop discuss follow <topic>` tells you when a discussion on it is "
                "scheduled or opens."
            )
        )
    await ctx.reply(_("You follow: {topics}.").format(topics=content(", ".join(topics))))


@routine.action(cards.FOLLOW)
async def follow_button(ctx: MemberContext, value: str) -> None:
    number = arguments.parse_id(value)
    discussion = await discussions.by_id(ctx.db, number) if number else None
    community = await communities.by_id(ctx.db, discussion.community_id) if discussion else None
    if discussion is None or community is None or await communities.role_of(ctx.db, community, ctx.member) is None:
        raise Answer(_("That discussion is no longer here."))
    await _follow(ctx, community.id, discussion.topic, on=True)


async def _form(ctx: MemberContext, editing: Discussion | None) -> Form:
    community = ctx.community
    topics = [item.topic for item in await agenda.items(ctx.db, community.id)]
    place = ctx.event.place
    home = {(c.platform, c.tenant, c.channel) for c in communities.home_channels(community)}
    here = not place.direct and (place.platform, place.tenant, place.channel) not in home
    state: dict[str, object] = {"edit": editing.id if editing else None}
    if here:
        state["here"] = {"platform": place.platform, "tenant": place.tenant, "channel": place.channel}
    names = ""
    if editing is not None:
        others = [m for m in await life.moderators(ctx, editing) if m.id != editing.created_by]
        names = ", ".join(m.called for m in others)
    return cards.schedule_form(ctx.timezone, topics, here=here, editing=editing, moderators=names, state=state)


@routine.form(cards.FORM_ID)
async def scheduled(ctx: MemberContext, values: dict[str, Any]) -> None:
    community, me = ctx.community, ctx.member
    opens: datetime = values["opens"]
    errors: dict[str, str] = {}
    topic = " ".join(str(values["topic"]).split())
    if not 2 <= len(topic) <= 200:
        errors["topic"] = _("Name the topic, in 2 to 200 characters.")
    if opens <= ctx.now:
        errors["opens"] = _("That is in the past ({when}); choose a time ahead.").format(
            when=ctx.when(opens, str(opens.tzinfo))
        )
    days = str(values["days"]).strip()
    if not days.isdigit() or not cards.MIN_DAYS <= int(days) <= cards.MAX_DAYS:
        errors["days"] = _("A length from {low} to {high} days, please.").format(
            low=cards.MIN_DAYS, high=cards.MAX_DAYS
        )
    co, unknown = await _moderators(ctx, community.id, values.get("moderators") or "")
    if unknown:
        errors["moderators"] = _("I find no member called {names} here; check the spelling (/cop who <name>).").format(
            names=content(", ".join(unknown))
        )
    if errors:
        raise FormErrors(errors)
    editing = await discussions.by_id(ctx.db, int(ctx.form_state["edit"])) if ctx.form_state.get("edit") else None
    fields = {
        "topic": topic,
        "question": values["question"],
        "context": values.get("context") or "",
        "channel": ctx.form_state.get("here") if values.get("channel") == cards.HERE else None,
        "opens_at": opens,
        "closes_at": opens + timedelta(days=int(days)),
        "timezone": str(opens.tzinfo),
    }
    lead = editing.created_by or me.id if editing is not None else me.id  # who scheduled it stays its first moderator
    fields["moderator_ids"] = [lead] + [m.id for m in co if m.id != lead]
    if editing is None:
        discussion = await discussions.add(
            ctx.db,
            community_id=community.id,
            status=DiscussionStatus.SCHEDULED,
            created_by=me.id,
            created_at=ctx.now,
            **fields,
        )
        await life.schedule(ctx, discussion)
        told = await life.tell_followers(
            ctx, discussion, N_("📅 A discussion on “{topic}”, a topic you follow, opens {when}."), skip=(me.id,)
        )
        await ctx.record("discussion.scheduled", subject=str(discussion.id))
    else:
        discussion = editing
        _still_scheduled(ctx, discussion, _("edited"))
        await life.unschedule(ctx, discussion)
        for name, value in fields.items():
            setattr(discussion, name, value)
        await life.schedule(ctx, discussion)
        told = await life.tell_followers(
            ctx, discussion, N_("✏️ The discussion on “{topic}” you follow has changed: it opens {when}."), skip=(me.id,)
        )
    lines = [
        (
            _("Discussion #{id} on “{topic}” is scheduled.")
            if editing is None
            else _("Discussion #{id} on “{topic}” is changed.")
        ).format(id=discussion.id, topic=content(topic)),
        _("It opens {opens} and closes {closes}.").format(
            opens=ctx.when(opens, discussion.timezone), closes=ctx.when(discussion.closes_at, discussion.timezone)
        ),
    ]
    if note := clock_note(opens):
        lines.append(note)
    if told:
        lines.append(
            ngettext("{n} follower of the topic was told.", "{n} followers of the topic were told.", told).format(
                n=told
            )
        )
    await ctx.reply("\n".join(lines))


async def _moderators(ctx: MemberContext, community_id: int, text: str) -> tuple[list[Member], list[str]]:
    found: list[Member] = []
    unknown: list[str] = []
    for name in (n.strip() for n in text.replace(";", ",").split(",")):
        if not name:
            continue
        matches = list(await members.find_in_community(ctx.db, community_id, name))
        if len(matches) == 1:
            found.append(matches[0])
        else:
            unknown.append(name)
    return found, unknown


def _still_scheduled(ctx: MemberContext, discussion: Discussion, doing: str) -> None:
    if discussion.status == DiscussionStatus.SCHEDULED:
        return
    if discussion.status == DiscussionStatus.CANCELLED:
        raise Answer(_("Discussion #{id} is cancelled.").format(id=discussion.id))
    raise Answer(
        _("Discussion #{id} opened {when}, so it can no longer be {doing}; post a note in its thread instead.").format(
            id=discussion.id, when=ctx.when(discussion.opens_at), doing=doing
        )
    )


async def _discussion(ctx: MemberContext, text: str) -> Discussion:
    number, _rest = arguments.number(text, missing=_("Which discussion? Give its number (see /cop discuss list)."))
    return await arguments.in_community(
        ctx.community.id, number, lambda n: discussions.by_id(ctx.db, n), _("There is no discussion #{id} here.")
    )


async def _mine(ctx: MemberContext, ident: str) -> Discussion:
    """A discussion the caller moderates (coordinators may act on any)."""
    discussion = await _discussion(ctx, ident)
    if not await life.may_moderate(ctx, discussion):
        raise Answer(
            _("Only the moderators of discussion #{id} (or a coordinator) can do that.").format(id=discussion.id)
        )
    return discussion


async def _cancel(ctx: MemberContext, discussion: Discussion) -> None:
    _still_scheduled(ctx, discussion, _("cancelled"))
    discussion.status = DiscussionStatus.CANCELLED
    await life.unschedule(ctx, discussion)
    told = await life.tell_followers(
        ctx, discussion, N_("The discussion on “{topic}” planned for {when} is cancelled."), skip=(ctx.member.id,)
    )
    await ctx.reply(
        _("Discussion #{id} is cancelled; nothing more will be sent about it.").format(id=discussion.id)
        + " "
        + ngettext("{n} follower of the topic was told.", "{n} followers of the topic were told.", told).format(n=told)
    )


async def _list(ctx: MemberContext) -> None:
    community = ctx.community
    sections = []
    for statuses, newest_first in (
        ((DiscussionStatus.OPEN,), False),
        ((DiscussionStatus.SCHEDULED,), False),
        ((DiscussionStatus.CLOSED, DiscussionStatus.SUMMARISED), True),
    ):
        found = await discussions.in_community(ctx.db, community.id, statuses, limit=5, newest_first=newest_first)
        if not found:
            continue
        lines = [
            _("- #{id} {topic} — {when}").format(
                id=d.id,
                topic=content(shorten(d.topic, 60)),
                when=(
                    ctx.when(d.opens_at)
                    if d.status == DiscussionStatus.SCHEDULED
                    else _("until {when}").format(when=ctx.when(d.closes_at))
                    if d.status == DiscussionStatus.OPEN
                    else _("closed {when}").format(when=ctx.when(d.closes_at))
                ),
            )
            for d in found
        ]
        sections.append(Section("\n".join(lines), title=_(STATUS_LABELS[DiscussionStatus(found[0].status)])))
    if not sections:
        raise Answer(_("No discussion yet. Moderators schedule one with `/cop discuss schedule`."))
    await ctx.reply(
        Message(_("Discussions, in your time ({zone}):").format(zone=ctx.timezone), sections=tuple(sections))
    )


async def _known_spelling(ctx: MemberContext, community_id: int, topic: str) -> str:
    """The agenda's or a past discussion's topic that `topic` misspells ("alert fatique"), else `topic` itself:
    a follow matches topics letter for letter, so a typo would never be told of anything."""
    known = {item.topic.casefold(): item.topic for item in await agenda.items(ctx.db, community_id)}
    known |= {t: known.get(t, t) for t in await discussions.topics(ctx.db, community_id)}
    if topic.casefold() in known:
        return known[topic.casefold()]
    close = difflib.get_close_matches(topic.casefold(), list(known), n=1, cutoff=0.85)
    return known[close[0]] if close else topic


async def _follow(ctx: MemberContext, community_id: int, topic: str, *, on: bool) -> None:
    if not 2 <= len(topic) <= 200:
        raise UsageError(_("Name the topic, in 2 to 200 characters."))
    if on:
        typed, topic = topic, await _known_spelling(ctx, community_id, topic)
        if not await discussions.follow(ctx.db, community_id, ctx.member.id, topic, ctx.now):
            raise Answer(_("You already follow “{topic}”.").format(topic=content(topic)))
        taken = (
            _("(I took “{typed}” as “{topic}”, as the topic is written.) ").format(
                typed=content(typed), topic=content(topic)
            )
            if typed.casefold() != topic.casefold()
            else ""
        )
        await ctx.reply(
            taken
            + _("You follow “{topic}”: I will tell you when a discussion on it is scheduled, opens or changes.").format(
                topic=content(topic)
            )
        )
    elif await discussions.unfollow(ctx.db, community_id, ctx.member.id, topic):
        await ctx.reply(_("You no longer follow “{topic}”.").format(topic=content(topic)))
    else:
        raise Answer(
            _("You do not follow “{topic}”; `/cop discuss following` lists what you do.").format(topic=content(topic))
        )
