"""A fan-out is queued set-based: the DMs a routine says in one transaction are written by one INSERT, in the order
they were said, and dropped with the routine's work if it fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from bot.context import DeliveryContext
from bot.messages import Button, Fact, Message, Section
from bot.serialize import message_from_json, message_to_json
from storage import communities, members
from storage.models import OutboundMessage
from tests.harness import ConsoleBot

PEOPLE = [f"Member{n}" for n in range(12)]


@contextmanager
def inserts_into_outbound(bot: ConsoleBot) -> Iterator[list[int]]:
    """The rows of each INSERT INTO outbound statement executed meanwhile."""
    rows: list[int] = []

    def seen(_conn: object, _cursor: object, statement: str, params: object, _ctx: object, many: bool) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO OUTBOUND"):
            rows.append(len(params) if many and isinstance(params, list | tuple) else statement.count("?, ?") or 1)

    engine = bot.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield rows
    finally:
        event.remove(engine, "before_cursor_execute", seen)


async def test_dms_of_a_fan_out_are_one_insert_and_all_arrive(bot: ConsoleBot) -> None:
    for name in PEOPLE:
        await bot.say(name, "/cop join")
    services = bot.runtime.services
    with inserts_into_outbound(bot) as statements:
        async with services.sessions() as db:
            [community] = await communities.all_communities(db)
            people = [m for m in (await members.by_ids(db, range(1, 100))).values() if m.display_name in PEOPLE]
            ctx = DeliveryContext(services=services, db=db, community=community, origin="delivery:test")
            for member in people:
                assert await ctx.dm(member, f"Hello {member.display_name}, the call is tomorrow.")
            await db.commit()
    assert statements == [len(PEOPLE)], "one INSERT statement carried every DM"
    before = len(bot.lines)
    await bot.runtime.settle()
    said = "\n".join(bot.lines[before:])
    assert all(f"Hello {name}, the call is tomorrow." in said for name in PEOPLE)


async def test_queued_messages_keep_their_order_around_one_that_needs_its_id(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    services = bot.runtime.services
    async with services.sessions() as db:
        [amina] = [m for m in (await members.by_ids(db, range(1, 10))).values() if m.display_name == "Amina"]
        ctx = DeliveryContext(services=services, db=db, origin="delivery:test")
        await ctx.dm(amina, "first")
        await ctx.dm(amina, "second")
        place = await ctx.direct_place(amina)
        assert place is not None
        named = await ctx.post(place, "third")  # needs its id now: the two before it are written first
        await ctx.dm(amina, "fourth")
        await db.commit()
    assert named.startswith("o:")
    async with services.sessions() as db:
        rows = (await db.scalars(select(OutboundMessage).order_by(OutboundMessage.id))).all()
    texts = [r.message["text"] for r in rows if r.origin == "delivery:test"]
    assert texts == ["first", "second", "third", "fourth"]


async def test_dms_said_in_work_that_fails_are_dropped_with_it(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    services = bot.runtime.services
    async with services.sessions() as db:
        [amina] = [m for m in (await members.by_ids(db, range(1, 10))).values() if m.display_name == "Amina"]
        ctx = DeliveryContext(services=services, db=db, origin="delivery:test")
        await ctx.dm(amina, "kept")
        with pytest.raises(RuntimeError):
            async with ctx.savepoint():
                await ctx.dm(amina, "dropped")
                raise RuntimeError("the routine failed")
        await db.commit()
    async with services.sessions() as db:
        rows = (await db.scalars(select(OutboundMessage).where(OutboundMessage.origin == "delivery:test"))).all()
    assert [r.message["text"] for r in rows] == ["kept"]


def test_a_message_survives_its_json_unchanged() -> None:
    message = Message(
        "Lead",
        sections=(Section("Body", "Title", (Fact("When", "Tuesday"),)),),
        buttons=(Button("Go", "x.go", "1"),),
        footer="quiet",
    )
    assert message_from_json(message_to_json(message)) == message
