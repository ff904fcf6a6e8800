"""Figures kept a short while: ten readers at once cost one computation; a failure is not kept."""

from __future__ import annotations

import asyncio

import pytest

from web.recent import Recent


async def test_readers_at_once_share_one_computation() -> None:
    kept: Recent[int] = Recent(60)
    computed = 0
    release = asyncio.Event()

    async def compute() -> int:
        nonlocal computed
        computed += 1
        await release.wait()
        return 42

    readers = [asyncio.create_task(kept.get("levels", compute)) for _ in range(10)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(*readers) == [42] * 10
    assert computed == 1
    assert await kept.get("levels", compute) == 42 and computed == 1
    assert await kept.get("trend", compute) == 42 and computed == 2


async def test_a_failure_is_not_kept_and_old_values_expire() -> None:
    kept: Recent[int] = Recent(0)

    async def broken() -> int:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        await kept.get("levels", broken)

    async def fine() -> int:
        return 1

    assert await kept.get("levels", fine) == 1  # tried again, not the kept failure
