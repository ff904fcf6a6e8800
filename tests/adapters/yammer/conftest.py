from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.yammer.harness import YammerBot


@pytest.fixture
async def yammer(database_url: str, tmp_path: Path) -> AsyncIterator[YammerBot]:
    """Yammer with the community's home in group 5; Amina coordinates; the first poll has set the cursors."""
    bot = await YammerBot.open(database_url, tmp_path)
    await bot.poll()
    yield bot
    await bot.close()
