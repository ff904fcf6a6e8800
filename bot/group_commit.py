"""Group commit: many tasks each wait for their item to be written, and the items are written together — one
transaction for all those handed in while the previous one was being written. Under load this turns N small
transactions (on SQLite, N turns at its one write lock) into a few large ones; alone, an item is written at once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class GroupWriter(Generic[T]):
    def __init__(self, write: Callable[[list[T]], Awaitable[None]]) -> None:
        self._write = write
        self._pending: list[tuple[T, asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None

    async def put(self, item: T) -> None:
        """Hand in an item; returns once it is written, or raises what the write raised."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._task is None:
            self._task = asyncio.create_task(self._drain(), name="group-commit")
        # Shielded: a caller that is cancelled leaves its item to be written with the others.
        await asyncio.shield(future)

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    await self._write([item for item, _ in batch])
                except Exception as e:  # noqa: BLE001 - handed to every caller whose item was in the batch
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(e)
                else:
                    for _, future in batch:
                        if not future.done():
                            future.set_result(None)
        finally:
            self._task = None
            for _, future in self._pending:  # only if cancelled mid-write: nobody waits forever
                if not future.done():
                    future.cancel()
            self._pending = []
