"""Test routines that use buttons, message updates, long lists and reposted member text."""

from __future__ import annotations

from bot.context import Context, DeliveryContext, MemberContext
from bot.events import Place
from bot.messages import Button, Message, Section
from bot.registry import Routine
from bot.text import content

playground = Routine("slack_playground")
votes: dict[str, set[str]] = {}


def tally() -> Message:
    going = len(votes.get("going", set()))
    return Message(
        f"Webinar on dashboards — {going} going",
        buttons=(Button("Going", "pg.rsvp", "going"), Button("Maybe", "pg.rsvp", "maybe")),
    )


@playground.command("rsvp", usage="rsvp", help="A card with RSVP buttons", role=None)
async def rsvp(ctx: Context, text: str) -> None:
    votes.clear()
    assert ctx.event is not None
    await ctx.post(ctx.event.place, tally())


@playground.action("pg.rsvp")
async def press(ctx: Context, value: str) -> None:
    assert ctx.event is not None and ctx.actor is not None
    votes.setdefault(value, set()).add(ctx.actor.user_id)
    await ctx.update(ctx.event.place, ctx.event.message_id or "", tally())  # type: ignore[attr-defined]


@playground.command("many", usage="many <n>", help="A long list", role=None)
async def many(ctx: Context, text: str) -> None:
    n = int(text or "120")
    sections = tuple(Section(f"Item {i}: " + "word " * 40) for i in range(n))
    await ctx.reply(Message(f"{n} items", sections=sections), public=True)


@playground.command("echo", usage="echo <text>", help="Repost member text", role=None)
async def echo(ctx: Context, text: str) -> None:
    await ctx.reply(f"You said: {content(text)}", public=True)


@playground.command("shout", usage="shout <text>", help="A public post in this channel", role=None)
async def shout(ctx: MemberContext, text: str) -> None:
    await ctx.post(ctx.event.place, f"Shout: {content(text)}")


@playground.command("halfway", usage="halfway", help="Posts, then fails", role=None)
async def halfway(ctx: MemberContext, text: str) -> None:
    await ctx.post(ctx.event.place, "Announcing something that will not happen")
    await ctx.dm(ctx.member, "You will not get this either")
    raise RuntimeError("the work fails after saying things")


@playground.delivery("pg.remind")
async def remind(ctx: DeliveryContext, payload: dict[str, str]) -> None:
    await ctx.post(Place("slack", "T1", payload.get("channel", "C1")), f"Reminder: {payload.get('text', '')}")
