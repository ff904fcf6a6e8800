from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from flows import all_routines
from tests import routines
from tests.adapters.slack.playground import playground
from tests.adapters.teams.harness import TEAM_CHANNEL, TENANT, TeamsBot

HOME_CONFIG = f"""
communities:
  - slug: rtm
    name: Real-time monitoring
    domain: Monitoring systems in real time.
    topics: [dashboards, alerting]
    timezone: Africa/Nairobi
    channels: {{teams: "{TENANT}/{TEAM_CHANNEL}"}}
    coordinators: ["teams:29:amina"]
"""


@pytest.fixture
async def teams(database_url: str, tmp_path: Path) -> AsyncIterator[TeamsBot]:
    """Teams with a community whose home is the team's General channel; Amina coordinates."""
    routines.received.clear()
    config = tmp_path / "cultivate.yaml"
    config.write_text(HOME_CONFIG)
    bot = await TeamsBot.open(database_url, all_routines() + [routines.routine, playground], config_path=str(config))
    yield bot
    await bot.close()
