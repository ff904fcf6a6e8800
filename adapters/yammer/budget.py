"""One request budget per token (Yammer allows 10 requests per 30 s), shared by polling and sending.

Replies to people go first: background work (polling, member lists) never takes the last `reserve` slots and
waits while anyone's reply is waiting. After a 429 nobody sends until the pause is over."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from enum import IntEnum

LIMIT, WINDOW = 10, 30.0


class Priority(IntEnum):
    PERSON = 0  # an answer or a message someone is waiting for
    BACKGROUND = 1  # polling, member comparisons


class Budget:
    def __init__(
        self, limit: int = LIMIT, window: float = WINDOW, *, reserve: int = 3, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self.reserve = limit, window, min(reserve, limit - 1)
        self._now = now
        # When each request of the window finished (inf while in flight): a slot counts until `window` after the
        # answer came back, which is never earlier than the server counted it.
        self._slots: list[list[float]] = []
        self._paused_until = 0.0
        self._people_waiting = 0

    def pause(self, seconds: float) -> None:
        """The server said 429: hold every request for `seconds`."""
        self._paused_until = max(self._paused_until, self._now() + seconds)

    @property
    def used(self) -> int:
        self._prune()
        return len(self._slots)

    @asynccontextmanager
    async def slot(self, priority: Priority) -> AsyncIterator[None]:
        """Wait for room in the window, then hold a slot for one request."""
        cell = await self._take(priority)
        try:
            yield
        finally:
            cell[0] = self._now()

    async def _take(self, priority: Priority) -> list[float]:
        person = priority is Priority.PERSON
        self._people_waiting += person
        try:
            while True:
                wait = self._wait(person)
                if wait <= 0:
                    cell = [float("inf")]
                    self._slots.append(cell)
                    return cell
                await asyncio.sleep(min(wait, 1.0))
        finally:
            self._people_waiting -= person

    def _wait(self, person: bool) -> float:
        """Seconds until this caller may go (0: now)."""
        now = self._now()
        if now < self._paused_until:
            return self._paused_until - now
        self._prune()
        room = self.limit if person else self.limit - self.reserve
        if len(self._slots) < room and (person or self._people_waiting == 0):
            return 0.0
        finished = [c[0] for c in self._slots if c[0] != float("inf")]
        # In flight only, or background behind people: look again shortly.
        return min(finished) + self.window - now if finished and len(self._slots) >= room else self.window / 50

    def _prune(self) -> None:
        cutoff = self._now() - self.window
        self._slots = [c for c in self._slots if c[0] > cutoff]
