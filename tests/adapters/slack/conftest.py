from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from flows import all_routines
from tests import routines
from tests.adapters.slack.harness import SlackBot
from tests.adapters.slack.playground import playground


@pytest.fixture
async def slack(database_url: str) -> AsyncIterator[SlackBot]:
    routines.received.clear()
    bot = await SlackBot.open(database_url, all_routines() + [routines.routine, playground])
    yield bot
    await bot.close()
