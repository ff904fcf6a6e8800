"""Answers computed lately, kept for a short while: health figures over months do not change between two page views a
few seconds apart, and ten coordinators opening the overview at once should cost one computation, not ten."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Recent(Generic[T]):
    """Values by key for `seconds` (wall time, not the bot's clock: this is about load, not about the community's
    time); whoever asks for a key being computed waits for that computation instead of starting another."""

    def __init__(self, seconds: float, size: int = 256) -> None:
        self.seconds = seconds
        self.size = size
        self._kept: OrderedDict[Hashable, tuple[float, asyncio.Future[T]]] = OrderedDict()

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        now = time.monotonic()
        found = self._kept.get(key)
        if found is not None and found[0] > now:
            return await asyncio.shield(found[1])
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._kept[key] = (now + self.seconds, future)
        self._kept.move_to_end(key)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
        try:
            value = await compute()
        except BaseException as e:
            self._kept.pop(key, None)  # a failure is not kept: the next reader tries again
            future.set_exception(e)
            future.exception()  # retrieved here, so an unawaited failure is not reported twice
            raise
        future.set_result(value)
        return value

    def clear(self) -> None:
        self._kept.clear()


class Kept:
    """What one running site keeps (one per application, so nothing is shared between sites or tests)."""

    # Figures over months, kept a minute: a reload or ten coordinators at once cost one computation.
    SECONDS = 60

    def __init__(self) -> None:
        self.glances: Recent[Any] = Recent(self.SECONDS)  # the overview's tables
        self.figures: Recent[Any] = Recent(self.SECONDS)  # the whole health picture
