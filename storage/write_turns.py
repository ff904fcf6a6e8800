"""SQLite's one write lock, taken in turns inside the process.

Every SQLite transaction here begins with BEGIN IMMEDIATE (storage.db). When two connections of one process want
the lock at once, SQLite's busy handler makes the loser sleep and poll — 1, 2, 5, 10 … 100 ms at a time — so under
load a transaction waits far longer than the one before it takes, and the wait grows with the number of writers.
Taking turns in an asyncio queue first hands the lock over the moment it is free, and lets urgent writes (the
journal insert an acknowledgement waits for) go before the rest. Another process still meets the busy handler, as
before; and a turn not given within PATIENCE seconds is not waited for any longer (SQLite decides then), so a
transaction that opens another inside itself is slowed, never deadlocked."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import Iterator
from contextvars import ContextVar

PATIENCE = 5.0
_urgent: ContextVar[bool] = ContextVar("cultivate_urgent_write", default=False)


@contextlib.contextmanager
def urgent() -> Iterator[None]:
    """Transactions begun inside go before the others waiting for the write lock."""
    token = _urgent.set(True)
    try:
        yield
    finally:
        _urgent.reset(token)


class WriteTurns:
    def __init__(self, patience: float = PATIENCE) -> None:
        self.patience = patience
        self._holder: object | None = None
        self._waiting: list[tuple[int, int, asyncio.Future[None], object]] = []
        self._order = itertools.count()

    async def take(self, owner: object) -> None:
        """Wait for the turn of `owner` (a connection); returns at once if nobody holds or waits for it."""
        if self._holder is owner:
            return  # its next transaction on the same connection
        if self._holder is None and not self._waiting:
            self._holder = owner
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (0 if _urgent.get() else 1, next(self._order), future, owner))
        try:
            await asyncio.wait_for(asyncio.shield(future), self.patience)
        except TimeoutError:
            future.cancel()  # skipped when its turn comes; SQLite's busy timeout decides from here
        except BaseException:
            future.cancel()
            if self._holder is owner:
                self.give_back(owner)
            raise

    def give_back(self, owner: object) -> None:
        """`owner` is back in the pool: the next one waiting goes (urgent ones first, then in order)."""
        if self._holder is not owner:
            return
        self._holder = None
        while self._waiting:
            _priority, _n, future, following = heapq.heappop(self._waiting)
            if not future.done():
                self._holder = following
                future.set_result(None)
                return
