"""SQLite's write lock taken in turns inside the process: in order, urgent writes first, never a deadlock."""

from __future__ import annotations

import asyncio

from storage.write_turns import WriteTurns, urgent


async def test_turns_go_in_order_with_urgent_ones_first() -> None:
    turns = WriteTurns()
    order: list[str] = []
    await turns.take("holder")

    async def wants(name: str, is_urgent: bool) -> None:
        if is_urgent:
            with urgent():
                await turns.take(name)
        else:
            await turns.take(name)
        order.append(name)
        await asyncio.sleep(0)
        turns.give_back(name)

    waiting = [
        asyncio.create_task(wants("handler", False)),
        asyncio.create_task(wants("sender", False)),
        asyncio.create_task(wants("journal", True)),
    ]
    await asyncio.sleep(0.01)
    assert order == [], "nobody goes while the lock is held"
    turns.give_back("holder")
    await asyncio.gather(*waiting)
    assert order == ["journal", "handler", "sender"]


async def test_the_holder_may_begin_again_and_a_lost_turn_is_not_waited_for_forever() -> None:
    turns = WriteTurns(patience=0.05)
    await turns.take("conn")
    await asyncio.wait_for(turns.take("conn"), 1)  # its next transaction on the same connection
    await asyncio.wait_for(turns.take("other"), 1)  # never given back: waits only `patience`
    turns.give_back("conn")
    await asyncio.wait_for(turns.take("third"), 1)
