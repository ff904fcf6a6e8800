from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

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


HOME_CONFIG = """
communities:
  - slug: rtm
    name: Real-time monitoring
    domain: Monitoring systems in real time.
    topics: [dashboards, alerting]
    timezone: Africa/Nairobi
    channels: {slack: T1/C1}
    coordinators: ["slack:U1"]
"""


@pytest.fixture
async def slack_home(database_url: str, tmp_path: Path) -> AsyncIterator[SlackBot]:
    """Slack with a community whose home channel is C1 in team T1 (U1 coordinates)."""
    config = tmp_path / "cultivate.yaml"
    config.write_text(HOME_CONFIG)
    bot = await SlackBot.open(database_url, config_path=str(config))
    yield bot
    await bot.close()
