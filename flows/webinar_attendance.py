"""Who came: when a webinar ends its card asks "Were you there?", and so does a direct message (in their waking
hours) to each member who said they would come. One tap. Rating the session counts as having been there."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, time, timedelta

from bot import arguments
from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer
from bot.i18n import _
from bot.quiet_hours import waking
from bot.registry import Routine
from bot.text import content
from flows import webinar_cards as cards
from flows.participation import contributed
from storage import attendance, members, webinars
from storage.models import Act, Member, Webinar, WebinarStatus

routine = Routine("webinar-attendance")
ENDED, ASK = "webinar.ended", "webinar.ask_attended"
ASK_USEFUL_FOR = timedelta(days=3)  # after that nobody remembers, and a late question is noise


@dataclass(frozen=True)
class Ended:
    webinar: int
    starts: str = ""  # the start it was scheduled for (UTC, ISO): a moved session gets a new one


@dataclass(frozen=True)
class Ask:
    webinar: int
    member: int


def _stamp(session: Webinar) -> str:
    return session.starts_at.astimezone(UTC).isoformat()


def _key(session: Webinar) -> str:
    return f"webinar:{session.id}:ended:{_stamp(session)}"


async def schedule(ctx: Context, session: Webinar) -> None:
    """Ask who was there once the session is over."""
    await ctx.schedule(
        ENDED,
        at=session.starts_at + timedelta(minutes=session.minutes),
        key=_key(session),
        payload=Ended(session.id, _stamp(session)),
    )


async def unschedule(ctx: Context, session: Webinar) -> None:
    await ctx.cancel(_key(session))


async def presenters_of(ctx: Context, session: Webinar) -> list[Member]:
    """The presenters who are members: those known by id (a champion who accepted), then those found by the names
    given when the webinar was added."""
    found = [m for i in session.presenter_ids or [] if (m := await members.by_id(ctx.db, i)) is not None]
    for name in re.split(r",|;|\band\b|&", session.presenters):
        matches = list(await members.find_in_community(ctx.db, session.community_id, name)) if name.strip() else []
        if len(matches) == 1 and matches[0] not in found:
            found.append(matches[0])
    return found


@routine.delivery(ENDED, payload=Ended)
async def ended(ctx: DeliveryContext, payload: Ended) -> None:
    session = await webinars.by_id(ctx.db, payload.webinar)
    if session is None or session.status != WebinarStatus.SCHEDULED or payload.starts != _stamp(session):
        return  # cancelled or moved: the new time has its own
    for presenter in await presenters_of(ctx, session):
        await contributed(ctx, Act.PRESENTED, session.id, member=presenter, community_id=session.community_id)
    await refresh(ctx, session)
    quiet_from, quiet_until = ctx.services.settings.quiet_hours
    for member_id in await webinars.attending(ctx.db, session.id):
        member = await members.by_id(ctx.db, member_id)
        if member is None:
            continue
        await ctx.schedule(
            ASK,
            at=waking(ctx.now, ctx.zone_of(member), time(quiet_from), time(quiet_until)),
            key=f"webinar:{session.id}:ask_attended:{member_id}",
            payload=Ask(session.id, member_id),
            useful_for=ASK_USEFUL_FOR,
        )


@routine.delivery(ASK, payload=Ask)
async def ask(ctx: DeliveryContext, payload: Ask) -> None:
    session, member = await webinars.by_id(ctx.db, payload.webinar), await members.by_id(ctx.db, payload.member)
    if session is None or member is None or session.status != WebinarStatus.SCHEDULED:
        return
    if await attendance.was_there(ctx.db, session.id, member.id):
        return  # they already said so (on the card, or by rating it)
    await ctx.dm(member, lambda: cards.were_you_there(session, ctx.zone_of(member)))


@routine.action(cards.THERE)
async def there(ctx: MemberContext, value: str) -> None:
    ident, _sep, answer = value.partition(":")
    number = arguments.parse_id(ident)
    session = await webinars.by_id(ctx.db, number) if number else None
    if session is None or session.status != WebinarStatus.SCHEDULED or answer not in ("yes", "no"):
        raise Answer(_("That webinar is no longer here."))
    if session.starts_at > ctx.now:
        raise Answer(_("“{title}” has not started yet.").format(title=content(session.title)))
    if answer == "no":
        await ctx.reply(_("Thank you for saying. The recording, if there is one, will be shared under the card."))
        return
    if not await mark(ctx, session):
        raise Answer(_("I already know you were at “{title}” — thank you!").format(title=content(session.title)))
    await ctx.reply(_("Noted: you were at “{title}”. Thank you for coming!").format(title=content(session.title)))


async def mark(ctx: MemberContext, session: Webinar, *, on_card: bool = True) -> bool:
    """The caller was at the session: kept once, counted once; `on_card`, the card's tally moves at once (a rating
    given in a direct message leaves the card alone: it is read with the next tap on it)."""
    if not await attendance.mark(ctx.db, session.id, ctx.member.id, ctx.now):
        return False
    await contributed(ctx, Act.ATTENDED, session.id, community_id=session.community_id)
    if on_card and session.starts_at + timedelta(minutes=session.minutes) <= ctx.now:
        await refresh(ctx, session)
    return True


async def refresh(ctx: Context, session: Webinar) -> None:
    counts = await webinars.counts(ctx.db, session.id)
    there = await attendance.count(ctx.db, session.id)
    await ctx.update_posts(session.cards, lambda: cards.after(session, counts, there))
