from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.settings import TEAMS_SDKS
from flows import all_routines
from tests import routines
from tests.adapters.slack.playground import playground
from tests.adapters.teams.harness import TEAM_CHANNEL, TENANT, TeamsBot
from tests.databases import on_postgres

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


@pytest.fixture(params=TEAMS_SDKS)
def teams_sdk(request: pytest.FixtureRequest) -> str:
    """Each Teams test runs on botbuilder and on the Microsoft 365 Agents SDK (on PostgreSQL, the default only:
    the SDK does not touch the database, so once is enough there)."""
    sdk = str(request.param)
    if sdk != TEAMS_SDKS[0] and on_postgres():
        pytest.skip(f"on PostgreSQL the Teams tests run on {TEAMS_SDKS[0]} only")
    return sdk


@pytest.fixture
async def teams(database_url: str, tmp_path: Path, teams_sdk: str) -> AsyncIterator[TeamsBot]:
    """Teams with a community whose home is the team's General channel; Amina coordinates."""
    routines.received.clear()
    config = tmp_path / "cultivate.yaml"
    config.write_text(HOME_CONFIG)
    bot = await TeamsBot.open(
        database_url, all_routines() + [routines.routine, playground], config_path=str(config), teams_sdk=teams_sdk
    )
    yield bot
    await bot.close()
