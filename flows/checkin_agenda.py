"""Compiling a call's agenda from the recaps (grouped by question, who has not answered, open action items), and
offering each "support needed" answer to peers through peer assist."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.context import Context
from bot.i18n import _
from bot.messages import Message
from flows import checkin_cards as cards
from flows.peer_assist import bring_to_peers, who_was_asked
from storage import assists, checkins, directory, members
from storage.models import Checkin, CheckinAnswer, CheckinCall, Community, Member

# Answers to the support question that ask for nothing.
NOTHING = {"none", "nothing", "no", "n/a", "na", "-", "nothing for now", "not now", "nothing yet", "all good"}


def needs_support(answer: str) -> bool:
    """Whether a support answer asks for something peers could help with (a few words, not “none”)."""
    text = " ".join(answer.casefold().split()).strip(" .!")
    return text not in NOTHING and len(directory.words(answer)) >= 3


async def offer_support(ctx: Context, checkin: Checkin, community: Community, row: CheckinAnswer) -> None:
    """Open a peer-assist request for the participant's support answer, once, and ask who knows the topic."""
    if row.support_request_id is not None:
        return
    need = next((p["answer"] for p in row.answers if p.get("support") and p.get("answer")), None)
    member = await members.by_id(ctx.db, row.member_id)
    if need is None or member is None or not needs_support(need):
        return
    request, _experts = await bring_to_peers(
        ctx,
        community,
        member,
        need,
        context=_("Raised in the check-in “{title}”.").format(title=checkin.title),
        card=False,  # the agenda shows it, with its own "I can help" button
    )
    row.support_request_id = request.id


async def build(ctx: Context, checkin: Checkin, call: CheckinCall) -> Message:
    """The agenda as it stands: every recap given, who is still silent, the open items carried over."""
    recaps = []
    answered_ids = set()
    for row in await checkins.answered(ctx.db, call.id):
        member = await members.by_id(ctx.db, row.member_id)
        if member is None:
            continue
        answered_ids.add(member.id)
        asked = ""
        if row.support_request_id is not None:
            asked = who_was_asked(await _asked(ctx, row.support_request_id))
        recaps.append(
            cards.Recap(
                member.called,
                {p["question"]: p["answer"] for p in row.answers if p.get("answer")},
                row.support_request_id,
                asked,
                member.called,
            )
        )
    recaps.sort(key=lambda r: r.name.casefold())
    silent = [m.called for m in await checkins.participants(ctx.db, checkin.id) if m.id not in answered_ids]
    carried = []
    for item in await checkins.open_actions(ctx.db, checkin.id, before=call.starts_at):
        owner = await members.by_id(ctx.db, item.owner_id)
        carried.append((item, owner.called if owner else "?"))
    today = ctx.now.astimezone(ZoneInfo(checkin.timezone)).date()
    return cards.agenda(cards.Agenda(checkin, call, recaps, silent, carried, today))


async def _asked(ctx: Context, request_id: int) -> list[tuple[Member, str]]:
    found = []
    for member_id, reason in await assists.asked(ctx.db, request_id):
        if (member := await members.by_id(ctx.db, member_id)) is not None:
            found.append((member, reason))
    return found


async def refresh(ctx: Context, checkin: Checkin, call: CheckinCall) -> None:
    """Show the agenda's new state on each copy posted (a late answer, the call starting)."""
    if call.agenda_cards:
        with ctx.community_language():
            card = await build(ctx, checkin, call)
        await ctx.update_posts(call.agenda_cards, card)
