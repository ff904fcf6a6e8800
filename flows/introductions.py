"""Member introductions: welcome a newcomer, ask who they are, show the community, nudge gently, never at night."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import available_timezones

from bot.arguments import parse_id
from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer
from bot.events import ActionClicked
from bot.forms import FormErrors
from bot.i18n import N_, _, reading, supported
from bot.messages import Button, Message, Section
from bot.quiet_hours import waking
from bot.registry import Routine
from bot.text import content, is_web_address, shorten
from flows import introduction_cards as cards
from flows.participation import contributed
from storage import communities, directory, introductions, members
from storage.models import Act, Community, Introduction, IntroStatus, Member
from storage.text_search import mentions

routine = Routine("introductions")
NUDGE = "intro.nudge"
CHANNEL_WELCOME = "intro.channel_welcome"
# Joins within one such window are greeted in the channel together: forty joins are one message, not forty.
WELCOME_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class ChannelWelcome:
    community: int
    since: str  # the window's start, ISO


@dataclass(frozen=True)
class Nudge:
    community: int
    member: int
    last: bool = False


async def welcome_newcomer(ctx: Context, community: Community, member: Member) -> None:
    """Someone joined: a personal welcome in DM with a button, and reminders if they do not introduce themselves."""
    intro, new = await introductions.expect(ctx.db, community.id, member.id, ctx.now)
    if not new or intro.status != IntroStatus.PENDING:
        return  # came back, or already introduced: no second welcome
    with ctx.language_of(member):
        await ctx.dm(member, cards.welcome_dm(community, member))
    if (community.settings or {}).get("channel_welcome"):
        window = WELCOME_WINDOW.total_seconds()
        start = datetime.fromtimestamp(ctx.now.timestamp() // window * window, UTC)
        await ctx.schedule(
            CHANNEL_WELCOME,
            at=start + WELCOME_WINDOW,
            key=f"intro:channel:{community.id}:{start.isoformat()}",
            payload=ChannelWelcome(community.id, start.isoformat()),
            useful_for=timedelta(hours=6),
        )
    days = ctx.services.settings.intro_nudge_days
    for n, day in enumerate(days, 1):
        quiet_from, quiet_until = ctx.services.settings.quiet_hours
        at = waking(
            ctx.now + timedelta(days=day), member.timezone or community.timezone, time(quiet_from), time(quiet_until)
        )
        await ctx.schedule(
            NUDGE,
            at=at,
            key=f"intro:{community.id}:{member.id}:{n}",
            payload=Nudge(community.id, member.id, last=n == len(days)),
            useful_for=timedelta(days=1),
        )


@routine.command(
    "intro", usage=N_("intro [skip]"), help=N_("Introduce yourself, or edit your introduction"), example="intro"
)
async def intro(ctx: MemberContext, text: str) -> None:
    community, member = ctx.community, ctx.member
    record, _new = await introductions.expect(ctx.db, community.id, member.id, ctx.now)
    if text.strip().casefold() == "skip":
        if record.status == IntroStatus.DONE:
            raise Answer(_("You have already introduced yourself; `/cop intro` edits it."))
        introductions.skipped(record)
        await ctx.reply(_("Understood: no more reminders. You can still `/cop intro` whenever you like."))
        return
    if text.strip():
        raise Answer(_("`/cop intro` opens your introduction; `/cop intro skip` stops the reminders."))
    await ctx.open_form(cards.form(community, member, editing=record.status == IntroStatus.DONE))


@routine.action(cards.START)
async def start_from_button(ctx: MemberContext, value: str) -> None:
    community_id = parse_id(value)
    community = await communities.by_id(ctx.db, community_id) if community_id else None
    ctx.community = community or ctx.community
    await intro(ctx, "")


@routine.form(cards.FORM_ID)
async def submitted(ctx: MemberContext, values: dict[str, Any]) -> None:
    member = ctx.member
    community = await communities.by_id(ctx.db, int(ctx.form_state.get("community", 0))) or ctx.community
    zone = _zone(values.get("timezone"))
    link = (values.get("link") or "").strip()
    if link and not is_web_address(link):
        raise FormErrors({"link": _("A link starts with https:// — for example https://example.org/me")})
    record, _new = await introductions.expect(ctx.db, community.id, member.id, ctx.now)
    member.profile = {
        **(member.profile or {}),
        **{k: values.get(k) for k in ("name", "role", "location", "expertise", "learn", "offer")},
        "link": link or None,
    }
    if zone:
        member.timezone = zone
    chosen = supported(values.get("language"))
    if chosen:
        member.language = chosen
    with reading(ctx.language(member)):  # answered in the language just chosen
        await _introduced(ctx, community, member, record, values, link)


async def _introduced(
    ctx: MemberContext, community: Community, member: Member, record: Introduction, values: dict[str, Any], link: str
) -> None:
    first_time = record.status != IntroStatus.DONE
    introductions.introduced(record, ctx.now)
    await directory.save(
        ctx.db,
        community.id,
        member.id,
        expertise=list(values.get("expertise") or []),
        offer=values.get("offer") or "",
        learn=values.get("learn") or "",
        now=ctx.now,
    )
    if first_time:  # an edit of one's profile is not a second introduction
        await contributed(ctx, Act.INTRODUCED, member.id, community_id=community.id)
    if first_time or values.get("repost") == "yes":
        with ctx.community_language(community):
            card = cards.card(member, len(record.welcomed_by), record.id)
        record.cards = [*record.cards, *await ctx.post_home(card, community)]
        await ctx.reply(_("Thank you! Your introduction is posted in *{name}*.").format(name=community.name))
        await _suggest_connections(ctx, community.id, member, values)
    else:
        await ctx.reply(_("Saved: your profile is updated (not posted again)."))


def _their_words(text: str, terms: tuple[str, ...]) -> str:
    """The member's own words that matched (once each: not "dashboards, dashboard" for one word and its
    correction), else the start of what they wrote."""
    found: dict[str, str] = {}
    for word in re.findall(r"[^\W_]+", text):
        if any(mentions(word, term) for term in terms):
            found.setdefault(word.casefold()[:5], word)
    return ", ".join(list(found.values())[:3]) or shorten(text, 60)


async def _suggest_connections(ctx: MemberContext, community_id: int, member: Member, values: dict[str, Any]) -> None:
    """Up to three people whose offers match what the newcomer hopes to learn, or who hope to learn what they offer."""
    suggestions: list[tuple[int, str]] = []
    if values.get("learn"):
        for match in await directory.search(ctx.db, community_id, values["learn"], limit=3, exclude=(member.id,)):
            suggestions.append(
                (match.member_id, _("offers {what}").format(what=_their_words(match.offer, match.matched)))
            )
    if values.get("offer") and len(suggestions) < 3:
        for match in await directory.search(
            ctx.db,
            community_id,
            values["offer"],
            looking=directory.Looking.LEARNS,
            limit=3,
            exclude=(member.id, *(m for m, _r in suggestions)),
        ):
            suggestions.append(
                (match.member_id, _("hopes to learn {what}").format(what=_their_words(match.learn, match.matched)))
            )
    people: list[tuple[Member, str]] = []
    for member_id, reason in suggestions[:3]:
        person = await members.by_id(ctx.db, member_id)
        if person is not None:
            people.append((person, reason))
    if not people:
        return
    lines = [f"- *{content(p.called)}* — {content(reason)}" for p, reason in people]
    buttons = tuple(
        Button(_("Connect with {name}").format(name=p.called), cards.CONNECT, str(p.id)) for p, _r in people
    )
    await ctx.reply(Message(_("People you may want to meet:"), sections=(Section("\n".join(lines)),), buttons=buttons))


def _zone(value: Any) -> str | None:
    if not value:
        return None
    zones = {z.casefold(): z for z in available_timezones()}
    zone = zones.get(str(value).strip().replace(" ", "_").casefold())
    if zone is None:
        raise FormErrors({"timezone": _("I don't know that timezone; write it like Africa/Nairobi or Europe/Lisbon.")})
    return zone


@routine.action(cards.WELCOME)
async def welcome(ctx: MemberContext, value: str) -> None:
    record_id = parse_id(value)
    record = await introductions.by_id(ctx.db, record_id) if record_id else None
    if record is None:
        raise Answer(_("That introduction is no longer here."))
    newcomer = await members.by_id(ctx.db, record.member_id)
    assert newcomer is not None
    if record.member_id == ctx.member.id:
        raise Answer(_("That is your own introduction — others will welcome you."))
    community = await communities.by_id(ctx.db, record.community_id)
    if community is None or await communities.role_of(ctx.db, community, ctx.member) is None:
        # A welcome counts as a member's contribution: only members give one.
        raise Answer(
            _("Join the community first (/cop join), then you can welcome {name}.").format(
                name=content(newcomer.called)
            )
        )
    if not introductions.welcome(record, ctx.member.id):
        raise Answer(_("You have already welcomed {name}.").format(name=content(newcomer.called)))
    await contributed(ctx, Act.WELCOMED, newcomer.id, community_id=record.community_id)
    if isinstance(ctx.event, ActionClicked) and ctx.event.message_id:
        with ctx.community_language():
            card = cards.card(newcomer, len(record.welcomed_by), record.id)
        await ctx.update(ctx.event.place, ctx.event.message_id, card)
    await ctx.reply(_("You welcomed {name}.").format(name=content(newcomer.called)))


@routine.action(cards.CONNECT)
async def connect(ctx: MemberContext, value: str) -> None:
    other_id = parse_id(value)
    other = await members.by_id(ctx.db, other_id) if other_id else None
    if other is None:
        raise Answer(_("That member is no longer here."))
    if other.id == ctx.member.id:
        raise Answer(_("That is you!"))
    me = ctx.member
    about = content((me.profile or {}).get("role") or "")
    with ctx.language_of(other):
        text = _("{me}{about} would like to connect with you — reply to them directly.").format(
            me=content(me.called), about=f" ({about})" if about else ""
        )
    await ctx.dm(other, text)
    await ctx.record("connected", subject=str(other.id))
    await ctx.reply(_("I told {name} you would like to connect.").format(name=content(other.called)))


@routine.delivery(CHANNEL_WELCOME, payload=ChannelWelcome)
async def channel_welcome(ctx: DeliveryContext, payload: ChannelWelcome) -> None:
    community = await communities.by_id(ctx.db, payload.community)
    if community is None:
        return
    since = datetime.fromisoformat(payload.since)
    newcomers = [
        m
        for i in await introductions.started_between(ctx.db, community.id, since, since + WELCOME_WINDOW)
        if (m := await members.by_id(ctx.db, i)) is not None
    ]
    if newcomers:
        await ctx.post_home(lambda: cards.channel_welcome(newcomers), community)


@routine.delivery(NUDGE, payload=Nudge)
async def nudge(ctx: DeliveryContext, payload: Nudge) -> None:
    record = await introductions.of(ctx.db, payload.community, payload.member)
    community = await communities.by_id(ctx.db, payload.community)
    member = await members.by_id(ctx.db, payload.member)
    if record is None or community is None or member is None or record.status != IntroStatus.PENDING:
        return  # introduced, opted out or gone: nothing to say
    if await communities.role_of(ctx.db, community, member) is None:
        return  # left the community
    with ctx.language_of(member):
        await ctx.dm(member, cards.nudge(community, member, last=payload.last))
