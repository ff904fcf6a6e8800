"""Peer assist: a member brings a real problem, peers who have faced it are asked, and what worked is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot import arguments
from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer, UsageError
from bot.i18n import N_, _, ngettext
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import content, shorten
from flows import peer_assist_cards as cards
from flows.participation import contributed
from storage import assists, communities, directory, knowledge, members, recognition
from storage.assists import ASKED, CREDITED, FOLLOWING, OFFERED
from storage.models import Act, AssistRequest, AssistStatus, Community, Member, Role

routine = Routine("peer_assist")
REROUTE, CLOSE_NUDGE = "assist.reroute", "assist.close_nudge"
EXPERTS = 5
REROUTE_AFTER = timedelta(hours=24)
NUDGE_AFTER = timedelta(days=7)


@dataclass(frozen=True)
class RequestRef:
    request: int


@routine.command(
    "ask",
    usage=N_("ask [your question]"),
    help=N_("Ask peers who have faced it"),
    example="ask How do you alert on stale dashboards?",
)
async def ask(ctx: MemberContext, text: str) -> None:
    if not text.strip():
        await ctx.open_form(cards.ask_form(ctx.community))
        return
    await _open(ctx, text.strip(), "", [], None)


@routine.command(
    "ask close",
    usage=N_("ask close <id>"),
    help=N_("Mark your request resolved and say what worked"),
    example="ask close 3",
)
async def ask_close(ctx: MemberContext, text: str) -> None:
    await _close(ctx, await _own_request(ctx, text))


@routine.command(
    "ask cancel",
    usage=N_("ask cancel <id>"),
    help=N_("Withdraw your request (moderators: any request)"),
    example="ask cancel 3",
)
async def ask_cancel(ctx: MemberContext, text: str) -> None:
    await _cancel(ctx, await _own_request(ctx, text, moderators_too=True))


@routine.command(
    "ask optout",
    usage=N_("ask optout"),
    help=N_("Stop being asked to help with requests"),
    example="ask optout",
)
async def ask_optout(ctx: MemberContext, text: str) -> None:
    ctx.member.profile = {**(ctx.member.profile or {}), "assist_optout": True}
    await ctx.reply(_("Done: I will not ask you to help with requests."))


@routine.command(
    "ask optin",
    usage=N_("ask optin"),
    help=N_("Be asked again when a request matches what you know"),
    example="ask optin",
)
async def ask_optin(ctx: MemberContext, text: str) -> None:
    ctx.member.profile = {**(ctx.member.profile or {}), "assist_optout": False}
    await ctx.reply(_("Done: I may ask you when a request matches what you know."))


@routine.form(cards.NEW_FORM)
async def asked_by_form(ctx: MemberContext, values: dict[str, Any]) -> None:
    day = values.get("needed_by")
    await _open(
        ctx,
        values["question"],
        values.get("context") or "",
        list(values.get("topics") or []),
        day.isoformat() if day else None,
    )


async def _open(ctx: MemberContext, question: str, context: str, topics: list[str], needed_by: str | None) -> None:
    community, asker = ctx.community, ctx.member
    if len(directory.words(question)) < 3:
        raise UsageError(_("Tell a bit more, so people know whether they can help — a whole question, please."))
    twin = await assists.recent_duplicate(ctx.db, asker.id, question, ctx.now - timedelta(hours=1))
    if twin is not None:
        raise Answer(
            _("You asked this a moment ago: request #{id} is open. `/cop asks mine` shows it.").format(id=twin.id)
        )
    request, experts = await bring_to_peers(
        ctx, community, asker, question, context=context, topics=topics, needed_by=needed_by
    )
    if not request.cards:
        # Nowhere to post it (no home channel on a platform that is running): said, with how to give it one.
        await ctx.reply(
            _(
                "Request #{id} is kept, but *{name}* has no channel here to post it in, so members only hear of it "
                "from me. {asked} A coordinator gives the community a channel by typing "
                "`/cop community channel add {slug}` in it."
            ).format(
                id=request.id,
                name=community.name,
                slug=community.slug,
                asked=_("I asked {people} directly.").format(people=who_was_asked(experts))
                if experts
                else _("Nobody lists its topic yet, so I could not ask anyone directly."),
            )
        )
    elif experts:
        await ctx.reply(
            _("Request #{id} is posted in *{name}* ({where}). I asked {people} directly.").format(
                id=request.id, name=community.name, where=_where(request), people=who_was_asked(experts)
            )
        )
    else:
        await ctx.reply(
            _(
                "Request #{id} is posted in *{name}*. Nobody lists “{topic}” yet, so I could not ask anyone "
                "directly; members will see it in the channel."
            ).format(
                id=request.id,
                name=community.name,
                topic=content(", ".join(request.topics) or shorten(question, 60)),
            )
        )


def _where(request: AssistRequest) -> str:
    """The channels a request's card went to, e.g. "#general on console"."""
    return ", ".join(
        _("#{channel} on {platform}").format(channel=card.channel, platform=card.platform) for card in request.cards
    )


async def bring_to_peers(
    ctx: Context,
    community: Community,
    asker: Member,
    question: str,
    *,
    context: str = "",
    topics: list[str] | None = None,
    needed_by: str | None = None,
    card: bool = True,
) -> tuple[AssistRequest, list[tuple[Member, str]]]:
    """Open a request for `asker`, ask up to five members who know the topic, and follow it up (asked again after
    a day without offers, the asker nudged to close it). `card=False` keeps the request's card out of the home
    channel, for routines that show the need in their own post (a check-in's agenda, a working-out-loud thread)."""
    topics = topics or [t for t in community.topics if t.casefold() in question.casefold()]
    request = await assists.open_request(
        ctx.db,
        community_id=community.id,
        asker_id=asker.id,
        question=question,
        context=context,
        topics=topics,
        needed_by=needed_by,
        now=ctx.now,
    )
    await contributed(ctx, Act.ASKED, request.id, member=asker, community_id=community.id)
    if card:
        request.cards = await ctx.post_home(lambda: cards.card(request, asker, 0), community)
    experts = await _route(ctx, request, asker)
    await ctx.schedule(
        REROUTE, at=ctx.now + REROUTE_AFTER, key=f"assist:{request.id}:reroute", payload={"request": request.id}
    )
    await ctx.schedule(
        CLOSE_NUDGE, at=ctx.now + NUDGE_AFTER, key=f"assist:{request.id}:nudge", payload={"request": request.id}
    )
    return request, experts


def who_was_asked(experts: list[tuple[Member, str]]) -> str:
    """“Amina (listed data quality); Tomás (offered …)”: who was asked and why, as members read it."""
    return "; ".join(f"{content(m.called)} ({content(reason)})" for m, reason in experts)


async def _route(ctx: Context, request: AssistRequest, asker: Member) -> list[tuple[Member, str]]:
    """Ask up to five members who know the topic, least-asked first among the best matches; never the asker,
    never anyone asked before on this request or who opted out."""
    already = set(await assists.members_with(ctx.db, request.id, ASKED)) | {asker.id}
    query = " ".join([*request.topics, request.question])
    matches = await directory.search(ctx.db, request.community_id, query, limit=EXPERTS * 2, exclude=tuple(already))
    load = await assists.times_asked(ctx.db, [m.member_id for m in matches], ctx.now - assists.RECENT)
    ranked = sorted(enumerate(matches), key=lambda pair: (load.get(pair[1].member_id, 0), pair[0]))
    chosen: list[tuple[Member, str]] = []
    for _rank, match in ranked:
        member = await members.by_id(ctx.db, match.member_id)
        if member is None or (member.profile or {}).get("assist_optout"):
            continue
        reason = _reason(match)
        await assists.take_part(ctx.db, request.id, member.id, ASKED, ctx.now, reason)
        with ctx.language_of(member):  # the reason again, in the expert's words
            ask = cards.ask_expert(request, asker, _reason(match))
        await ctx.dm(member, ask)
        chosen.append((member, reason))
        if len(chosen) == EXPERTS:
            break
    return chosen


def _reason(match: directory.Match) -> str:
    """Why this member was asked, in their own words: the expertise they listed, else what they offered."""
    listed = [item.strip() for item in match.expertise.split(",") if item.strip()]
    hits = [item for item in listed if any(term[:5] in item.casefold() for term in match.matched)]
    if hits:
        return _("listed {what}").format(what=", ".join(hits[:3]))
    return _("offered “{what}”").format(what=shorten(match.offer, 80))


@routine.action(cards.OFFER)
async def offer(ctx: MemberContext, value: str) -> None:
    request, asker = await _live_request(ctx, value)
    helper = ctx.member
    if helper.id == asker.id:
        raise Answer(_("That is your own request."))
    if not await assists.take_part(ctx.db, request.id, helper.id, OFFERED, ctx.now):
        raise Answer(_("You have already offered to help with #{id} — thank you!").format(id=request.id))
    await contributed(ctx, Act.OFFERED, request.id, community_id=request.community_id)
    await ctx.dm(
        asker,
        lambda: _("{name} can help with your request #{id}: “{question}”. Reply in the request's thread.").format(
            name=content(helper.called), id=request.id, question=content(shorten(request.question, 120))
        ),
    )
    await ctx.reply_in_threads(request.cards, lambda: _("{name} offered to help.").format(name=content(helper.called)))
    await _refresh_cards(ctx, request, asker)
    await ctx.reply(
        _("Thank you! {name} has been told; answers go in the request's thread.").format(name=content(asker.called))
    )


@routine.action(cards.FOLLOW)
async def follow(ctx: MemberContext, value: str) -> None:
    request, _asker = await _live_request(ctx, value)
    if not await assists.take_part(ctx.db, request.id, ctx.member.id, FOLLOWING, ctx.now):
        raise Answer(_("You already follow #{id}.").format(id=request.id))
    await ctx.reply(_("You follow #{id}: I will tell you when it is resolved.").format(id=request.id))


@routine.action(cards.RESOLVE)
async def resolve_button(ctx: MemberContext, value: str) -> None:
    request, _asker = await _live_request(ctx, value)
    if request.asker_id != ctx.member.id:
        raise Answer(_("Only the person who asked can mark #{id} resolved.").format(id=request.id))
    await _close(ctx, request)


async def _close(ctx: MemberContext, request: AssistRequest) -> None:
    ids = await assists.members_with(ctx.db, request.id, OFFERED) + await assists.members_with(
        ctx.db, request.id, ASKED
    )
    helpers = [m for i in dict.fromkeys(ids) if (m := await members.by_id(ctx.db, i)) is not None]
    await ctx.open_form(cards.resolved_form(request, helpers))


@routine.form(cards.RESOLVED_FORM)
async def resolved(ctx: MemberContext, values: dict[str, Any]) -> None:
    request, asker = await _live_request(ctx, str(ctx.form_state.get("request", "")))
    helper_ids = [int(v) for v in values.get("helpers") or [] if str(v).isdigit()]
    assists.closed(request, AssistStatus.RESOLVED, ctx.now, values["what_worked"])
    helpers = [m for i in helper_ids if (m := await members.by_id(ctx.db, i)) is not None]
    for helper in helpers:
        await assists.take_part(ctx.db, request.id, helper.id, CREDITED, ctx.now)
        await recognition.credit(
            ctx.db,
            community_id=request.community_id,
            member_id=helper.id,
            by_id=asker.id,
            kind="peer_assist",
            reason=request.question,
            now=ctx.now,
        )
        await contributed(ctx, Act.WAS_THANKED, asker.id, member=helper, community_id=request.community_id)
    await knowledge.keep(
        ctx.db,
        community_id=request.community_id,
        kind="lesson",
        title=request.question,
        body="\n".join(filter(None, [request.context, _("What worked: {w}").format(w=values["what_worked"])])),
        tags=request.topics,
        source=f"assist:{request.id}",
        added_by=asker.id,
        now=ctx.now,
    )
    await ctx.cancel(f"assist:{request.id}:reroute")
    await ctx.cancel(f"assist:{request.id}:nudge")
    await contributed(ctx, Act.RESOLVED, request.id, community_id=request.community_id)
    names = ", ".join(content(h.called) for h in helpers)
    with ctx.community_language():
        thanks = (
            _("Resolved. Thank you {names}! What worked: {worked}") if helpers else _("Resolved. What worked: {worked}")
        ).format(names=names, worked=content(values["what_worked"]))
    await ctx.reply_in_threads(request.cards, thanks)
    await _refresh_cards(ctx, request, asker)
    for follower_id in await assists.members_with(ctx.db, request.id, FOLLOWING):
        if (follower := await members.by_id(ctx.db, follower_id)) is not None:
            await ctx.dm(
                follower,
                lambda: _("Request #{id} you follow is resolved. What worked: {worked}").format(
                    id=request.id, worked=content(values["what_worked"])
                ),
            )
    await ctx.reply(_("Request #{id} is closed; what worked is kept in the library.").format(id=request.id))


async def _cancel(ctx: MemberContext, request: AssistRequest) -> None:
    asker = await members.by_id(ctx.db, request.asker_id)
    assert asker is not None
    assists.closed(request, AssistStatus.CANCELLED, ctx.now)
    await ctx.cancel(f"assist:{request.id}:reroute")
    await ctx.cancel(f"assist:{request.id}:nudge")
    await _refresh_cards(ctx, request, asker)
    await ctx.reply(_("Request #{id} is withdrawn.").format(id=request.id))


@routine.command("asks", usage=N_("asks [mine|open|all]"), help=N_("List peer-assist requests"), example="asks mine")
async def asks(ctx: MemberContext, text: str) -> None:
    community, member = ctx.community, ctx.member
    which = arguments.one_of(text, ("mine", "open", "all"), default="open")
    rows = await assists.listing(
        ctx.db, community.id, asker_id=member.id if which == "mine" else None, only_open=which == "open", limit=10
    )
    if not rows:
        raise Answer(_("No requests to show. Ask one with `/cop ask <your question>`."))
    lines = []
    for row in rows:
        offers = len(await assists.members_with(ctx.db, row.id, OFFERED))
        lines.append(
            _("- #{id} · {question} · {status} · {offers} · {when}").format(
                id=row.id,
                question=content(shorten(row.question, 80)),
                status=_(row.status),
                offers=ngettext("{n} offer", "{n} offers", offers).format(n=offers),
                when=ctx.when(row.created_at),
            )
        )
    await ctx.reply(
        Message(
            _("Peer-assist requests ({which}, newest first):").format(which=_(which)),
            sections=(Section("\n".join(lines)),),
        )
    )


@routine.delivery(REROUTE, payload=RequestRef)
async def reroute(ctx: DeliveryContext, payload: RequestRef) -> None:
    request = await assists.by_id(ctx.db, payload.request)
    if (
        request is None
        or request.status != AssistStatus.OPEN
        or await assists.members_with(ctx.db, request.id, OFFERED)
    ):
        return
    asker = await members.by_id(ctx.db, request.asker_id)
    community = await communities.by_id(ctx.db, request.community_id)
    assert asker is not None and community is not None
    experts = await _route(ctx, request, asker)
    question = content(shorten(request.question, 100))

    # Each written in its reader's language when sent (ctx.dm calls them so).
    def note() -> str:
        if experts:
            return ngettext(
                "Request #{id} (“{question}”) has had no offer for a day. I asked {n} more member.",
                "Request #{id} (“{question}”) has had no offer for a day. I asked {n} more members.",
                len(experts),
            ).format(id=request.id, question=question, n=len(experts))
        return _(
            "Request #{id} (“{question}”) has had no offer for a day, and nobody new matches it. Perhaps you know "
            "someone to point to it?"
        ).format(id=request.id, question=question)

    def told() -> str:
        if experts:
            return ngettext(
                "No offer yet on your request #{id}, so I asked {n} more member.",
                "No offer yet on your request #{id}, so I asked {n} more members.",
                len(experts),
            ).format(id=request.id, n=len(experts))
        return _(
            "No offer yet on your request #{id}, and I found nobody new to ask. You could add what you have tried "
            "in its thread, name someone who might know there, or ask again with other words (/cop ask) and "
            "withdraw this one (/cop ask cancel {id})."
        ).format(id=request.id)

    await ctx.dm(asker, told)
    for role in (Role.MODERATOR, Role.COORDINATOR):
        for moderator in await communities.holders(ctx.db, community, role):
            await ctx.dm(moderator, note)


@routine.delivery(CLOSE_NUDGE, payload=RequestRef)
async def close_nudge(ctx: DeliveryContext, payload: RequestRef) -> None:
    request = await assists.by_id(ctx.db, payload.request)
    if (
        request is None
        or request.status != AssistStatus.OPEN
        or not await assists.members_with(ctx.db, request.id, OFFERED)
    ):
        return
    asker = await members.by_id(ctx.db, request.asker_id)
    assert asker is not None
    await ctx.dm(asker, lambda: cards.close_nudge(request))


async def _live_request(ctx: MemberContext, value: str) -> tuple[AssistRequest, Member]:
    number = arguments.parse_id(value)
    request = await assists.by_id(ctx.db, number) if number else None
    if request is None or request.community_id != ctx.community.id:
        raise Answer(_("There is no request #{id} here.").format(id=content(value.strip()[:12])))
    if request.status != AssistStatus.OPEN:
        raise Answer(_("Request #{id} is already {status}.").format(id=request.id, status=_(request.status)))
    asker = await members.by_id(ctx.db, request.asker_id)
    assert asker is not None
    return request, asker


async def _own_request(ctx: MemberContext, text: str, moderators_too: bool = False) -> AssistRequest:
    number, _rest = arguments.number(text, missing=_("Say which request, by its number."))
    request, _asker = await _live_request(ctx, str(number))
    allowed = request.asker_id == ctx.member.id or (moderators_too and ctx.has_role(Role.MODERATOR))
    if not allowed:
        raise Answer(_("Only the person who asked can do that with #{id}.").format(id=request.id))
    return request


async def _refresh_cards(ctx: Context, request: AssistRequest, asker: Member) -> None:
    offers = len(await assists.members_with(ctx.db, request.id, OFFERED))
    await ctx.update_posts(request.cards, lambda: cards.card(request, asker, offers))
