"""A discussion's life once scheduled: it opens at its instant, is nudged when quiet, prompted at half time, closes,
and is summarised into a knowledge item — every step a durable delivery, so a restart loses none and repeats none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from bot.arguments import parse_id
from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer
from bot.events import MessagePosted, Place
from bot.i18n import N_, _, ngettext
from bot.quiet_hours import waking
from bot.registry import Routine
from bot.text import content, shorten
from flows import discussion_cards as cards
from flows.participation import contributed
from storage import communities, discussions, knowledge, members
from storage.models import Act, Discussion, DiscussionStatus, Member, PostedCard, Role

routine = Routine("discussion-life")
OPEN, QUIET, MIDPOINT, CLOSE = "discussion.open", "discussion.quiet", "discussion.midpoint", "discussion.close"
PROMPT = "discussion.prompt"  # a prompt to one moderator, held until their morning
NUDGE, SUMMARY = "nudge", "summary"
CHAMPION_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class DiscussionRef:
    discussion: int


@dataclass(frozen=True)
class ModeratorPrompt:
    """A prompt to one moderator about a discussion: `what` (nudge, midpoint, summary) as of `since` (ISO)."""

    discussion: int
    member: int
    what: str
    since: str


def _stamp(discussion: Discussion) -> str:
    return discussion.opens_at.astimezone(UTC).isoformat()  # keys change when the times do, so an edit re-schedules


def _keys(discussion: Discussion) -> dict[str, str]:
    return {kind: f"discussion:{discussion.id}:{kind}:{_stamp(discussion)}" for kind in (OPEN, MIDPOINT, CLOSE)}


async def schedule(ctx: Context, discussion: Discussion) -> None:
    """Schedule opening, mid-point prompt and closing (the silence checks start when it opens)."""
    keys, payload = _keys(discussion), DiscussionRef(discussion.id)
    await ctx.schedule(OPEN, at=discussion.opens_at, key=keys[OPEN], payload=payload)
    half = discussion.opens_at + (discussion.closes_at - discussion.opens_at) / 2
    await ctx.schedule(MIDPOINT, at=half, key=keys[MIDPOINT], payload=payload)
    await ctx.schedule(CLOSE, at=discussion.closes_at, key=keys[CLOSE], payload=payload)


async def unschedule(ctx: Context, discussion: Discussion) -> None:
    for key in _keys(discussion).values():
        await ctx.cancel(key)


async def moderators(ctx: Context, discussion: Discussion) -> list[Member]:
    found = [await members.by_id(ctx.db, member_id) for member_id in discussion.moderator_ids]
    return [m for m in found if m is not None]


async def tell_followers(ctx: Context, discussion: Discussion, template: str, *, skip: tuple[int, ...] = ()) -> int:
    """DM each follower of the topic; `{when}` in the template is the opening, in the follower's own time. The
    template is marked with N_ and translated for each follower."""
    told = 0
    for member_id in await discussions.followers(ctx.db, discussion.community_id, discussion.topic):
        if member_id not in skip and (member := await members.by_id(ctx.db, member_id)) is not None:
            zone = ctx.zone_of(member)
            with ctx.language_of(member):
                text = _(template).format(
                    topic=content(discussion.topic),
                    when=ctx.when(discussion.opens_at, zone),
                    until=ctx.when(discussion.closes_at, zone),
                    question=content(shorten(discussion.question, 200)),
                )
            told += await ctx.dm(member, text)
    return told


async def _live(ctx: Context, payload: DiscussionRef, status: DiscussionStatus) -> Discussion | None:
    discussion = await discussions.by_id(ctx.db, payload.discussion)
    return discussion if discussion is not None and discussion.status == status else None


@routine.delivery(OPEN, payload=DiscussionRef)
async def open_discussion(ctx: DeliveryContext, payload: DiscussionRef) -> None:
    discussion = await _live(ctx, payload, DiscussionStatus.SCHEDULED)
    if discussion is None:
        return
    community = await communities.by_id(ctx.db, discussion.community_id)
    assert community is not None
    names = [m.called for m in await moderators(ctx, discussion)]
    card = cards.opening(discussion, names, community.timezone)  # a delivery: written in the community's language
    if discussion.channel:
        place = Place(discussion.channel["platform"], discussion.channel["tenant"], discussion.channel["channel"])
        posts = [PostedCard(place.platform, place.tenant, place.channel, await ctx.post(place, card) or "")]
    else:
        posts = await ctx.post_home(card, community)
    await discussions.keep_posts(ctx.db, discussion.id, posts)
    discussion.status = DiscussionStatus.OPEN
    await _check_quiet_at(ctx, discussion, discussion.opens_at + _quiet(ctx))
    await tell_followers(
        ctx, discussion, N_("💬 The discussion on “{topic}”, a topic you follow, is open until {until}: {question}")
    )


def _quiet(ctx: Context) -> timedelta:
    return timedelta(hours=ctx.services.settings.discussion_quiet_hours)


async def _check_quiet_at(ctx: Context, discussion: Discussion, at: datetime) -> None:
    if at < discussion.closes_at:
        await ctx.schedule(
            QUIET,
            at=at,
            key=f"discussion:{discussion.id}:quiet:{at.astimezone(UTC).isoformat()}",
            payload=DiscussionRef(discussion.id),
        )


@routine.delivery(QUIET, payload=DiscussionRef)
async def check_quiet(ctx: DeliveryContext, payload: DiscussionRef) -> None:
    """Nudge the moderators when no one has replied for the quiet window; otherwise look again when it would end."""
    discussion = await _live(ctx, payload, DiscussionStatus.OPEN)
    if discussion is None:
        return
    last = discussion.last_reply_at or discussion.opens_at
    if ctx.now - last < _quiet(ctx):
        await _check_quiet_at(ctx, discussion, last + _quiet(ctx))
        return
    await _tell_moderators(ctx, discussion, NUDGE)
    await _check_quiet_at(ctx, discussion, ctx.now + _quiet(ctx))


@routine.delivery(MIDPOINT, payload=DiscussionRef)
async def prompt_synthesis(ctx: DeliveryContext, payload: DiscussionRef) -> None:
    discussion = await _live(ctx, payload, DiscussionStatus.OPEN)
    if discussion is None:
        return
    await _tell_moderators(ctx, discussion, MIDPOINT)


@routine.delivery(CLOSE, payload=DiscussionRef)
async def close_on_time(ctx: DeliveryContext, payload: DiscussionRef) -> None:
    discussion = await _live(ctx, payload, DiscussionStatus.OPEN)
    if discussion is not None:
        await close(ctx, discussion)


async def close(ctx: Context, discussion: Discussion, *, by: Member | None = None) -> None:
    """Close the thread and ask the moderators for the summary (but not `by`, who closed it and is asked at once)."""
    discussion.status = DiscussionStatus.CLOSED
    if ctx.now < discussion.closes_at:
        discussion.closes_at = ctx.now
    await unschedule(ctx, discussion)
    for moderator in await moderators(ctx, discussion):  # they led it to its close
        await contributed(ctx, Act.MODERATED, discussion.id, member=moderator, community_id=discussion.community_id)
    posts = await discussions.posts(ctx.db, discussion.id)
    await ctx.update_posts(posts, lambda: cards.closed(discussion))
    await ctx.reply_in_threads(
        posts, lambda: _("This discussion is closed — thank you all. The moderators' summary will follow here.")
    )
    await _tell_moderators(ctx, discussion, SUMMARY, skip=by)


async def _tell_moderators(ctx: Context, discussion: Discussion, what: str, *, skip: Member | None = None) -> None:
    """Prompt each moderator now, or when their night is over (in their own timezone)."""
    quiet_from, quiet_until = ctx.services.settings.quiet_hours
    for moderator in await moderators(ctx, discussion):
        if skip is not None and moderator.id == skip.id:
            continue
        at = waking(ctx.now, ctx.zone_of(moderator), time(quiet_from), time(quiet_until))
        payload = ModeratorPrompt(discussion.id, moderator.id, what, ctx.now.isoformat())
        if at <= ctx.now:
            await _prompt(ctx, discussion, moderator, payload)
        else:
            await ctx.schedule(
                PROMPT,
                at=at,
                key=f"discussion:{discussion.id}:{what}:{moderator.id}:{ctx.now.astimezone(UTC).isoformat()}",
                payload=payload,
            )


@routine.delivery(PROMPT, payload=ModeratorPrompt)
async def prompt_later(ctx: DeliveryContext, payload: ModeratorPrompt) -> None:
    discussion = await discussions.by_id(ctx.db, payload.discussion)
    moderator = await members.by_id(ctx.db, payload.member)
    if discussion is not None and moderator is not None:
        await _prompt(ctx, discussion, moderator, payload)


async def _prompt(ctx: Context, discussion: Discussion, moderator: Member, payload: ModeratorPrompt) -> None:
    """The prompt as things stand when it is sent; none if it no longer applies (replies came, it closed)."""
    what, since = payload.what, datetime.fromisoformat(payload.since)
    replies = await discussions.replies_by_member(ctx.db, discussion.id)
    if what == SUMMARY:
        if discussion.status == DiscussionStatus.CLOSED:
            await ctx.dm(moderator, lambda: cards.ask_summary(discussion, replies))
        return
    if discussion.status != DiscussionStatus.OPEN:
        return
    if what == MIDPOINT:
        await ctx.dm(moderator, lambda: cards.midpoint(discussion, replies, ctx.now))
    elif discussion.last_reply_at is None or discussion.last_reply_at <= since:
        await ctx.dm(
            moderator,
            lambda: cards.nudge(
                discussion, replies, ctx.now - (discussion.last_reply_at or discussion.opens_at), ctx.now
            ),
        )


@routine.on(MessagePosted)
async def count_reply(ctx: MemberContext, event: MessagePosted) -> None:
    """A reply in an open discussion's thread counts as participation: who and when, not what."""
    if event.place.direct or event.place.thread is None:
        return
    discussion = await discussions.by_thread(ctx.db, event.place.platform, event.place.channel, event.place.thread)
    if discussion is None or discussion.status != DiscussionStatus.OPEN:
        return
    await discussions.add_reply(ctx.db, discussion, ctx.member.id, ctx.now)
    await contributed(ctx, Act.REPLIED, discussion.id, community_id=discussion.community_id)


async def may_moderate(ctx: MemberContext, discussion: Discussion) -> bool:
    return ctx.member.id in discussion.moderator_ids or ctx.has_role(Role.COORDINATOR)


async def ask_for_summary(ctx: MemberContext, discussion: Discussion) -> None:
    if not await may_moderate(ctx, discussion):
        raise Answer(
            _("Only the moderators of discussion #{id} (or a coordinator) write its summary.").format(id=discussion.id)
        )
    if discussion.status == DiscussionStatus.SUMMARISED:
        raise Answer(
            _("Discussion #{id} is already summarised (library item #{item}).").format(
                id=discussion.id, item=discussion.summary_item_id
            )
        )
    if discussion.status != DiscussionStatus.CLOSED:
        raise Answer(
            _("Discussion #{id} is not closed yet; close it first with /cop discuss close {id}.").format(
                id=discussion.id
            )
        )
    await ctx.open_form(cards.summary_form(discussion))


@routine.action(cards.SUMMARISE)
async def summarise_clicked(ctx: MemberContext, value: str) -> None:
    number = parse_id(value)
    discussion = await discussions.by_id(ctx.db, number) if number else None
    if discussion is None:
        raise Answer(_("That discussion is no longer here."))
    await ask_for_summary(ctx, discussion)


@routine.form(cards.SUMMARY_FORM_ID)
async def summarised(ctx: MemberContext, values: dict[str, Any]) -> None:
    discussion = await discussions.by_id(ctx.db, int(ctx.form_state.get("discussion", 0)))
    if discussion is None:
        raise Answer(_("That discussion is no longer here."))
    if discussion.status == DiscussionStatus.SUMMARISED:
        raise Answer(
            _("Discussion #{id} was summarised meanwhile (library item #{item}); yours was not posted.").format(
                id=discussion.id, item=discussion.summary_item_id
            )
        )
    points, practices, questions = values["points"], values.get("practices"), values.get("questions")
    item = await knowledge.keep(
        ctx.db,
        community_id=discussion.community_id,
        kind="summary",
        title=_("Discussion: {topic}").format(topic=discussion.topic),
        body=f"{discussion.question}\n{cards.summary_text(points, practices, questions)}",
        tags=[discussion.topic.casefold()],
        source=f"discussion:{discussion.id}",
        added_by=ctx.member.id,
        now=ctx.now,
    )
    discussion.status, discussion.summary_item_id = DiscussionStatus.SUMMARISED, item.id
    posts = await discussions.posts(ctx.db, discussion.id)
    with ctx.community_language():
        message = cards.summary(discussion, item.id, points, practices, questions)
    await ctx.update_posts(posts, lambda: cards.closed(discussion))  # now it may say the summary is in the thread
    await ctx.reply_in_threads(posts, message)
    await ctx.reply_in_threads(posts, message, in_thread=False)
    await contributed(ctx, Act.SUMMARISED, discussion.id, community_id=discussion.community_id)
    await ctx.reply(
        _("Thank you. The summary is posted and kept in the library as #{item}.").format(item=item.id)
        + await _champion_hint(ctx, discussion)
    )


async def _champion_hint(ctx: MemberContext, discussion: Discussion) -> str:
    """Suggest who could lead the next discussion: the most active recent participant who is not yet a moderator."""
    community = await communities.by_id(ctx.db, discussion.community_id)
    assert community is not None
    for member_id, replies in await discussions.active_members(
        ctx.db, community.id, ctx.now - CHAMPION_WINDOW, limit=10
    ):
        member = await members.by_id(ctx.db, member_id)
        if member is None or member_id in discussion.moderator_ids:
            continue
        if await communities.holds(ctx.db, community, member, Role.MODERATOR):
            continue
        return "\n" + ngettext(
            "Next champion? {name} replied once in recent discussions — ask them to co-moderate the next one.",
            "Next champion? {name} replied {n} times in recent discussions — ask them to co-moderate the next one.",
            replies,
        ).format(name=content(member.called), n=replies)
    return ""
