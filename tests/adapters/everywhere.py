"""One running Cultivate on the console, Slack and Teams at once (the latter two against their local fakes), for
what spans platforms: one person with an account on each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from adapters.console.adapter import ConsoleAdapter
from adapters.slack.app import SlackAdapter
from adapters.teams.app import TeamsAdapter
from bot.clock import ManualClock
from bot.runtime import Runtime
from bot.server import build_app
from bot.settings import Settings
from flows import all_routines
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import SECRET, SlackBot
from tests.adapters.teams.fake_connector import FakeConnector
from tests.adapters.teams.harness import PEOPLE, TEAM_CHANNEL, TENANT, TeamsBot
from tests.conftest import START
from tests.harness import ConsoleBot

CONFIG = f"""
communities:
  - slug: rtm
    name: Real-time monitoring
    topics: [dashboards, alerting]
    timezone: Africa/Nairobi
    channels: {{slack: T1/C1, teams: "{TENANT}/{TEAM_CHANNEL}", console: general}}
    coordinators: ["console:ada"]
"""


@dataclass
class Everywhere:
    console: ConsoleBot
    slack: SlackBot
    teams: TeamsBot

    @property
    def runtime(self) -> Runtime:
        return self.console.runtime

    @classmethod
    async def open(cls, database_url: str, folder: Path) -> Everywhere:
        config = folder / "cultivate.yaml"
        config.write_text(CONFIG)
        fake_slack = FakeSlack()
        fake_slack.users["U1"] = {
            "id": "U1",
            "name": "amina",
            "tz": "Africa/Nairobi",
            "profile": {"display_name": "Amina"},
        }
        fake_teams = FakeConnector()
        fake_teams.members.update({user: {"id": user, "name": name} for user, name in PEOPLE.items()})
        settings = Settings(
            database_url=database_url,
            config_path=str(config),
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=await fake_slack.start(),
            teams_local_no_auth=True,
            send_retry_base_seconds=0.01,
        )
        service_url = await fake_teams.start()
        clock = ManualClock(START)
        runtime = await Runtime.open(settings, all_routines(), clock=clock, extra_coordinators=("console:ada",))
        lines: list[str] = []
        console = ConsoleAdapter(write=lines.append)
        slack = SlackAdapter(runtime.host, channel_interval=0.0)
        teams = TeamsAdapter(runtime.host, interval=0.0)
        for adapter in (console, slack, teams):
            runtime.add_adapter(adapter)
        runtime.start_workers()  # as `serve` does
        client = TestClient(TestServer(build_app(runtime, slack.routes() + teams.routes())))
        await client.start_server()
        return cls(
            ConsoleBot(runtime, console, clock, lines),
            SlackBot(runtime, slack, fake_slack, client),
            TeamsBot(runtime, teams, fake_teams, client, service_url),
        )

    async def close(self) -> None:
        await self.slack.client.close()
        await self.runtime.close()
        await self.slack.fake.close()
        await self.teams.fake.close()

    async def settled(self) -> None:
        await self.runtime.settle(patience=5.0)
        await self.teams.settled()

    def slack_said(self, since: int = 0) -> str:
        """What Cultivate wrote on Slack (posts, answers only the caller sees, updates) from call `since` on."""
        found: list[str] = []
        for call in self.slack.fake.calls[since:]:
            if call.method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
                found.append(f"[{call.args.get('channel')}] " + str(call.args.get("text") or ""))
                _texts(call.args.get("blocks") or [], found)
        return "\n".join(found)

    def teams_said(self, conversation: str, since: int = 0) -> str:
        """What Cultivate wrote in one Teams conversation, from call `since` on."""
        return "\n".join(c.text for c in self.teams.fake.calls[since:] if c in self.teams.fake.to(conversation))


def _texts(node: Any, found: list[str]) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("text"), str):
            found.append(node["text"])
        for value in node.values():
            _texts(value, found)
    elif isinstance(node, list):
        for item in node:
            _texts(item, found)
